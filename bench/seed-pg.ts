/**
 * The bench's PostgreSQL database: the very rows of the seeded SQLite file,
 * read table by table through the SQLite drizzle schema and written through
 * the PostgreSQL one (src/db/pg/schema.ts: the same property names), so both
 * storages are measured on the same data.
 *
 * Fast, as a bulk load is done: one `INSERT … SELECT * FROM unnest($1::type[],
 * …)` per batch of rows (one array parameter per column), the next batch
 * read from SQLite while PostgreSQL writes the last one; the secondary
 * indexes dropped during the load and built again after it from their own
 * definitions (`pg_get_indexdef`), triggers and foreign-key checks off
 * (`session_replication_role = replica`: the bench's throwaway server runs
 * as its superuser), so `firms.live_licences`, which the triggers keep, is
 * counted once at the end. Then each identity is moved past its largest id,
 * the counts are compared table by table, and ANALYZE (what autovacuum
 * would do within a minute of such a load), so the first measures do not
 * run on a planner without statistics.
 */
import Database from "better-sqlite3";
import { getTableColumns, getTableName, gt, is, sql } from "drizzle-orm";
import { drizzle as sqliteDrizzle } from "drizzle-orm/better-sqlite3";
import { drizzle as pgDrizzle } from "drizzle-orm/node-postgres";
import { PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import * as pgSchema from "../src/db/pg/schema.ts";
import * as sqliteSchema from "../src/db/schema.ts";

const BATCH = 5000;

type PgDb = ReturnType<typeof pgDrizzle>;

/** The tables of both schemas, paired by table name. */
function pairs(): { name: string; from: SQLiteTable; to: PgTable }[] {
  const pgTables = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema)) if (is(value, PgTable)) pgTables.set(getTableName(value), value);
  const out: { name: string; from: SQLiteTable; to: PgTable }[] = [];
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const name = getTableName(value);
    const to = pgTables.get(name);
    if (!to) throw new Error(`bench: table ${name} has no PostgreSQL twin in src/db/pg/schema.ts`);
    out.push({ name, from: value, to });
  }
  return out;
}

/** One multi-row INSERT of `rows` (objects keyed by the schema's property names) into `table`. */
function insertBatch(db: PgDb, table: PgTable, rows: Record<string, unknown>[]): Promise<unknown> {
  const columns = Object.entries(getTableColumns(table));
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const arrays = sql.join(
    columns.map(
      ([key, c]) =>
        sql`${sql.param(rows.map((r) => (r[key] == null ? null : c.mapToDriverValue(r[key]))))}::${sql.raw(c.getSQLType())}[]`,
    ),
    sql`, `,
  );
  return db.execute(sql`insert into ${table} (${names}) select * from unnest(${arrays})`);
}

export interface CopyResult {
  rows: number;
  ms: number;
}

/** Copies every row of the SQLite file at `path` into the migrated, empty PostgreSQL database at `url`. */
export async function copyToPostgres(
  path: string,
  url: string,
  progress: (line: string) => void = () => {},
): Promise<CopyResult> {
  const started = performance.now();
  const sqlite = new Database(path, { readonly: true });
  // One connection: the session settings below hold for the whole load.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const from = sqliteDrizzle({ client: sqlite });
  const to = pgDrizzle({ client: pool });
  let total = 0;
  try {
    await to.execute(sql`set session_replication_role = replica`);
    await to.execute(sql`set maintenance_work_mem = '256MB'`);
    const indexes = await pool.query<{ name: string; def: string }>(
      `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
         from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public'
          and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
    );
    for (const { name } of indexes.rows) await pool.query(`drop index public."${name}"`);

    for (const { name, from: table, to: target } of pairs()) {
      const sourceCount = (sqlite.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
      if (sourceCount === 0) continue;
      const idColumn = getTableColumns(table).id;
      /** The next batch: by id when the table has one, else the whole table (the bench fills only tables with ids). */
      const read = (after: number): Record<string, unknown>[] =>
        idColumn
          ? from.select().from(table).where(gt(idColumn, after)).orderBy(idColumn).limit(BATCH).all()
          : after === 0
            ? from.select().from(table).all()
            : [];
      let rows = read(0);
      let copied = 0;
      while (rows.length > 0) {
        const writing = insertBatch(to, target, rows);
        copied += rows.length;
        const last = Number(rows.at(-1)?.id ?? 0);
        // The next batch is read while PostgreSQL writes this one.
        const next = idColumn && rows.length === BATCH ? read(last) : [];
        await writing;
        rows = next;
      }
      const [counted] = (await to.execute<{ n: number }>(sql`select count(*)::int as n from ${target}`)).rows;
      if (counted?.n !== sourceCount) {
        throw new Error(`bench: ${name} has ${counted?.n} rows in PostgreSQL, ${sourceCount} in SQLite`);
      }
      if ("id" in getTableColumns(target)) {
        await pool.query(
          `select setval(pg_get_serial_sequence('public."${name}"', 'id'), coalesce(max(id), 0) + 1, false) from public."${name}"`,
        );
      }
      total += copied;
      progress(`${name}: ${copied.toLocaleString("en")} rows`);
    }

    // What the triggers would have counted, as SQLite's triggers did while seeding.
    await to.execute(sql`update ${pgSchema.firms} set live_licences = coalesce(
      (select count(*) from ${pgSchema.licences} l where l.firm_id = ${pgSchema.firms.id} and l.deleted_at is null), 0)`);
    const sqliteLive = sqlite.prepare("select id, live_licences as n from firms").all() as { id: number; n: number }[];
    const pgLive = new Map(
      (await pool.query<{ id: number; n: number }>("select id, live_licences as n from firms")).rows.map((r) => [
        r.id,
        r.n,
      ]),
    );
    if (sqliteLive.some((f) => pgLive.get(f.id) !== f.n)) {
      throw new Error("bench: firms.live_licences differs between the two databases");
    }

    progress(`building ${indexes.rows.length} indexes`);
    for (const { def } of indexes.rows) await pool.query(def);
    await to.execute(sql`set session_replication_role = origin`);
    await pool.query("analyze");
  } finally {
    sqlite.close();
    await pool.end();
  }
  return { rows: total, ms: performance.now() - started };
}
