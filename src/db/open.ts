import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

/** The drizzle database, with its better-sqlite3 connection (`$client`) for what drizzle does not cover. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabase {
  db: Db;
  /** How many migrations the database has (see docs/architecture.md, Operations). */
  migrationLevel: number;
  /** Checkpoints the WAL into the database file, then closes it. */
  close(): void;
}

/** The database named by DATABASE_PATH cannot be used; the message names the setting and the path. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`DATABASE_PATH ${path} ${problem}`);
    this.name = "DatabaseOpenError";
  }
}

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

/** The migrations this code knows, in order (drizzle-kit's journal). */
export function knownMigrations(): Journal["entries"] {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS, "meta/_journal.json"), "utf8")) as Journal;
  return journal.entries;
}

/** drizzle's bookkeeping: one row per applied migration, created_at being the journal's `when`. */
function appliedMigrations(sqlite: Database.Database): { count: number; last: number } {
  const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'");
  if (!table.get()) return { count: 0, last: 0 };
  const row = sqlite.prepare("select count(*) as count, max(created_at) as last from __drizzle_migrations").get() as {
    count: number;
    last: number | null;
  };
  return { count: row.count, last: Number(row.last ?? 0) };
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = "code" in err ? String(err.code) : "";
  return code ? `${code}: ${err.message}` : err.message;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync retries forever
 * when a folder's parent exists but refuses it with ENOENT (under /proc, for
 * one), and a start must fail, not spin.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is a file`), { code: "ENOTDIR" });
  for (const folder of missing) mkdirSync(folder);
}

function openFile(path: string): Database.Database {
  if (path === ":memory:") return new Database(path);
  const full = resolve(path);
  try {
    makeFolder(dirname(full));
  } catch (err) {
    throw new DatabaseOpenError(path, `cannot be created: its folder cannot be made (${reason(err)})`);
  }
  if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) {
    throw new DatabaseOpenError(path, "is a folder, not a SQLite file");
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
  } catch (err) {
    throw new DatabaseOpenError(path, `cannot be opened or created (${reason(err)})`);
  }
  try {
    // Reads the header and writes it back unchanged: a file that is not SQLite, or that this
    // process may not write, fails here rather than on the first request.
    const userVersion = Number(sqlite.pragma("user_version", { simple: true }));
    sqlite.pragma(`user_version = ${userVersion}`);
  } catch (err) {
    sqlite.close();
    const code = err instanceof Error && "code" in err ? String(err.code) : "";
    if (code === "SQLITE_NOTADB") throw new DatabaseOpenError(path, "is not a SQLite database");
    if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM")) {
      throw new DatabaseOpenError(path, `cannot be written: read-only file or folder (${reason(err)})`);
    }
    throw new DatabaseOpenError(path, `cannot be read (${reason(err)})`);
  }
  return sqlite;
}

/**
 * Opens (creating the folder and file if needed) and migrates the SQLite
 * database. Refuses a database that a newer version has migrated further than
 * this code knows; a migration that fails is rolled back (drizzle runs them
 * all in one transaction) and the error names the database.
 */
export function openDatabase(path: string): OpenDatabase {
  const sqlite = openFile(path);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
    const known = knownMigrations();
    const before = appliedMigrations(sqlite);
    const newest = Math.max(0, ...known.map((m) => m.when));
    if (before.last > newest || before.count > known.length) {
      throw new DatabaseOpenError(
        path,
        `is at migration level ${before.count}, newer than this version knows (level ${known.length}): ` +
          "it was upgraded by a newer version of Licencias PYMES; run that version or restore a backup (there is no downgrade)",
      );
    }
    const db = drizzle(sqlite, { schema });
    // Already at this code's level (every start but the first after an upgrade): drizzle's
    // migrator would read and hash every migration file only to find nothing to do.
    const current = before.count === known.length && before.last === newest;
    try {
      if (!current) migrate(db, { migrationsFolder: MIGRATIONS });
    } catch (err) {
      throw new DatabaseOpenError(
        path,
        `could not be migrated (the migration was rolled back, nothing changed): ${reason(err)}`,
      );
    }
    return {
      db,
      migrationLevel: current ? before.count : appliedMigrations(sqlite).count,
      close: () => {
        if (!sqlite.open) return;
        try {
          if (path !== ":memory:") sqlite.pragma("wal_checkpoint(TRUNCATE)");
        } finally {
          sqlite.close();
        }
      },
    };
  } catch (err) {
    if (sqlite.open) sqlite.close();
    if (err instanceof DatabaseOpenError) throw err;
    throw new DatabaseOpenError(path, `cannot be used (${reason(err)})`);
  }
}
