import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { expect } from "vitest";

/**
 * The server as an operator meets it: a real process started with an
 * environment, its log read line by line, signals sent to it.
 */

export const root = resolve(import.meta.dirname, "../..");
/** tsx's loader, by URL: a child may run in a folder without node_modules. */
export const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
export const MAIN = join(root, "src/main.ts");

/** The environment of a new user: none of the project's settings. */
export function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "SystemRoot"]) if (process.env[key]) env[key] = process.env[key];
  return { ...env, ...extra };
}

export interface Proc {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first output line matching `pattern` (already written or still to come). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  /** The start line, parsed. */
  started(timeoutMs?: number): Promise<StartLine>;
  /** Sends SIGTERM if it still runs and waits for the exit. */
  kill(): Promise<void>;
}

export interface StartLine {
  msg: string;
  version: string;
  pid: number;
  url: string;
  database: string;
  migrationLevel: number;
  slack: string;
  teams: string;
  support: string;
}

export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): Proc {
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: options.env ?? bareEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let out = "";
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | string>((r) =>
    child.once("exit", (code, signal) => {
      r(code ?? signal ?? -1);
      for (const w of waiters.splice(0)) w();
    }),
  );

  const line = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolveLine, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`no line ${pattern} within ${timeoutMs} ms:\n${out}`)),
        timeoutMs,
      );
      const check = () => {
        const found = out.split("\n").find((l) => pattern.test(l));
        if (found !== undefined) {
          clearTimeout(deadline);
          resolveLine(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(deadline);
          reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${out}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });

  return {
    child,
    output: () => out,
    line,
    exited,
    started: async (timeoutMs) => JSON.parse(await line(/"msg":"Licencias PYMES listening"/, timeoutMs)) as StartLine,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** `node --import tsx src/main.ts …`: what `npm start` runs. */
export function runServer(env: Record<string, string>, options: { cwd?: string; args?: string[] } = {}): Proc {
  return run(process.execPath, ["--import", TSX, MAIN, ...(options.args ?? [])], {
    cwd: options.cwd ?? root,
    env: bareEnv(env),
  });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface SlowRequest {
  /** Sends the rest of the body; resolves with the answer. */
  finish(): Promise<{ status: number; body: string }>;
}

/**
 * A client API request whose body is still on its way: resolves once the
 * server has read its headers (it answered `Expect: 100-continue`), so the
 * request is certainly in flight on the server.
 */
export function slowRequest(baseUrl: string): Promise<SlowRequest> {
  const body = JSON.stringify({
    licenceNumber: "ABCDE-FGHJK-MNPQR-STVW0",
    taxId: "12345678Z",
    installationId: "a".repeat(64),
  });
  return new Promise((resolveSlow, reject) => {
    const req = request(`${baseUrl}/api/v1/activations`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        expect: "100-continue",
      },
    });
    const answer = new Promise<{ status: number; body: string }>((resolveAnswer, rejectAnswer) => {
      req.once("response", (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.once("end", () => resolveAnswer({ status: res.statusCode ?? 0, body: text }));
        res.once("error", rejectAnswer);
      });
      req.once("error", rejectAnswer);
    });
    answer.catch(reject);
    req.once("continue", () => {
      req.write(body.slice(0, 10));
      resolveSlow({
        finish: () => {
          req.end(body.slice(10));
          return answer;
        },
      });
    });
    req.flushHeaders();
  });
}

/** Whether a new connection (not one kept alive from before) is refused. */
export function refused(url: string): Promise<boolean> {
  return new Promise((resolveRefused, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolveRefused(false);
    });
    req.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED") resolveRefused(true);
      else reject(err);
    });
    req.end();
  });
}

/**
 * SIGTERM/SIGINT reach the server by `signal` (to the process, or to its
 * process group); a request in flight still gets its answer, a new
 * connection is refused, "stopped" is logged and the exit code is 0, all
 * within 10 s.
 */
export async function stopsCleanly(proc: Proc, signal: (serverPid: number) => void): Promise<void> {
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
