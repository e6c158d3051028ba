/**
 * `npm run db:copy -- --to postgres://… [--from FILE]` (compiled: `node dist/cli/db-copy.js --to …`)
 *
 * Moves an existing SQLite database (DATABASE_PATH, or --from) to PostgreSQL
 * (docs/architecture.md, "Storage: PostgreSQL"): the SQLite file is opened
 * and migrated as the server does, the target database is migrated, and
 * every table is copied in foreign-key order, in batches, through the two
 * drizzle schemas (their property names are the same). All of it is one
 * PostgreSQL transaction: a target that already has rows is refused, and any
 * difference found afterwards (rows, largest id, a firm's live-licence count)
 * rolls everything back. Stop the server first, or copy a `db:backup` of the
 * file: what the server writes during the copy is not in it.
 *
 * Exits 0 when the copy is committed, 1 when it cannot be made (nothing is
 * left in the target), 2 on wrong arguments.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { ConfigError, loadDatabasePath, withEnvFile } from "../config.ts";
import { type Db, openDatabase } from "../db/open.ts";
import { type OpenPg, openPg } from "../db/pg/open.ts";
import * as pgSchema from "../db/pg/schema.ts";
import * as sqliteSchema from "../db/schema.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE =
  "usage: npm run db:copy -- --to postgres://USER:PASSWORD@HOST:5432/DATABASE [--from FILE]   (copies DATABASE_PATH, or FILE, into that empty PostgreSQL database)";

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH = 1_000;

interface TablePair {
  name: string;
  sqlite: SQLiteTable;
  pg: PgTable;
}

const pair = (sqlite: SQLiteTable, pg: PgTable): TablePair => ({ name: getTableName(pg), sqlite, pg });

/**
 * Every table, parents before children (a row's foreign keys point to rows
 * already copied). `export_links` too: a link handed out just before the move
 * keeps working until it expires.
 */
const TABLES: readonly TablePair[] = [
  pair(sqliteSchema.firms, pgSchema.firms),
  pair(sqliteSchema.workspaces, pgSchema.workspaces),
  pair(sqliteSchema.activationRequests, pgSchema.activationRequests),
  pair(sqliteSchema.clients, pgSchema.clients),
  pair(sqliteSchema.licences, pgSchema.licences),
  pair(sqliteSchema.installations, pgSchema.installations),
  pair(sqliteSchema.notifications, pgSchema.notifications),
  pair(sqliteSchema.auditEvents, pgSchema.auditEvents),
  pair(sqliteSchema.storedRefs, pgSchema.storedRefs),
  pair(sqliteSchema.slackInstallations, pgSchema.slackInstallations),
  pair(sqliteSchema.rateLimits, pgSchema.rateLimits),
  pair(sqliteSchema.seenRequests, pgSchema.seenRequests),
  pair(sqliteSchema.watchItems, pgSchema.watchItems),
  pair(sqliteSchema.watchRuns, pgSchema.watchRuns),
  pair(sqliteSchema.exportLinks, pgSchema.exportLinks),
];

/** A difference between the source and the copy: the transaction is rolled back. */
class CopyMismatch extends Error {}

function parseArgs(argv: string[]): { to: string; from?: string } | undefined {
  let to: string | undefined;
  let from: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") continue;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = inline ?? argv[i + 1];
    if (flag === "--to" || flag === "--from") {
      if (value === undefined || value === "") return undefined;
      if (inline === undefined) i++;
      if (flag === "--to") to = value;
      else from = value;
    } else return undefined;
  }
  if (!to) return undefined;
  return from === undefined ? { to } : { to, from };
}

/** The target without its password, for messages. */
function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `postgres ${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "the PostgreSQL database";
  }
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = "code" in err && typeof err.code === "string" ? `${err.code}: ` : "";
  const cause = err.cause instanceof Error ? ` (${reason(err.cause)})` : "";
  return `${code}${err.message.split("\n")[0]}${cause}`;
}

/** Runs the command; resolves to the exit code. */
export async function runDbCopy(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (!args || !/^postgres(ql)?:\/\/\S+$/.test(args.to)) {
    io.err(USAGE);
    return 2;
  }
  let source: string;
  try {
    source = args.from ?? loadDatabasePath(env);
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : String(err));
    return 1;
  }
  const what = args.from ? `--from ${source}` : `DATABASE_PATH ${source}`;
  const target = describeTarget(args.to);
  if (source === ":memory:") {
    io.err(`${what} is not a database file: nothing to copy`);
    return 1;
  }
  if (!existsSync(source) || !statSync(source).isFile()) {
    io.err(`${what} is not a database file: nothing to copy`);
    return 1;
  }

  let sqlite: ReturnType<typeof openDatabase> | undefined;
  let pg: OpenPg | undefined;
  try {
    try {
      sqlite = openDatabase(source);
    } catch (err) {
      io.err(`could not open ${what}: ${reason(err)}`);
      return 1;
    }
    try {
      pg = await openPg(args.to, { poolSize: 1 });
    } catch (err) {
      io.err(`could not open or migrate ${target}: ${reason(err)}`);
      return 1;
    }
    const from = sqlite.db;
    const client = from.$client;
    // One read transaction on the source: every table is read from the same snapshot.
    client.exec("BEGIN");
    try {
      const lines = await pg.db.transaction(async (tx) => {
        const occupied: string[] = [];
        for (const table of TABLES) {
          const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(table.pg);
          if ((row?.n ?? 0) > 0) occupied.push(`${table.name}: ${row?.n}`);
        }
        if (occupied.length > 0) {
          throw new CopyMismatch(
            `${target} already has rows (${occupied.join(", ")}): db:copy only copies into an empty database`,
          );
        }
        const done: string[] = [];
        for (const table of TABLES) done.push(await copyTable(from, tx, table));
        await checkLiveLicences(from, tx);
        return done;
      });
      for (const line of lines) io.out(line);
    } finally {
      if (client.inTransaction) client.exec("COMMIT");
    }
    io.out(
      `copied ${what} (migration level ${sqlite.migrationLevel}) to ${target} (migration level ${pg.migrationLevel}): ${TABLES.length} tables, counts checked`,
    );
    return 0;
  } catch (err) {
    io.err(
      err instanceof CopyMismatch
        ? `${err.message}; nothing was copied`
        : `could not copy ${what} to ${target}: ${reason(err)}; nothing was copied`,
    );
    return 1;
  } finally {
    sqlite?.close();
    await pg?.close();
  }
}

type PgTx = Parameters<Parameters<OpenPg["db"]["transaction"]>[0]>[0];

/** Copies one table in rowid order, then compares its count (and largest id) and moves its identity past it. */
async function copyTable(from: Db, tx: PgTx, { name: table, sqlite: src, pg: dst }: TablePair): Promise<string> {
  const columns = getTableColumns(src);
  const hasId = "id" in columns;
  let copied = 0;
  for (let after = 0; ; ) {
    const page = from
      .select({ ...columns, copyRowid: sql<number>`rowid` })
      .from(src)
      .where(sql`rowid > ${after}`)
      .orderBy(sql`rowid`)
      .limit(BATCH)
      .all() as Record<string, unknown>[];
    if (page.length === 0) break;
    after = Number(page[page.length - 1]?.copyRowid);
    const rows = page.map(({ copyRowid: _, ...row }) =>
      // The copy's triggers count the live licences as they arrive (docs/architecture.md, "Two schemas").
      dst === pgSchema.firms ? { ...row, liveLicences: 0 } : row,
    );
    // The two schemas have the same property names and compatible types (test/pg/schema-parity.test.ts);
    // drizzle cannot see that across two dialects' table types.
    await tx.insert(dst).values(rows as never);
    copied += rows.length;
  }

  const source = from
    .select({ n: sql<number>`count(*)`, max: hasId ? sql<number | null>`max(id)` : sql<null>`null` })
    .from(src)
    .get();
  const [copy] = await tx
    .select({ n: sql<number>`count(*)::int`, max: hasId ? sql<number | null>`max(id)` : sql<null>`null` })
    .from(dst);
  if (Number(source?.n) !== copied || Number(copy?.n) !== copied) {
    throw new CopyMismatch(`${table}: ${source?.n} rows in SQLite, ${copy?.n} in PostgreSQL`);
  }
  if (hasId) {
    if ((source?.max ?? null) !== (copy?.max ?? null)) {
      throw new CopyMismatch(`${table}: largest id ${source?.max} in SQLite, ${copy?.max} in PostgreSQL`);
    }
    // The next row inserted gets an id never used in SQLite.
    await tx.execute(
      sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false) from ${dst}`,
    );
  }
  return `${table}: ${copied} ${copied === 1 ? "row" : "rows"}`;
}

/** Each firm's live-licence count, as the copy's triggers made it, against SQLite's. */
async function checkLiveLicences(from: Db, tx: PgTx): Promise<void> {
  const expected = new Map(
    from
      .select({ id: sqliteSchema.firms.id, live: sqliteSchema.firms.liveLicences })
      .from(sqliteSchema.firms)
      .all()
      .map((f) => [f.id, f.live]),
  );
  const copied = await tx
    .select({ id: pgSchema.firms.id, live: pgSchema.firms.liveLicences })
    .from(pgSchema.firms)
    .where(sql`${pgSchema.firms.liveLicences} <> 0`);
  const counted = new Map(copied.map((f) => [f.id, f.live]));
  for (const [id, live] of expected) {
    if ((counted.get(id) ?? 0) !== live) {
      throw new CopyMismatch(
        `firms: firm ${id} has ${live} live licences in SQLite, ${counted.get(id) ?? 0} counted in PostgreSQL`,
      );
    }
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  let env: Record<string, string | undefined>;
  try {
    env = withEnvFile(process.env, process.cwd());
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  process.exitCode = await runDbCopy(process.argv.slice(2), env, io);
}
