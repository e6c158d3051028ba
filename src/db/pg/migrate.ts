import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * The advisory lock that one instance holds while it migrates (two int4 keys:
 * "LPYM" and 1). drizzle's migrator reads the last applied migration before its
 * transaction and runs `CREATE SCHEMA IF NOT EXISTS` outside it, so two
 * instances starting at once would both apply the same migration; under this
 * lock the second waits, then finds nothing to do (docs/architecture.md,
 * "Migrations").
 */
export const MIGRATION_LOCK: readonly [number, number] = [0x4c50594d, 1];

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

/** The PostgreSQL migrations this code knows, in order (drizzle-kit's journal). */
export function knownPgMigrations(): Journal["entries"] {
  return (JSON.parse(readFileSync(resolve(MIGRATIONS, "meta/_journal.json"), "utf8")) as Journal).entries;
}

/** drizzle's bookkeeping (schema `drizzle`): how many migrations were applied, and the newest one's `when`. */
async function appliedPg(client: pg.ClientBase): Promise<{ count: number; last: number }> {
  const exists = await client.query<{ t: string | null }>("select to_regclass('drizzle.__drizzle_migrations') as t");
  if (!exists.rows[0]?.t) return { count: 0, last: 0 };
  const row = await client.query<{ count: string; last: string | null }>(
    "select count(*) as count, max(created_at) as last from drizzle.__drizzle_migrations",
  );
  return { count: Number(row.rows[0]?.count ?? 0), last: Number(row.rows[0]?.last ?? 0) };
}

export class PgMigrationError extends Error {
  override name = "PgMigrationError";
}

/**
 * Applies src/db/pg/migrations under the advisory lock, on one connection of
 * `target` (a pool, or a URL for a pool of one that is closed afterwards).
 * Refuses a database migrated further than this code knows, as SQLite's
 * openDatabase does. drizzle runs the pending migrations in one transaction:
 * a failed one leaves the database as it was. The lock is a session lock, so
 * a connection lost midway frees it.
 */
export async function migratePg(target: string | pg.Pool): Promise<{ applied: number; level: number }> {
  const pool = typeof target === "string" ? new pg.Pool({ connectionString: target, max: 1 }) : target;
  try {
    const client = await pool.connect();
    try {
      await client.query("select pg_advisory_lock($1, $2)", [...MIGRATION_LOCK]);
      try {
        const known = knownPgMigrations();
        const before = await appliedPg(client);
        const newest = Math.max(0, ...known.map((m) => m.when));
        if (before.last > newest || before.count > known.length) {
          throw new PgMigrationError(
            `the database is at migration level ${before.count}, newer than this version knows (level ${known.length})`,
          );
        }
        await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
        const after = await appliedPg(client);
        return { applied: after.count - before.count, level: after.count };
      } finally {
        await client.query("select pg_advisory_unlock($1, $2)", [...MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } finally {
    if (typeof target === "string") await pool.end();
  }
}
