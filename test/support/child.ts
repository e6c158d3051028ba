import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tempDir } from "./app.ts";

const root = resolve(import.meta.dirname, "../..");
/** tsx's loader, by URL: the child runs in a folder without node_modules. */
const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

export interface ChildApp {
  url: string;
  /** Everything the process wrote to standard output and standard error so far. */
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * `src/main.ts` as a real process, as an operator starts it: what it writes,
 * console.* of every SDK included, is captured. Resolves once it listens.
 */
export async function startChildApp(env: Record<string, string>): Promise<ChildApp> {
  const tmp = tempDir();
  const base: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "SystemRoot"]) if (process.env[key]) base[key] = process.env[key];
  const child: ChildProcess = spawn(process.execPath, ["--import", TSX, join(root, "src/main.ts")], {
    cwd: tmp.dir,
    env: { ...base, PORT: "0", DATABASE_PATH: join(tmp.dir, "licencias.db"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stderr?.on("data", (d) => {
      err += d;
    });
    child.stdout?.on("data", (d) => {
      out += d;
      const listening = /"url":"(http:[^"]+)"[^\n]*Licencias PYMES listening/.exec(out);
      if (listening?.[1]) resolveUrl(listening[1]);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}${err}`)));
  });
  return {
    url,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      tmp.remove();
    },
  };
}
