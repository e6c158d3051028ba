import { randomBytes as cryptoRandomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { createApiRouter } from "./api/index.ts";
import { createCompositeSupportDesk } from "./bot/composite-desk.ts";
import { createSlackBot } from "./bot/slack/index.ts";
import { createTeamsBot } from "./bot/teams/index.ts";
import { type Config, isTeamsEmulatorMode } from "./config.ts";
import { openStore } from "./db/index.ts";
import type { RandomBytes } from "./domain/licence-number.ts";
import { checkHealth, type Deps, postPendingRequests, type SupportDesk } from "./handlers/index.ts";
import { createLogger, type Logger } from "./logger.ts";

/** What tests (and only tests) replace: time, randomness, the log, Slack's API address. */
export interface AppOverrides {
  now?: () => number;
  randomBytes?: RandomBytes;
  logger?: Logger;
  /** Passed to every Slack Web API client (e.g. a local fake's slackApiUrl). */
  slackClientOptions?: { slackApiUrl?: string };
  /** Slack's HTTP answer waits for the listeners (see SlackBotOptions). */
  slackProcessBeforeResponse?: boolean;
}

export interface App {
  app: express.Express;
  deps: Deps;
  logger: Logger;
  close(): void;
}

/** The composition root: config → database → handlers → bots → HTTP routes. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const { store, close } = openStore(config.databasePath);
  const deps: Deps = {
    store,
    now: overrides.now ?? Date.now,
    randomBytes: overrides.randomBytes ?? ((n) => cryptoRandomBytes(n)),
    logger,
    support: config.support,
    installerUrl: config.installerUrl,
    notifiers: {},
  };

  const app = express();
  app.disable("x-powered-by");
  // A hop count or the proxies' addresses, never every hop: the left-most X-Forwarded-For is the client's to write.
  if (config.trustProxy !== false) app.set("trust proxy", config.trustProxy);

  app.get("/healthz", (_req, res) => {
    if (checkHealth(deps)) res.json({ status: "ok" });
    else res.status(503).json({ status: "unavailable" });
  });

  const desks: Record<string, SupportDesk> = {};

  if (config.slack) {
    const slack = createSlackBot(deps, {
      config: config.slack,
      support: config.support,
      publicUrl: config.publicUrl,
      defaultLocale: config.defaultLocale,
      logger: logger.child({ module: "slack" }),
      clientOptions: overrides.slackClientOptions,
      processBeforeResponse: overrides.slackProcessBeforeResponse,
    });
    // Bolt reads the raw body itself: mounted before any body parser.
    app.use(slack.router);
    deps.notifiers.slack = slack.notifier;
    if (slack.supportDesk) desks.slack = slack.supportDesk;
  }

  const emulator = isTeamsEmulatorMode(config);
  if (emulator) {
    logger.warn(
      "Teams runs in LOCAL EMULATOR MODE: /api/messages is UNAUTHENTICATED (no BOT_ID set); it serves only callers on this machine without proxy headers. Set BOT_ID and BOT_PASSWORD for a real deployment.",
    );
  }
  const teams = createTeamsBot(deps, {
    config: config.teams,
    emulator,
    support: config.support,
    defaultLocale: config.defaultLocale,
    logger: logger.child({ module: "teams" }),
  });
  // The Teams edge reads the body itself (at most 256 KB), after checking who calls.
  app.post("/api/messages", teams.handlers);
  deps.notifiers.teams = teams.notifier;
  if (teams.supportDesk) desks.teams = teams.supportDesk;

  deps.supportDesk = createCompositeSupportDesk(desks);

  app.use("/api/v1", createApiRouter(deps, { logger: logger.child({ module: "api" }) }));

  app.use((_req, res) => {
    res.status(404).json({ code: "NOT_FOUND", message: "No such endpoint." });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err }, "unhandled error in a request");
    if (res.headersSent) return;
    res
      .status(status)
      .json(
        status === 500
          ? { code: "INTERNAL", message: "Something went wrong." }
          : { code: "BAD_REQUEST", message: "The request could not be read." },
      );
  };
  app.use(onError);

  return { app, deps, logger, close };
}

const SUPPORT_RETRY_MS = 5 * 60_000;

export interface Running extends App {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/** Starts the one HTTP server. */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<Running> {
  const built = createApp(config, overrides);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = built.app.listen(config.port, config.host, () => resolve(s));
    s.once("error", reject);
  });
  // Requests made while the support channel was unreachable are shown as soon as it answers again.
  const retry = setInterval(() => {
    void postPendingRequests(built.deps).catch((err) =>
      built.logger.error({ err }, "could not post pending activation requests"),
    );
  }, SUPPORT_RETRY_MS);
  retry.unref();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    ...built,
    server,
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(retry);
        server.closeAllConnections?.();
        server.close(() => {
          built.close();
          resolve();
        });
      }),
  };
}
