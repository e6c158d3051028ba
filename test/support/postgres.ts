import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";

/**
 * A throwaway PostgreSQL server for tests and CI (docs/architecture.md,
 * "Tests on both storages"): Debian's `postgresql` package, `initdb` into a
 * temporary folder, started with `pg_ctl` on a free loopback port with its
 * Unix socket in that folder, stopped and removed afterwards.
 *
 * initdb and postgres refuse to run as root. When this process is root (CI,
 * containers), they run as the `postgres` system user that the Debian package
 * creates (else `nobody`, or PG_HARNESS_USER), through `runuser`, and the
 * temporary folder is handed to that user. Otherwise they run as this user.
 */

/** The superuser initdb creates; trusted on loopback only, and only in this throwaway cluster. */
const SUPERUSER = "postgres";
const PACKAGE = "postgresql";

export interface PgServer {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`: the database asked for at the start. */
  url: string;
  port: number;
  /** The temporary folder: `data/` (the cluster), the Unix socket, `server.log`. */
  dir: string;
  /** The URL of another database on this server. */
  urlOf(database: string): string;
  /** Creates a database (optionally a copy of a template, which is fast) and returns its URL. */
  createDatabase(name: string, opts?: { template?: string }): Promise<string>;
  /** Stops the server but keeps its data and port, to test what happens while the database is down. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port. */
  resume(): Promise<void>;
  /** The server's log so far (start-up problems, slow statements). */
  log(): string;
  /** Stops the server (fast shutdown) and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The database created at the start (default `licencias`). */
  database?: string;
  /** Install Debian's package when no PostgreSQL is found (default: when root and apt-get exists). */
  install?: boolean;
  /** Where progress lines go (default: nowhere). */
  progress?: (line: string) => void;
}

/** The folder that holds initdb, pg_ctl and postgres: PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, "initdb")) ? fromEnv : undefined;
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(debian, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  return undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** The PostgreSQL binaries, installing Debian's package first when they are missing and we may. */
export function ensurePostgres(opts: Pick<StartOptions, "install" | "progress"> = {}): string {
  const found = findPostgresBin();
  if (found) return found;
  const mayInstall = opts.install ?? (isRoot() && existsSync("/usr/bin/apt-get"));
  if (!mayInstall) {
    throw new Error(
      `PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): ` +
        `install Debian's "${PACKAGE}" package (apt-get install -y ${PACKAGE}) or set PG_BIN`,
    );
  }
  opts.progress?.(`installing ${PACKAGE} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", PACKAGE]]) {
    const run = spawnSync("apt-get", args, { env, stdio: ["ignore", "ignore", "inherit"] });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${run.status})`);
  }
  const installed = findPostgresBin();
  if (!installed) throw new Error(`apt-get installed ${PACKAGE}, but no initdb was found`);
  return installed;
}

/** The user the server runs as when we are root: PG_HARNESS_USER, else `postgres` if it exists, else `nobody`. */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const candidates = process.env.PG_HARNESS_USER ? [process.env.PG_HARNESS_USER] : ["postgres", "nobody"];
  for (const name of candidates) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      if (uid !== 0) return { name, uid, gid };
    } catch {
      // No such user: try the next one.
    }
  }
  throw new Error(`running as root, but none of the users ${candidates.join(", ")} exists to run PostgreSQL as`);
}

/** A port nobody listens on right now (the kernel picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("the OS gave no port");
  return address.port;
}

/** Servers still running, stopped synchronously if the process exits without stopping them. */
const running = new Set<{ stopNow(): void }>();
let exitHookInstalled = false;
function onExitStopAll(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const server of running) server.stopNow();
  });
}

/**
 * initdb, start, create the database. Retries on another port when the one
 * the OS gave was taken meanwhile. Resolves once the server accepts connections.
 */
export async function startPostgres(opts: StartOptions = {}): Promise<PgServer> {
  const bin = ensurePostgres(opts);
  const user = serverUser();
  const database = opts.database ?? "licencias";
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`not a plain database name: ${database}`);
  const dir = mkdtempSync(join(tmpdir(), "licencias-pg-"));
  if (user) {
    chownSync(dir, user.uid, user.gid);
    // The server's user must reach the folder through its parents (a TMPDIR of mode 0700 owned by root would not do).
    if (spawnSync("runuser", ["-u", user.name, "--", "test", "-w", dir]).status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the user ${user.name} cannot reach ${dir}: set TMPDIR to a folder every user may enter (/tmp)`);
    }
  }
  chmodSync(dir, 0o700);
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");

  /** Runs a PostgreSQL program as the server's user; throws with its output when it fails. */
  const run = (program: string, args: string[]): string => {
    const [cmd, argv] = user
      ? ["runuser", ["-u", user.name, "--", join(bin, program), ...args]]
      : [join(bin, program), args];
    const result = spawnSync(cmd, argv, { cwd: dir, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
    if (result.status !== 0) {
      throw new Error(`${program} failed (exit ${result.status}): ${result.stderr || result.stdout}`.trim());
    }
    return result.stdout;
  };
  /** The same, without blocking the event loop: connections see the server go while it goes. */
  const runAsync = (program: string, args: string[]): Promise<void> => {
    const [cmd, argv] = user
      ? ["runuser", ["-u", user.name, "--", join(bin, program), ...args]]
      : [join(bin, program), args];
    return new Promise((resolve, reject) => {
      execFile(cmd, argv, { cwd: dir, env: { ...process.env, LC_ALL: "C" } }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${program} failed: ${stderr || stdout || err.message}`.trim()));
        else resolve();
      });
    });
  };
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  let watchdog: ChildProcess | undefined;
  let stopped = false;
  const stopNow = (mode: "fast" | "immediate") => {
    if (stopped) return;
    stopped = true;
    running.delete(handle);
    if (watchdog?.pid && watchdog.exitCode === null) {
      try {
        process.kill(-watchdog.pid); // its process group: the shell and its sleep
      } catch {
        // Already gone.
      }
    }
    if (existsSync(join(data, "postmaster.pid"))) {
      try {
        run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
      } catch {
        // Already gone: nothing to stop.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const handle = { stopNow: () => stopNow("immediate") };

  try {
    opts.progress?.(`initdb in ${dir}${user ? ` as ${user.name}` : ""}`);
    // C collation and UTF-8: text sorts bytewise, as in SQLite (docs/architecture.md, "Two schemas").
    run("initdb", ["-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    let port = 0;
    const startOptions = () => {
      return [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-k '${dir}'`,
        // A test cluster: durability is not needed, speed is.
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=200",
      ].join(" ");
    };
    const startArgs = () => ["-D", data, "-l", logFile, "-o", startOptions(), "-w", "-t", "60", "start"];
    const start = () => run("pg_ctl", startArgs());
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        start();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|Address already in use/.test(log())) {
          throw new Error(`${err instanceof Error ? err.message : String(err)}\n${log()}`);
        }
      }
    }
    running.add(handle);
    onExitStopAll();
    // If this process dies without running its exit hook (kill -9), stop the server and remove the folder.
    const stopCmd = user
      ? `runuser -u ${user.name} -- '${join(bin, "pg_ctl")}' -D '${data}' -m immediate stop`
      : `'${join(bin, "pg_ctl")}' -D '${data}' -m immediate stop`;
    watchdog = spawn(
      "sh",
      [
        "-c",
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
          `[ -f '${join(data, "postmaster.pid")}' ] && ${stopCmd} >/dev/null 2>&1; rm -rf '${dir}'`,
      ],
      { detached: true, stdio: "ignore" },
    );
    watchdog.unref();

    const urlOf = (name: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    const server: PgServer = {
      url: urlOf(database),
      port,
      dir,
      urlOf,
      log,
      async createDatabase(name, create = {}) {
        for (const id of [name, create.template ?? "template1"]) {
          if (!/^[a-z_][a-z0-9_]*$/.test(id)) throw new Error(`not a plain database name: ${id}`);
        }
        const client = new pg.Client({ connectionString: urlOf("postgres") });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE "${name}"${create.template ? ` TEMPLATE "${create.template}"` : ""}`);
        } finally {
          await client.end();
        }
        return urlOf(name);
      },
      halt: () => runAsync("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
      resume: () => runAsync("pg_ctl", startArgs()),
      async stop() {
        stopNow("fast");
      },
    };
    await server.createDatabase(database);
    opts.progress?.(`PostgreSQL listening on 127.0.0.1:${port}`);
    return server;
  } catch (err) {
    stopNow("immediate");
    throw err;
  }
}
