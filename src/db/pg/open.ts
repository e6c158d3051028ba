import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { migratePg } from "./migrate.ts";
import * as schema from "./schema.ts";

/** The drizzle database over a node-postgres pool (`$client`). */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface OpenPg {
  db: PgDb;
  /** How many migrations the database has had (for /healthz). */
  migrationLevel: number;
  /** Throws when the database does not answer within a second. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PgOptions {
  /** Connections per instance (DATABASE_POOL_SIZE); instances × this must stay under max_connections. */
  poolSize?: number;
  /** Idle connections' errors (the server restarted, the network dropped): logged, never thrown. */
  onPoolError?: (err: Error) => void;
}

/**
 * Session limits of every connection (docs/architecture.md, "Storage:
 * PostgreSQL"): a click waiting behind a lock
 * still answers inside Slack's 3 s; a transaction left open is ended.
 */
export const SESSION = {
  statement_timeout: 5_000,
  lock_timeout: 2_000,
  idle_in_transaction_session_timeout: 10_000,
  connectionTimeoutMillis: 2_000,
} as const;

/** Opens a pool on DATABASE_URL and migrates the database (under the advisory lock) before anything else. */
export async function openPg(url: string, opts: PgOptions = {}): Promise<OpenPg> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    application_name: "licencias-pymes",
    keepAlive: true,
    ...SESSION,
  });
  // pg-pool re-emits an idle connection's error on the pool; unhandled, that event would end the process.
  pool.on("error", (err) => opts.onPoolError?.(err));
  try {
    const { level } = await migratePg(pool);
    const db = drizzle({ client: pool, schema });
    return {
      db,
      migrationLevel: level,
      async ping() {
        // pg reads query_timeout from a query's config too (client.js), which its types do not list.
        const probe: pg.QueryConfig & { query_timeout: number } = { text: "select 1", query_timeout: 1_000 };
        await pool.query(probe);
      },
      close: () => pool.end(),
    };
  } catch (err) {
    await pool.end();
    throw err;
  }
}
