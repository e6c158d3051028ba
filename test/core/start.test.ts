import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/app.ts";

const root = resolve(import.meta.dirname, "../..");
/** tsx's loader, by URL: the child runs in a folder without node_modules. */
const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

/** The environment of a new user: none of the project's settings. */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "SystemRoot"]) if (process.env[key]) env[key] = process.env[key];
  return env;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited early: ${output()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer: ${output()}`);
}

describe("npm start with no settings", () => {
  const tmp = tempDir();
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    tmp.remove();
  });

  it("creates and migrates ./data/licencias.db and answers /healthz on 127.0.0.1:3978", {
    timeout: 60_000,
  }, async () => {
    let out = "";
    child = spawn(process.execPath, ["--import", TSX, join(root, "src/main.ts")], {
      cwd: tmp.dir,
      env: bareEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.stderr?.on("data", (d) => {
      out += d;
    });
    const res = await waitForHealth("http://127.0.0.1:3978/healthz", child, () => out);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", version: expect.any(String), migrationLevel: 1 });
    expect(out).toMatch(/UNAUTHENTICATED/);
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
    const bad = spawn(process.execPath, ["--import", TSX, join(root, "src/main.ts")], {
      cwd: tmp.dir,
      env: { ...bareEnv(), PORT: "not-a-port" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    bad.stderr?.on("data", (d) => {
      err += d;
    });
    const code = await new Promise((r) => bad.once("exit", r));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT/);
  });
});
