import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePg } from "../../src/db/pg/migrate.ts";
import { startPostgres } from "./postgres.ts";

declare module "vitest" {
  interface ProvidedContext {
    /** The server's maintenance database (`postgres`), where test databases are created from the template. */
    pgAdminUrl: string;
  }
}

/** The migrated database every test database is copied from (CREATE DATABASE … TEMPLATE). */
export const PG_TEMPLATE = "licencias_template";

/**
 * The `postgres` project's global setup (docs/architecture.md, "Tests on both
 * storages"): one throwaway PostgreSQL server per run, its template database
 * migrated once; the workers get the server's address through `inject`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres({ database: PG_TEMPLATE });
  const pool = new pg.Pool({ connectionString: server.url, max: 1 });
  try {
    await migratePg(pool);
  } finally {
    await pool.end();
  }
  project.provide("pgAdminUrl", server.urlOf("postgres"));
  return () => server.stop();
}
