import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { openStore, type StoreHandle, type StoreOptions } from "../../src/db/index.ts";
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

/** A fresh folder for a real SQLite file; removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "licencias-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh, migrated database of this run's storage. */
export interface TestDatabase {
  kind: StorageKind;
  /** The SQLite file, or the PostgreSQL URL: what a worker process is given to open it (`storeOptionsFor`). */
  target: string;
  /** The settings that point the app at it: `{ DATABASE_PATH }` or `{ DATABASE_URL }`. */
  env: Record<string, string>;
  /** Another store on this database (another connection or pool, as another instance would have). */
  open(): Promise<StoreHandle>;
  /** Removes the file, or drops the database. */
  dispose(): Promise<void>;
}

/** Where `target` (a SQLite file or a PostgreSQL URL) is, as openStore's options. */
export function storeOptionsFor(target: string): StoreOptions {
  return /^postgres(ql)?:\/\//.test(target) ? { path: "", database: { url: target, poolSize: 5 } } : { path: target };
}

export async function testDatabase(): Promise<TestDatabase> {
  if (testStorage() === "postgres") {
    const db = await freshPgDatabase();
    return {
      kind: "postgres",
      target: db.url,
      env: { DATABASE_URL: db.url },
      open: () => openStore(storeOptionsFor(db.url)),
      dispose: db.drop,
    };
  }
  const tmp = tempDir();
  const path = join(tmp.dir, "licencias.db");
  return {
    kind: "sqlite",
    target: path,
    env: { DATABASE_PATH: path },
    open: () => openStore({ path }),
    dispose: async () => tmp.remove(),
  };
}

/** A store on a fresh database of this run's storage; `dispose` closes it and removes the database. */
export async function openTestStore(): Promise<StoreHandle & { database: TestDatabase; dispose(): Promise<void> }> {
  const database = await testDatabase();
  const handle = await database.open();
  return {
    ...handle,
    database,
    dispose: async () => {
      await handle.close();
      await database.dispose();
    },
  };
}

/** A fresh PostgreSQL database copied from the migrated template: no migration per test. */
export async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
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
