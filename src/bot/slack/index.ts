import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type Authorize, ExpressReceiver } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import express, { type IRouter } from "express";
import type { Locale, SlackConfig, SupportConfig } from "../../config.ts";
import {
  type Deps,
  type Notifier,
  postPendingRequests,
  rememberRequest,
  type SupportDesk,
  type WatchSender,
} from "../../handlers/index.ts";
import { t } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { createActorResolver } from "./actor.ts";
import { boltLogger } from "./bolt-logger.ts";
import { installationClients, type SlackClients, singleTokenClients } from "./clients.ts";
import type { SlackContext } from "./context.ts";
import { slackEvents } from "./events.ts";
import { createInstallationStore, keyOfWorkspaceId, type SlackInstallationStore } from "./installation-store.ts";
import { registerListeners } from "./listeners/index.ts";
import { createSlackNotifier } from "./notifier.ts";
import { PATHS } from "./paths.ts";
import { createRequestGuard } from "./request-guard.ts";
import { createSlackSupportDesk } from "./support-desk.ts";
import { createSlackWatchSender } from "./watch.ts";

export interface SlackBotOptions {
  config: SlackConfig;
  support: SupportConfig;
  publicUrl?: string | undefined;
  defaultLocale: Locale;
  logger: Logger;
  clientOptions?: { slackApiUrl?: string } | undefined;
  /**
   * Answer Slack's HTTP request only after the listeners finish. Off in
   * production, where Slack's 3-second limit matters more than the order;
   * tests turn it on to see every effect when the request returns.
   */
  processBeforeResponse?: boolean | undefined;
  /** The pause between queued private messages; tests shorten it. */
  privatePaceMs?: number | undefined;
}

export interface SlackBot {
  /**
   * POST /slack/events: the request guard, then Bolt. The server calls it for
   * the exact path (src/app.ts); `router` serves it for every other spelling.
   */
  events: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Mount before any body parser: `events`, and Bolt's installation pages with OAuth. */
  router: IRouter;
  notifier: Notifier;
  /** The daily watch's messages (docs/architecture.md, "The daily watch"). */
  watchSender: WatchSender;
  supportDesk?: SupportDesk;
  /**
   * One-workspace mode: asks Slack once whether SLACK_BOT_TOKEN is valid and
   * logs an error naming the setting (never the token) when it is not. The
   * rest of the server keeps running either way.
   */
  checkToken?: () => Promise<boolean>;
}

/** Exactly the bot scopes the code uses (manifests/slack/manifest.json lists the same). */
export const BOT_SCOPES = ["commands", "chat:write", "chat:write.public", "im:write", "users:read", "team:read"];

/**
 * Every Web API call and response_url post gives up after this: well inside
 * Slack's 3 seconds (a trigger_id lives 3 s; a slow call must not hold the
 * listener, or the user, for longer).
 */
export const SLACK_API_TIMEOUT_MS = 2_000;

/** fetch with a deadline; Bolt posts to response_urls with the clientOptions' fetch. */
const timedFetch: typeof fetch = (input, init) => {
  const deadline = AbortSignal.timeout(SLACK_API_TIMEOUT_MS);
  return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
};

/** chat.postMessage is limited to about one message a second per channel (short bursts allowed). */
const PRIVATE_PACE_MS = 1_100;

type TokenIdentity = { botId?: string | undefined; botUserId?: string | undefined; teamId?: string | undefined };

/**
 * One bot token's identity: auth.test once, lazily (not in the constructor,
 * where a failure would be an unhandled rejection), and only a success is
 * cached, so a refused token is asked about again on the next request.
 */
function tokenIdentity(client: WebClient): () => Promise<TokenIdentity> {
  let identity: Promise<TokenIdentity> | undefined;
  return () =>
    (identity ??= client.auth.test().then(
      (r) => ({ botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }),
      (err: unknown) => {
        identity = undefined;
        throw err;
      },
    ));
}

/**
 * One bot token: a custom authorize over the token's identity. The team is
 * the token's own, so the firm never comes from a payload in this mode.
 */
function singleTokenAuthorize(token: string, identity: () => Promise<TokenIdentity>): Authorize<boolean> {
  return async (source) => {
    const id = await identity();
    return {
      botToken: token,
      ...(id.botId ? { botId: id.botId } : {}),
      ...(id.botUserId ? { botUserId: id.botUserId } : {}),
      ...(!source.isEnterpriseInstall && id.teamId ? { teamId: id.teamId } : {}),
    };
  };
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}

/** The Slack app: Bolt over HTTP at /slack/events, with one bot token or installable through OAuth. */
export function createSlackBot(deps: Deps, options: SlackBotOptions): SlackBot {
  const { config, support, logger, defaultLocale } = options;
  const sdkLogger = boltLogger(logger);
  const clientOptions: WebClientOptions = {
    ...(options.clientOptions?.slackApiUrl ? { slackApiUrl: options.clientOptions.slackApiUrl } : {}),
    // Listeners must finish within Slack's 3 seconds: retrying for minutes helps nobody.
    retryConfig: { retries: 0 },
    timeout: SLACK_API_TIMEOUT_MS,
    fetch: timedFetch,
    logger: sdkLogger,
  };

  // The guard is the only way into Bolt: it reads, verifies and parses each body once and hands it to the
  // App as Bolt's receiver would (events.ts). The receiver serves no events path of its own (no
  // endpoints), so Bolt never reads a body again; it is the App's receiver and, with OAuth, serves the
  // installation pages on the same router.
  const processBeforeResponse = options.processBeforeResponse ?? false;
  let app: App | undefined;
  const events = createRequestGuard({
    signingSecret: config.signingSecret,
    now: deps.now,
    logger,
    remember: async (key, ttlMs) => await rememberRequest(deps, key, ttlMs),
    unavailableText: t(defaultLocale, "error.unexpected"),
    dispatch: slackEvents(
      () => {
        if (!app) throw new Error("the Slack app is not built yet");
        return app;
      },
      { logger: sdkLogger, processBeforeResponse },
    ),
  });
  const router = express.Router();
  router.post(PATHS.events, (req, res, next) => {
    events(req, res).catch(next);
  });
  const receiverBase = {
    signingSecret: config.signingSecret,
    processBeforeResponse,
    logger: sdkLogger,
    endpoints: {},
    router,
  };

  let receiver: ExpressReceiver;
  let clients: SlackClients;
  let installations: SlackInstallationStore | undefined;
  let checkToken: (() => Promise<boolean>) | undefined;

  if (config.oauth) {
    const supportKey = support.slackTeamId ? keyOfWorkspaceId(support.slackTeamId) : undefined;
    installations = createInstallationStore(deps, (key) => {
      // The vendor's workspace just installed the app: post the requests that waited for it.
      if (key === supportKey) {
        postPendingRequests(deps).catch((err: unknown) =>
          logger.error({ err }, "could not post the pending activation requests"),
        );
      }
    });
    receiver = new ExpressReceiver({
      ...receiverBase,
      clientId: config.oauth.clientId,
      clientSecret: config.oauth.clientSecret,
      stateSecret: config.oauth.stateSecret,
      scopes: BOT_SCOPES,
      installationStore: installations,
      ...(options.publicUrl ? { redirectUri: `${options.publicUrl}${PATHS.redirect}` } : {}),
      installerOptions: {
        installPath: PATHS.install,
        redirectUriPath: PATHS.redirect,
        directInstall: true,
        clientOptions,
        callbackOptions: {
          success: (installation, _opts, _req, res) => {
            const name = installation.team?.name ?? installation.enterprise?.name ?? "Slack";
            page(
              res,
              200,
              t(defaultLocale, "slack.install.doneTitle"),
              t(defaultLocale, "slack.install.done", { name }),
            );
          },
          failure: (err, _opts, _req, res) => {
            // One line, no stack: anyone can call this URL with a bogus state or code.
            logger.warn({ code: err.code, reason: err.message }, "Slack installation failed");
            page(res, 400, t(defaultLocale, "slack.install.failedTitle"), t(defaultLocale, "slack.install.failed"));
          },
        },
      },
    });
    // No conversation store: nothing reads it, and Bolt's default one builds an Error per request.
    app = new App({ receiver, clientOptions, logger: sdkLogger, convoStore: false });
    clients = installationClients(installations, support.slackTeamId, clientOptions);
  } else if (config.botToken) {
    receiver = new ExpressReceiver(receiverBase);
    const identity = tokenIdentity(new WebClient(config.botToken, clientOptions));
    checkToken = () =>
      identity().then(
        () => true,
        (err: unknown) => {
          const data = (err as { data?: { error?: unknown } } | undefined)?.data;
          if (typeof data?.error === "string") {
            // Slack answered, and said no (invalid_auth, token_revoked, account_inactive…).
            logger.error(
              { reason: data.error },
              "SLACK_BOT_TOKEN was refused by Slack's auth.test: Slack requests will fail until the token is fixed",
            );
          } else {
            // No answer (network, DNS, a proxy, Slack down): the token may be fine; it is asked again on use.
            logger.warn(
              { reason: err instanceof Error ? err.message : String(err) },
              "SLACK_BOT_TOKEN could not be checked: Slack's API did not answer auth.test",
            );
          }
          return false;
        },
      );
    app = new App({
      receiver,
      authorize: singleTokenAuthorize(config.botToken, identity),
      convoStore: false,
      clientOptions,
      logger: sdkLogger,
    });
    clients = singleTokenClients(config.botToken, clientOptions);
  } else {
    throw new Error("Slack needs SLACK_BOT_TOKEN or the OAuth settings");
  }

  const ctx: SlackContext = {
    deps,
    actors: createActorResolver({ defaultLocale, logger }),
    clients,
    installations,
    support,
    defaultLocale,
    logger,
    paceMs: options.privatePaceMs ?? PRIVATE_PACE_MS,
  };
  registerListeners(app, ctx);

  const supportDesk = support.slackChannelId
    ? createSlackSupportDesk({ clients, channelId: support.slackChannelId, locale: defaultLocale, logger })
    : undefined;

  return {
    events,
    router: receiver.router,
    notifier: createSlackNotifier({ clients, defaultLocale }),
    watchSender: createSlackWatchSender({ clients, defaultLocale }),
    ...(supportDesk ? { supportDesk } : {}),
    ...(checkToken ? { checkToken } : {}),
  };
}
