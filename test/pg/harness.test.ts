import { existsSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePostgres, findPostgresBin, type PgServer, startPostgres } from "../support/postgres.ts";

/** Whether something accepts TCP connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("the PostgreSQL test server", () => {
  let server: PgServer;
  beforeAll(async () => {
    server = await startPostgres({ database: "harness" });
  }, 180_000);
  afterAll(() => server?.stop());

  it("is found under /usr/lib/postgresql/*/bin or on PATH; a PG_BIN without it says what to install", () => {
    expect(findPostgresBin()).toMatch(/\/bin$/);
    const before = process.env.PG_BIN;
    process.env.PG_BIN = "/nonexistent/bin";
    try {
      expect(findPostgresBin()).toBeUndefined();
      expect(() => ensurePostgres({ install: false })).toThrow(/install Debian's "postgresql" package/);
    } finally {
      if (before === undefined) delete process.env.PG_BIN;
      else process.env.PG_BIN = before;
    }
  });

  it("serves the database it was asked for on a loopback port, with its socket in its own folder", async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/harness`);
    expect(existsSync(`${server.dir}/.s.PGSQL.${server.port}`)).toBe(true);
    expect(statSync(server.dir).mode & 0o777).toBe(0o700);
    if (process.getuid?.() === 0) expect(statSync(server.dir).uid).not.toBe(0);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const row = await client.query<{ db: string; encoding: string; collate: string; superuser: string }>(
        "select current_database() as db, pg_encoding_to_char(encoding) as encoding, datcollate as collate, " +
          "current_setting('is_superuser') as superuser from pg_database where datname = current_database()",
      );
      expect(row.rows[0]).toEqual({ db: "harness", encoding: "UTF8", collate: "C", superuser: "on" });
    } finally {
      await client.end();
    }
  });

  it("also answers on its Unix socket", async () => {
    const client = new pg.Client({ host: server.dir, port: server.port, user: "postgres", database: "harness" });
    await client.connect();
    try {
      expect((await client.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it("creates more databases, copies of a template too", async () => {
    const first = await server.createDatabase("first");
    const client = new pg.Client({ connectionString: first });
    await client.connect();
    await client.query("create table marker (n integer); insert into marker values (7)");
    await client.end();
    const copy = await server.createDatabase("copy", { template: "first" });
    const again = new pg.Client({ connectionString: copy });
    await again.connect();
    try {
      expect((await again.query<{ n: number }>("select n from marker")).rows).toEqual([{ n: 7 }]);
    } finally {
      await again.end();
    }
    await expect(server.createDatabase("bad; drop")).rejects.toThrow(/not a plain database name/);
  });

  it("stops, frees its port and removes its folder, once", async () => {
    const other = await startPostgres({ database: "other" });
    expect(await listening(other.port)).toBe(true);
    await other.stop();
    await other.stop();
    expect(await listening(other.port)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
    // The first server is untouched.
    expect(await listening(server.port)).toBe(true);
  }, 60_000);
});
