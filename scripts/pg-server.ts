/**
 * A throwaway PostgreSQL server for a test run (docs/architecture.md,
 * "Tests on both storages"), built on test/support/postgres.ts.
 *
 *   npx tsx scripts/pg-server.ts [--database NAME] [--migrate] -- COMMAND [ARGS…]
 *     starts the server, runs COMMAND with DATABASE_URL set, stops the server
 *     and removes its folder, and exits with COMMAND's exit code;
 *   npx tsx scripts/pg-server.ts [--database NAME] [--migrate]
 *     starts the server, prints `DATABASE_URL=…` on stdout and keeps it
 *     running until SIGINT or SIGTERM.
 *
 * `--migrate` applies src/db/pg/migrations first (twice: the second run must
 * change nothing). Progress goes to stderr, so stdout is only the URL.
 * Installs Debian's `postgresql` package first when it is missing and this
 * runs as root; runs the server as the `postgres` user then.
 */
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { migratePg } from "../src/db/pg/migrate.ts";
import { type PgServer, startPostgres } from "../test/support/postgres.ts";

interface Args {
  database: string;
  migrate: boolean;
  command: string[];
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { database: "licencias", migrate: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      args.command = argv.slice(i + 1);
      break;
    }
    if (arg === "--migrate") args.migrate = true;
    else if (arg === "--database" && argv[i + 1]) args.database = argv[++i] ?? args.database;
    else throw new Error(`unknown argument ${arg}; usage: pg-server.ts [--database NAME] [--migrate] [-- COMMAND…]`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const progress = (line: string): void => {
    process.stderr.write(`pg-server: ${line}\n`);
  };
  const server: PgServer = await startPostgres({ database: args.database, progress });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= server.stop().then(() => progress("stopped and removed"));
    return stopping;
  };
  try {
    if (args.migrate) {
      for (const round of [1, 2]) {
        const applied = await migratePg(server.url);
        progress(`migrations, run ${round}: ${applied.applied} applied, level ${applied.level}`);
      }
    }
    if (args.command.length === 0) {
      process.stdout.write(`DATABASE_URL=${server.url}\n`);
      // Signal listeners do not keep Node running; this timer does, until a signal comes.
      const alive = setInterval(() => undefined, 2 ** 30);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      clearInterval(alive);
      await stop();
      return 0;
    }
    const [cmd, ...rest] = args.command;
    const child = spawn(cmd ?? "", rest, { stdio: "inherit", env: { ...process.env, DATABASE_URL: server.url } });
    // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to us is passed on.
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    process.on("SIGINT", () => undefined);
    process.on("SIGTERM", forward("SIGTERM"));
    const code = await new Promise<number>((resolve) => {
      child.once("error", (err) => {
        progress(`cannot run ${cmd}: ${err.message}`);
        resolve(127);
      });
      child.once("exit", (status, signal) => resolve(status ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
    await stop();
    return code;
  } catch (err) {
    await stop();
    throw err;
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`pg-server: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
