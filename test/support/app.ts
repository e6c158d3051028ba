import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { type AppOverrides, type Running, startApp } from "../../src/app.ts";
import { loadConfig, WATCH_DEFAULTS } from "../../src/config.ts";
import type { StoreHandle } from "../../src/db/index.ts";
import type { Actor, Deps } from "../../src/handlers/index.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { type TestDatabase, tempDir, testDatabase } from "./storage.ts";

export { tempDir };

/** A logger that keeps every line, so tests can check what was logged. */
export function captureLogger(level = "debug"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

export interface TestApp extends Running {
  logLines: string[];
  /** Stops the server and removes the database folder. */
  dispose(): Promise<void>;
}

/**
 * The whole application on a random loopback port, with a real SQLite file
 * in a temporary folder. `env` is the environment as an operator would set it.
 */
export async function startTestApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<TestApp> {
  // A database given by the test (one kept across a restart, from testDatabase()) is the test's to remove.
  const own = env.DATABASE_PATH || env.DATABASE_URL ? undefined : await testDatabase();
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "debug", ...own?.env, ...env });
  const { logger, lines } = captureLogger();
  // Slack's answer waits for the listeners, so a test sees every effect when its request returns.
  const running = await startApp(config, { logger, slackProcessBeforeResponse: true, ...overrides });
  // The start's own Slack calls (auth.test of SLACK_BOT_TOKEN) are over before a test counts calls.
  await running.checked;
  return {
    ...running,
    logLines: lines,
    dispose: async () => {
      await running.stop();
      await own?.dispose();
    },
  };
}

/**
 * Use-case dependencies over a real database of this run's storage (a SQLite
 * file, or a PostgreSQL database in the `postgres` project), for handler tests.
 * `dbPath` is the SQLite file, or the PostgreSQL URL.
 */
export async function testDeps(
  overrides: Partial<Deps> = {},
): Promise<Deps & { handle: StoreHandle; database: TestDatabase; dbPath: string; dispose(): Promise<void> }> {
  const database = await testDatabase();
  const dbPath = database.target;
  const handle = await database.open();
  let clock = Date.UTC(2026, 10, 2, 9, 0, 0);
  const { logger } = captureLogger();
  return {
    store: handle.store,
    now: () => clock++,
    randomBytes: (n) => randomBytes(n),
    logger,
    support: { slackChannelId: "CSUPPORT01", userIds: [] },
    watch: WATCH_DEFAULTS,
    installerUrl: "https://descargas.example.com/pymes",
    notifiers: {},
    ...overrides,
    handle,
    database,
    dbPath,
    dispose: async () => {
      await handle.close();
      await database.dispose();
    },
  };
}

let userSeq = 0;

/** An advisor of a firm (a Slack workspace by default). */
export function advisor(workspaceId = "T0FIRM0001", extra: Partial<Actor> = {}): Actor {
  userSeq++;
  return {
    platform: "slack",
    workspaceId,
    workspaceName: `Asesoría ${workspaceId}`,
    userId: `U0ADVISOR${userSeq}`,
    userName: `Advisor ${userSeq}`,
    locale: "es",
    channelId: "D0DIRECT01",
    ...extra,
  };
}

/** A support agent in the configured Slack support channel. */
export function supportAgent(extra: Partial<Actor> = {}): Actor {
  userSeq++;
  return {
    platform: "slack",
    workspaceId: "T0VENDOR01",
    workspaceName: "Vendor",
    userId: `U0SUPPORT${userSeq}`,
    userName: `Support ${userSeq}`,
    locale: "es",
    channelId: "CSUPPORT01",
    ...extra,
  };
}
