import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "../..");

/**
 * Processes racing on one database (a SQLite file or a PostgreSQL URL): each
 * runs `script` (a file of test/support, through tsx) with the arguments
 * `argsOf(go)` gives it, prints "ready" once its database is open, waits for
 * the go file, then acts; resolves to what each printed after "ready".
 */
export async function raceProcesses(script: string, argsOf: ((go: string) => string[])[]): Promise<string[]> {
  const go = join(tmpdir(), `licencias-race-go-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const readies: Promise<void>[] = [];
  const worker = (args: string[]) =>
    new Promise<string>((done, fail) => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href,
          join(root, "test/support", script),
          ...args,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let out = "";
      readies.push(
        new Promise<void>((ready) => {
          child.stdout.on("data", (d) => {
            out += d;
            if (out.startsWith("ready\n")) ready();
          });
        }),
      );
      child.on("error", fail);
      child.on("exit", (code) =>
        out.startsWith("ready\n") ? done(out.slice("ready\n".length)) : fail(new Error(`worker exited ${code}`)),
      );
    });
  const all = Promise.all(argsOf.map((args) => worker(args(go))));
  // Every process has its database open and waits for the signal: go.
  await Promise.race([Promise.all(readies), all]);
  writeFileSync(go, "");
  return all;
}

/** Two processes running the daily watch at once (test/support/watch-worker.ts). */
export function raceWatchWorkers(target: string, nowMs: number): Promise<string[]> {
  const args = (go: string) => [target, go, String(nowMs)];
  return raceProcesses("watch-worker.ts", [args, args]);
}
