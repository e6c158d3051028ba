import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/app.ts";
import { bareEnv, type Proc, refused, run, runServer, slowRequest } from "./process.ts";

const tmp = tempDir();
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  tmp.remove();
});

/**
 * SIGTERM/SIGINT reach the server by `signal` (to the process, or to its
 * process group); a request in flight still gets its answer, a new
 * connection is refused, "stopped" is logged and the exit code is 0, all
 * within 10 s.
 */
async function stopsCleanly(proc: Proc, signal: (serverPid: number) => void): Promise<void> {
  const start = await proc.started();
  const dbPath = start.database;
  expect((await fetch(`${start.url}/healthz`)).status).toBe(200);

  const inFlight = await slowRequest(start.url);
  const signalledAt = Date.now();
  signal(start.pid);
  await proc.line(/"msg":"stopping/, 10_000);
  expect(await refused(`${start.url}/healthz`)).toBe(true);

  const answer = await inFlight.finish();
  expect(answer.status).toBeLessThan(500);
  expect(JSON.parse(answer.body)).toHaveProperty("code");

  expect(await proc.exited).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(proc.output().match(/"msg":"stopped"/g)).toHaveLength(1);

  // Checkpointed on the way out: nothing left in a WAL file.
  expect(existsSync(`${dbPath}-wal`)).toBe(false);
  const db = new Database(dbPath);
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  db.close();
}

describe("stopping the server", () => {
  it("SIGTERM to the process that `npm start` started", { timeout: 60_000 }, async () => {
    const proc = run("npm", ["start"], {
      env: bareEnv({ PORT: "0", DATABASE_PATH: join(tmp.dir, "npm.db") }),
    });
    procs.push(proc);
    await stopsCleanly(proc, () => proc.child.kill("SIGTERM"));
  });

  it("SIGTERM to the process group of `npm start` (as a terminal or a service manager does)", {
    timeout: 60_000,
  }, async () => {
    const proc = run("npm", ["start"], {
      env: bareEnv({ PORT: "0", DATABASE_PATH: join(tmp.dir, "group.db") }),
      detached: true,
    });
    procs.push(proc);
    await stopsCleanly(proc, () => process.kill(-(proc.child.pid as number), "SIGTERM"));
  });

  it("SIGINT to the server itself", { timeout: 60_000 }, async () => {
    const proc = runServer({ PORT: "0", DATABASE_PATH: join(tmp.dir, "direct.db") });
    procs.push(proc);
    await stopsCleanly(proc, (pid) => process.kill(pid, "SIGINT"));
  });
});
