/**
 * The server's entry point: `npm start` (tsx) and `npm run start:prod`
 * (the compiled dist/main.js). Reads the environment over `.env`, starts the
 * app, logs one start line, and stops cleanly on SIGTERM or SIGINT.
 */
import { resolve } from "node:path";
import { ConfigError, loadConfig, withEnvFile } from "./config.ts";
import { readVersion } from "./version.ts";

/** Requests in flight get this long to finish after a stop signal; the whole stop stays under 10 s. */
const STOP_GRACE_MS = 8_000;
const STOP_DEADLINE_MS = 9_500;

const version = readVersion();

if (process.argv.slice(2).some((a) => a === "--version" || a === "-v")) {
  // Before anything else: no settings read, no database opened.
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

// Listened for from the first moment: a signal during the start stops the server once it has started.
let signalled: NodeJS.Signals | undefined;
let onSignal = (signal: NodeJS.Signals) => {
  signalled ??= signal;
};
process.on("SIGINT", (signal) => onSignal(signal));
process.on("SIGTERM", (signal) => onSignal(signal));

try {
  const config = loadConfig(withEnvFile(process.env, process.cwd()));
  // Loaded only now, so that --version stays quick and side-effect free.
  const { describeSurfaces, startApp } = await import("./app.ts");
  // The daily watch's timer runs in the server (docs/architecture.md, "The daily watch").
  const running = await startApp(config, { watchTimer: true });
  // Nothing bypasses the redacting logger, not even what an SDK prints itself.
  const { routeConsole } = await import("./logger.ts");
  routeConsole(running.logger.child({ module: "console" }));
  const { logger } = running;
  logger.info(
    {
      version,
      pid: process.pid,
      url: running.url,
      database: config.databasePath === ":memory:" ? ":memory:" : resolve(config.databasePath),
      migrationLevel: running.migrationLevel,
      ...describeSurfaces(config),
    },
    "Licencias PYMES listening",
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // npm and a process-group kill may deliver the same signal twice: one stop is enough.
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      logger.error({ signal }, "did not stop in time; exiting anyway");
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    // The listening socket is closed synchronously here, before the line below says so.
    const stopped = running.stop({ graceMs: STOP_GRACE_MS });
    logger.info({ signal }, "stopping: no new connections, finishing the requests in flight");
    stopped.then(
      () => {
        logger.info({ signal }, "stopped");
        logger.flush(() => process.exit(0));
      },
      (err: unknown) => {
        logger.error({ err }, "could not stop cleanly");
        logger.flush(() => process.exit(1));
      },
    );
  };
  onSignal = shutdown;
  if (signalled) shutdown(signalled);
} catch (err) {
  // ConfigError, StartError and DatabaseOpenError name the setting and its value.
  const message = err instanceof Error ? err.message : String(err);
  console.error(err instanceof ConfigError ? message : `Licencias PYMES could not start: ${message}`);
  process.exit(1);
}
