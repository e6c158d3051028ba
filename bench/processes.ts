/**
 * The bench's child processes: the compiled app and its peers, each on plain
 * node (the children in bench/children are transpiled next to dist/, so
 * they resolve the same node_modules), on a free loopback port.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { send } from "./load.ts";

export const root = resolve(import.meta.dirname, "..");
export const dist = join(root, "dist");
const childrenOut = join(dist, "bench-children");

/** dist/main.js was built after the last change to any file in src/ (else the bench builds first). */
export function distIsFresh(): boolean {
  const built = statSync(join(dist, "main.js"), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  return newest(join(root, "src")) < built;
}

/** The node flags of `npm run start:prod` (what it runs before dist/main.js), so children run as production does. */
export function productionFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const script = pkg.scripts["start:prod"] ?? "";
  const m = /\bnode\s+(.*?)\s*dist\/main\.js/.exec(script);
  return (m?.[1] ?? "").split(/\s+/).filter(Boolean);
}

/** Transpiles bench/children/*.ts (type checking is tsc's job) into dist/bench-children. */
export function compileChildren(): void {
  mkdirSync(childrenOut, { recursive: true });
  const dir = join(root, "bench/children");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const out = ts.transpileModule(readFileSync(join(dir, file), "utf8"), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        rewriteRelativeImportExtensions: true,
      },
    });
    writeFileSync(join(childrenOut, file.replace(/\.ts$/, ".js")), out.outputText);
  }
}

export interface Stats {
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
}

export interface Child {
  proc: ChildProcess;
  url: string;
  stats(): Promise<Stats>;
  /** Heap used after a full garbage collection, in bytes. */
  retained(): Promise<number>;
  /** Resident memory now and its peak so far (MiB), from /proc. */
  rss(): { now: number; peak: number };
  stop(): Promise<void>;
}

/** RSS and its high-water mark of a process, in MiB (Linux; NaN elsewhere). */
export function rssOf(pid: number): { now: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
    return { now: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
  } catch {
    return { now: Number.NaN, peak: Number.NaN };
  }
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    proc.once("exit", () => {
      clearTimeout(kill);
      done();
    });
    proc.kill("SIGTERM");
  });
}

/** Starts bench/children/<name>.ts (compiled) and waits for it to listen. */
export function startChild(name: string, env: Record<string, string>, execArgv: string[] = []): Promise<Child> {
  const proc = fork(join(childrenOut, `${name}.js`), [], {
    cwd: root,
    execArgv,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolveChild, reject) => {
    const timer = setTimeout(() => {
      void stopProcess(proc);
      reject(new Error(`${name} did not start within 60 s: ${stderr}`));
    }, 60_000);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening: ${stderr}`));
    });
    proc.on("message", function onReady(message: { type?: string; url?: string }) {
      if (message.type !== "ready" || !message.url) return;
      proc.off("message", onReady);
      clearTimeout(timer);
      proc.removeAllListeners("exit");
      const url = message.url;
      resolveChild({
        proc,
        url,
        stats: () =>
          new Promise((got) => {
            const onStats = (m: { type?: string } & Partial<Stats>) => {
              if (m.type !== "stats" || !m.cpu || !m.memory) return;
              proc.off("message", onStats);
              got({ cpu: m.cpu, memory: m.memory });
            };
            proc.on("message", onStats);
            proc.send("stats");
          }),
        retained: () =>
          new Promise((got) => {
            const onRetained = (m: { type?: string; heapUsed?: number }) => {
              if (m.type !== "retained" || m.heapUsed === undefined) return;
              proc.off("message", onRetained);
              got(m.heapUsed);
            };
            proc.on("message", onRetained);
            proc.send("retained");
          }),
        rss: () => rssOf(proc.pid ?? 0),
        stop: () => stopProcess(proc),
      });
    });
  });
}

/**
 * `npm run start:prod`'s command itself (node, its flags, dist/main.js; npm
 * would add a process of its own): the time from spawning it to the first
 * `/healthz` 200, and its resident memory once idle.
 */
export async function startProduction(
  env: Record<string, string>,
  port: number,
  idleMs: number,
): Promise<{ startMs: number; idleRss: number }> {
  const started = performance.now();
  const proc = spawn(process.execPath, [...productionFlags(), join(dist, "main.js")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    const deadline = started + 30_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`dist/main.js exited (${proc.exitCode}): ${stderr}`);
      if (performance.now() > deadline) throw new Error(`no /healthz 200 within 30 s: ${stderr}`);
      const ok = await send(`http://127.0.0.1:${port}/healthz`, { method: "GET" }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const startMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, idleMs));
    return { startMs, idleRss: rssOf(proc.pid ?? 0).now };
  } finally {
    await stopProcess(proc);
  }
}
