import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import type { StorageKind } from "../../src/db/store/index.ts";
import { PG_TEMPLATE } from "./pg-global.ts";

/**
 * The storage the tests of this run use (docs/architecture.md, "Tests on
 * both storages"): the vitest project decides (`TEST_STORAGE=postgres` in the
 * `postgres` project), never a test.
 */
export function testStorage(): StorageKind {
  return process.env.TEST_STORAGE === "postgres" ? "postgres" : "sqlite";
}

export interface TestDatabase {
  /** DATABASE_URL of a fresh, migrated database of its own. */
  url: string;
  /** Drops it (its connections are ended first). */
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database copied from the migrated template: no migration per test. */
export async function freshPgDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  if (!adminUrl) throw new Error("no PostgreSQL server for this run: run the tests through the `postgres` project");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${PG_TEMPLATE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
