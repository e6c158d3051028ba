import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "../..");

/**
 * Two processes running the daily watch at once on one database (a SQLite
 * file or a PostgreSQL URL): both start (test/support/watch-worker.ts), wait
 * for a go file, then run; resolves to what each printed after "ready".
 */
export async function raceWatchWorkers(target: string, nowMs: number): Promise<string[]> {
  const go = join(tmpdir(), `licencias-watch-go-${process.pid}-${Date.now()}`);
  const readies: Promise<void>[] = [];
  const worker = () =>
    new Promise<string>((done, fail) => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href,
          join(root, "test/support/watch-worker.ts"),
          target,
          go,
          String(nowMs),
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
  const both = Promise.all([worker(), worker()]);
  await Promise.race([Promise.all(readies), both]);
  writeFileSync(go, "");
  return both;
}
