import type { ServerResponse } from "node:http";
import { App, type Authorize, ExpressReceiver } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { IRouter } from "express";
import type { Locale, SlackConfig, SupportConfig } from "../../config.ts";
import { type Deps, type Notifier, postPendingRequests, type SupportDesk } from "../../handlers/index.ts";
import { t } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { TtlCache } from "../shared/cache.ts";
import { createActorResolver } from "./actor.ts";
import { boltLogger } from "./bolt-logger.ts";
import { installationClients, type SlackClients, singleTokenClients } from "./clients.ts";
import type { SlackContext } from "./context.ts";
import { createInstallationStore, keyOfWorkspaceId, type SlackInstallationStore } from "./installation-store.ts";
import { registerListeners } from "./listeners/index.ts";
import { createSlackNotifier } from "./notifier.ts";
import { createSlackSupportDesk } from "./support-desk.ts";

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
}

export interface SlackBot {
  /** Mount before any body parser: Bolt reads the raw body to check Slack's signature. */
  router: IRouter;
  notifier: Notifier;
  supportDesk?: SupportDesk;
}

/** Exactly the bot scopes the code uses (manifests/slack/manifest.json lists the same). */
export const BOT_SCOPES = ["commands", "chat:write", "im:write", "users:read", "team:read"];

/** How long a click is remembered: a double click's second request arrives well within it. */
const DOUBLE_CLICK_MS = 5_000;

export const PATHS = { events: "/slack/events", install: "/slack/install", redirect: "/slack/oauth_redirect" } as const;

/**
 * One bot token: a custom authorize that calls auth.test once, lazily (not in
 * the constructor, where a failure would be an unhandled rejection), and only
 * caches a success. The team is the token's own, so the firm never comes from
 * a payload in this mode.
 */
function singleTokenAuthorize(token: string, client: WebClient): Authorize<boolean> {
  let identity: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | undefined;
  return async (source) => {
    identity ??= client.auth.test().then(
      (r) => ({ botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }),
      (err: unknown) => {
        identity = undefined;
        throw err;
      },
    );
    const id = await identity;
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
    timeout: 10_000,
    logger: sdkLogger,
  };

  let receiver: ExpressReceiver;
  let app: App;
  let clients: SlackClients;
  let installations: SlackInstallationStore | undefined;

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
      signingSecret: config.signingSecret,
      processBeforeResponse: options.processBeforeResponse ?? false,
      logger: sdkLogger,
      endpoints: PATHS.events,
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
    app = new App({ receiver, clientOptions, logger: sdkLogger });
    clients = installationClients(installations, support.slackTeamId, clientOptions);
  } else if (config.botToken) {
    receiver = new ExpressReceiver({
      signingSecret: config.signingSecret,
      processBeforeResponse: options.processBeforeResponse ?? false,
      logger: sdkLogger,
      endpoints: PATHS.events,
    });
    const authClient = new WebClient(config.botToken, clientOptions);
    app = new App({
      receiver,
      authorize: singleTokenAuthorize(config.botToken, authClient),
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
    recentClicks: new TtlCache<true>(DOUBLE_CLICK_MS, 10_000),
  };
  registerListeners(app, ctx);

  const supportDesk = support.slackChannelId
    ? createSlackSupportDesk({ clients, channelId: support.slackChannelId, locale: defaultLocale, logger })
    : undefined;

  return {
    router: receiver.router,
    notifier: createSlackNotifier({ clients, defaultLocale }),
    ...(supportDesk ? { supportDesk } : {}),
  };
}
