import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { tempDir } from "../support/app.ts";
import { bareEnv, type Proc, run, runServer, stopsCleanly } from "./process.ts";

const tmp = tempDir();
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  tmp.remove();
});

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
