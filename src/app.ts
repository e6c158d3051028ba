import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { createServer, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { createExportRouter } from "./api/export.ts";
import { createClientApi, VALIDATIONS_PATH } from "./api/index.ts";
import { createCompositeSupportDesk } from "./bot/composite-desk.ts";
import type { SlackBot } from "./bot/slack/index.ts";
import { PATHS as SLACK } from "./bot/slack/paths.ts";
import type { TeamsBot } from "./bot/teams/index.ts";
import { type Config, isTeamsEmulatorMode } from "./config.ts";
import { openStore, type Platform } from "./db/index.ts";
import type { RandomBytes } from "./domain/licence-number.ts";
import {
  checkHealth,
  type Deps,
  EXPORT_PATH,
  madridTime,
  type Notifier,
  nextWatchTime,
  postPendingRequests,
  runWatch,
  type SupportDesk,
  type WatchSender,
} from "./handlers/index.ts";
import { createLogger, type Logger } from "./logger.ts";
import { readVersion } from "./version.ts";

/** What tests (and only tests) replace: time, randomness, the log, Slack's API address. */
export interface AppOverrides {
  now?: () => number;
  randomBytes?: RandomBytes;
  logger?: Logger;
  /** Passed to every Slack Web API client (e.g. a local fake's slackApiUrl). */
  slackClientOptions?: { slackApiUrl?: string };
  /** Slack's HTTP answer waits for the listeners (see SlackBotOptions). */
  slackProcessBeforeResponse?: boolean;
  /** The pause between queued Slack private messages (a bulk send); tests shorten it. */
  slackPrivatePaceMs?: number;
  /** Runs the daily watch at WATCH_HOUR (main.ts asks for it; a test only when it says so). */
  watchTimer?: boolean;
  /** How often unposted activation requests are posted again (SUPPORT_RETRY_MS); tests shorten it. */
  supportRetryMs?: number;
}

export interface App {
  app: express.Express;
  /** What the server runs for each request: a validation or a Slack request by its exact path, else `app`. */
  handler: RequestListener;
  deps: Deps;
  logger: Logger;
  /** package.json's version. */
  version: string;
  /** How many migrations the database has had. */
  migrationLevel: number;
  /** What is checked once the server listens (an invalid SLACK_BOT_TOKEN is logged, not fatal). */
  startupChecks: Array<() => Promise<unknown>>;
  /** How the daily watch reaches each platform (the timer and `npm run watch` use them). */
  watchSenders: Partial<Record<Platform, WatchSender>>;
  /** Checkpoints and closes the database. */
  close(): Promise<void>;
}

/** Every path Bolt serves starts so (PATHS in src/bot/slack/index.ts), in Express's case-insensitive matching. */
const SLACK_PATHS = /^\/slack\//i;

/**
 * The composition root: config → database → handlers → bots → HTTP routes.
 * Each platform's SDK is imported only when that platform is in use, and
 * never before /healthz can answer (see docs/architecture.md, Performance):
 * Slack's (when Slack is configured) and Teams' (when BOT_ID is set) by
 * the startup checks, once the server listens; else (local emulator mode,
 * or Teams off) at the first Teams request or the first message for a
 * Teams user. A request that comes first waits for its SDK.
 */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const importTeams = () => import("./bot/teams/index.ts");
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const { store, migrationLevel, close } = await openStore({
    path: config.databasePath,
    database: config.database,
    logger: logger.child({ module: "db" }),
  });
  const version = readVersion();
  const startupChecks: App["startupChecks"] = [];
  const deps: Deps = {
    store,
    now: overrides.now ?? Date.now,
    randomBytes: overrides.randomBytes ?? ((n) => cryptoRandomBytes(n)),
    logger,
    support: config.support,
    watch: config.watch,
    installerUrl: config.installerUrl,
    // Without PUBLIC_URL, startApp sets the address it listens on (for local use).
    ...(config.publicUrl ? { baseUrl: () => config.publicUrl } : {}),
    notifiers: {},
  };

  /** The platforms whose SDK could not be loaded: /healthz says so. */
  const broken = new Set<string>();
  const failed = (platform: string) => (err: unknown) => {
    broken.add(platform);
    logger.error({ err }, `the ${platform} SDK could not be loaded: ${platform} requests fail until a restart`);
    throw err;
  };

  const app = express();
  app.disable("x-powered-by");
  // Every answer is computed and no-store (the API, /healthz, the export): no ETag to hash for each.
  app.set("etag", false);
  // A hop count or the proxies' addresses, never every hop: the left-most X-Forwarded-For is the client's to write.
  if (config.trustProxy !== false) app.set("trust proxy", config.trustProxy);

  app.get("/healthz", async (_req, res) => {
    if (broken.size === 0 && (await checkHealth(deps))) res.json({ status: "ok", version, migrationLevel });
    else res.status(503).json({ status: "unavailable", version, migrationLevel });
  });

  // The client app's API first: the busiest route, it is matched before the chat platforms' paths.
  const api = createClientApi(deps, { logger: logger.child({ module: "api" }), trustProxy: config.trustProxy });
  app.use("/api/v1", api.router);

  const desks: Record<string, SupportDesk> = {};
  const watchSenders: App["watchSenders"] = {};

  /** POST /slack/events by its exact path, served before Express (see `handler` below); undefined without Slack. */
  let slackEvents: RequestListener | undefined;
  const slackConfig = config.slack;
  if (slackConfig) {
    let slack: Promise<SlackBot> | undefined;
    let loaded: SlackBot | undefined;
    const loadSlack = () =>
      (slack ??= import("./bot/slack/index.ts").then(
        ({ createSlackBot }) =>
          (loaded = createSlackBot(deps, {
            config: slackConfig,
            support: config.support,
            publicUrl: config.publicUrl,
            defaultLocale: config.defaultLocale,
            logger: logger.child({ module: "slack" }),
            clientOptions: overrides.slackClientOptions,
            processBeforeResponse: overrides.slackProcessBeforeResponse,
            privatePaceMs: overrides.slackPrivatePaceMs,
          })),
        failed("Slack"),
      ));
    const unexpected = (res: ServerResponse) => (err: unknown) => {
      logger.error({ err }, "unhandled error in a request");
      if (!res.headersSent) res.writeHead(500).end();
    };
    slackEvents = (req, res) => {
      if (loaded) loaded.events(req, res).catch(unexpected(res));
      else loadSlack().then((bot) => bot.events(req, res), unexpected(res));
    };
    // The Slack edge reads the raw body itself: mounted before any body parser.
    app.use((req, res, next) => {
      if (!SLACK_PATHS.test(req.path)) return next();
      loadSlack().then(({ router }) => router(req, res, next), next);
    });
    deps.notifiers.slack = {
      notifyDecision: async (request) => (await loadSlack()).notifier.notifyDecision(request),
      notifyRevocation: async (request, cleared) => (await loadSlack()).notifier.notifyRevocation(request, cleared),
    };
    watchSenders.slack = {
      sendWatch: async (target, message) => (await loadSlack()).watchSender.sendWatch(target, message),
    };
    // The Slack bot has a support desk exactly when a Slack support channel is configured.
    if (config.support.slackChannelId) {
      const desk = async () => {
        const { supportDesk } = await loadSlack();
        if (!supportDesk) throw new Error("the Slack bot has no support desk");
        return supportDesk;
      };
      desks.slack = {
        postRequest: async (request) => (await desk()).postRequest(request),
        showDecision: async (ref, request) => (await desk()).showDecision(ref, request),
      };
    }
    // Once the server listens: loads Bolt, then asks Slack about the token (one-workspace mode).
    startupChecks.push(async () => (await loadSlack()).checkToken?.());
  }

  const emulator = isTeamsEmulatorMode(config);
  if (emulator) {
    logger.warn(
      "Teams runs in LOCAL EMULATOR MODE: /api/messages is UNAUTHENTICATED (no BOT_ID set); it serves only callers on this machine without proxy headers. Set BOT_ID and BOT_PASSWORD for a real deployment.",
    );
  }
  if (!emulator && !config.teams.appId) {
    logger.warn(
      { host: config.host },
      "Teams is off: BOT_ID is not set and HOST is not loopback, so /api/messages refuses every activity (401). Set BOT_ID and BOT_PASSWORD to switch Teams on.",
    );
  }
  let teams: Promise<{ bot: TeamsBot; route: express.Router }> | undefined;
  const loadTeams = () =>
    (teams ??= importTeams().then(({ createTeamsBot }) => {
      const bot = createTeamsBot(deps, {
        config: config.teams,
        emulator,
        support: config.support,
        defaultLocale: config.defaultLocale,
        logger: logger.child({ module: "teams" }),
      });
      // The Teams edge reads the body itself (at most 256 KB), after checking who calls.
      return { bot, route: express.Router().use(bot.handlers) };
    }, failed("Teams")));
  // With BOT_ID, Teams is on: its SDK is loaded and the bot made once the server listens, as Slack's.
  if (config.teams.appId) startupChecks.push(loadTeams);
  app.post("/api/messages", (req, res, next) => {
    loadTeams().then(({ route }) => route(req, res, next), next);
  });
  const teamsNotifier: Notifier = {
    notifyDecision: (request) => loadTeams().then(({ bot }) => bot.notifier.notifyDecision(request)),
    notifyRevocation: (request, cleared) =>
      loadTeams().then(({ bot }) => bot.notifier.notifyRevocation(request, cleared)),
  };
  deps.notifiers.teams = teamsNotifier;
  watchSenders.teams = {
    sendWatch: (target, message) => loadTeams().then(({ bot }) => bot.watchSender.sendWatch(target, message)),
  };
  // The Teams bot has a support desk exactly when a Teams support channel is configured.
  if (config.support.teamsChannelId) {
    const desk = async () => {
      const { bot } = await loadTeams();
      if (!bot.supportDesk) throw new Error("the Teams bot has no support desk");
      return bot.supportDesk;
    };
    desks.teams = {
      postRequest: async (request) => (await desk()).postRequest(request),
      showDecision: async (ref, request) => (await desk()).showDecision(ref, request),
    };
  }

  deps.supportDesk = createCompositeSupportDesk(desks);

  app.use(
    EXPORT_PATH,
    createExportRouter(deps, { logger: logger.child({ module: "export" }), defaultLocale: config.defaultLocale }),
  );

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

  const closeAll = async () => {
    // The validations answered since the last summary line.
    api.flushSummary();
    await close();
  };
  // The busiest requests, a validation and a Slack request by their exact paths, skip Express's routing
  // (docs/architecture.md, Performance); any other spelling Express matches reaches the same handler
  // through its router.
  const handler: RequestListener = (req, res) => {
    if (req.method === "POST") {
      if (req.url === VALIDATIONS_PATH) return void api.validations(req, res);
      if (req.url === SLACK.events && slackEvents) return slackEvents(req, res);
    }
    app(req, res);
  };
  return { app, handler, deps, logger, version, migrationLevel, startupChecks, watchSenders, close: closeAll };
}

/** What the start line says about each surface. */
export function describeSurfaces(config: Config): {
  slack: "one-workspace" | "many-workspace" | "off";
  teams: "authenticated" | "local-emulator" | "off";
  support: "slack" | "teams" | "slack+teams" | "none";
} {
  const slack = config.slack?.oauth ? "many-workspace" : config.slack?.botToken ? "one-workspace" : "off";
  // Beyond loopback without BOT_ID nothing can verify a token: the Teams endpoint refuses every activity.
  const teams = isTeamsEmulatorMode(config) ? "local-emulator" : config.teams.appId ? "authenticated" : "off";
  const slackChannelId = config.slack ? config.support.slackChannelId : undefined;
  const teamsChannelId = teams !== "off" ? config.support.teamsChannelId : undefined;
  const support = slackChannelId ? (teamsChannelId ? "slack+teams" : "slack") : teamsChannelId ? "teams" : "none";
  return { slack, teams, support };
}

const SUPPORT_RETRY_MS = 5 * 60_000;

/**
 * A request's headers and body must arrive within this (Node answers 408
 * and closes the connection otherwise). Slack, Bot Framework and the client
 * app send their few KB at once; Node's default (5 minutes) let anyone hold
 * connections open by sending a body a byte at a time. See docs/architecture.md (Operations).
 */
export const REQUEST_TIMEOUT_MS = 10_000;
/** How long stop() lets requests in flight finish before closing their connections. */
const DEFAULT_GRACE_MS = 5_000;

/** The server could not start; the message names the setting and its value. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartError";
  }
}

function listenError(err: NodeJS.ErrnoException, config: Config): StartError {
  switch (err.code) {
    case "EADDRINUSE":
      return new StartError(`PORT ${config.port} is already in use (HOST ${config.host})`);
    case "EACCES":
      return new StartError(`PORT ${config.port} needs privileges this process does not have (use a port above 1023)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new StartError(`HOST ${config.host} cannot be resolved`);
    case "EADDRNOTAVAIL":
      return new StartError(`HOST ${config.host} is not an address of this machine`);
    default:
      return new StartError(`cannot listen on HOST ${config.host} PORT ${config.port} (${err.code ?? err.message})`);
  }
}

export interface Running extends App {
  server: Server;
  url: string;
  /** Settles when the startup checks have run (they log what they find). */
  checked: Promise<void>;
  /**
   * Stops taking connections, lets requests in flight finish for up to
   * `graceMs` (then closes their connections), checkpoints and closes the database.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/**
 * The daily watch's timer (docs/architecture.md, "The daily watch"): a
 * timeout to the next WATCH_HOUR in Madrid (or, started after today's,
 * a few seconds after the start), set again after each run. It
 * never keeps the process alive; the database's claim per firm and day
 * keeps two instances from sending twice. Returns what stops it (and waits
 * for a run under way).
 */
/** How long after a start past WATCH_HOUR today's watch runs: the server is up and the SDKs are loaded by then. */
const WATCH_CATCH_UP_MS = 5_000;

function startWatchTimer(built: App): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (from: number, catchUp = false) => {
    const at = catchUp ? from + WATCH_CATCH_UP_MS : nextWatchTime(from, built.deps.watch.hour);
    timer = setTimeout(
      () => {
        running = runWatch(built.deps, built.watchSenders)
          .then(
            (run) =>
              built.logger.info(
                { day: run.day, firms: run.firms.filter((f) => f.outcome === "sent").length },
                "daily watch ran",
              ),
            (err: unknown) => built.logger.error({ err }, "the daily watch failed"),
          )
          .finally(() => {
            if (!stopped) schedule(Math.max(at, built.deps.now()));
          });
      },
      Math.max(0, at - built.deps.now()),
    );
    timer.unref();
  };
  // Started after today's WATCH_HOUR (a restart, a deploy): today's watch runs soon after the start; the
  // claim per firm and day keeps it from repeating what another instance or run already sent.
  const now = built.deps.now();
  schedule(now, madridTime(now, 0, built.deps.watch.hour) <= now);
  return () => {
    stopped = true;
    clearTimeout(timer);
    return running;
  };
}

/** Starts the one HTTP server; rejects with a StartError when it cannot listen. */
export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<Running> {
  const built = await createApp(config, overrides);
  // Not app.listen: Express 5 hands a listen error to the callback as if it had started.
  const server = createServer(
    {
      requestTimeout: REQUEST_TIMEOUT_MS,
      headersTimeout: REQUEST_TIMEOUT_MS,
      // How often Node looks for requests past their time (its default, 30 s, would let them run that much longer).
      connectionsCheckingInterval: 1_000,
    },
    built.handler,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await built.close();
    throw listenError(err as NodeJS.ErrnoException, config);
  }
  // Requests made while the support channel was unreachable are shown as soon as it answers again.
  const retry = setInterval(() => {
    void postPendingRequests(built.deps).catch((err) =>
      built.logger.error({ err }, "could not post pending activation requests"),
    );
  }, overrides.supportRetryMs ?? SUPPORT_RETRY_MS);
  retry.unref();
  const stopWatch = overrides.watchTimer ? startWatchTimer(built) : () => Promise.resolve();
  // After one turn of the event loop: what the checks load (the platform SDKs) never delays the start itself.
  const checked = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => Promise.allSettled(built.startupChecks.map((check) => check())))
    .then(() => undefined);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  built.deps.baseUrl ??= () => `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number) =>
    new Promise<void>((resolve) => {
      clearInterval(retry);
      // Keep-alive connections become idle once their request is answered: closed as they do.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const grace = setTimeout(() => server.closeAllConnections(), graceMs);
      const watchDone = stopWatch();
      server.close(() => {
        clearInterval(idle);
        clearTimeout(grace);
        void watchDone.finally(async () => {
          await built.close();
          resolve();
        });
      });
    });
  return {
    ...built,
    server,
    url: `http://${host}:${port}`,
    checked,
    stop: (options = {}) => {
      stopping ??= stop(options.graceMs ?? DEFAULT_GRACE_MS);
      return stopping;
    },
  };
}
