import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { knownMigrations } from "../../src/db/open.ts";
import { type Proc, runServer } from "../ops/process.ts";
import { tempDir } from "../support/app.ts";

/** A port nobody listens on right now (the kernel picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("npm start in an empty folder", () => {
  const tmp = tempDir();
  let proc: Proc | undefined;
  afterAll(async () => {
    await proc?.kill();
    tmp.remove();
  });

  it("creates and migrates ./data/licencias.db and answers /healthz (only PORT set, to a free port)", {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    proc = runServer({ PORT: String(port) }, { cwd: tmp.dir });
    const start = await proc.started();
    // The answer comes from this very process, not from something else on the port.
    expect(start.pid).toBe(proc.child.pid);
    expect(start.url).toBe(`http://127.0.0.1:${port}`);
    expect(start.teams).toMatch(/emulator/i);
    const res = await fetch(`${start.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      version: start.version,
      migrationLevel: knownMigrations().length,
    });
    expect(proc.output()).toMatch(/UNAUTHENTICATED/);
    const dbFile = join(tmp.dir, "data", "licencias.db");
    expect(existsSync(dbFile)).toBe(true);
    const db = new Database(dbFile, { readonly: true });
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    expect(tables).toEqual(
      expect.arrayContaining(["firms", "workspaces", "licences", "clients", "installations", "audit_events"]),
    );
  });

  it("refuses to start on a wrong setting, naming it", { timeout: 60_000 }, async () => {
    const bad = runServer({ PORT: "not-a-port" }, { cwd: tmp.dir });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT/);
  });
});
