// From teams-ai's own files, not its index: the index loads its AI modules and the OpenAI client, which the bot never uses.
import { AdaptiveCardActionExecuteResponseType } from "@microsoft/teams-ai/lib/AdaptiveCards.js";
import { Application } from "@microsoft/teams-ai/lib/Application.js";
import type { TurnState } from "@microsoft/teams-ai/lib/TurnState.js";
import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import type { RequestHandler } from "express";
import type { Locale, SupportConfig, TeamsConfig } from "../../config.ts";
import type { Deps, Notifier, SupportDesk, WatchSender } from "../../handlers/index.ts";
import { t } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { TtlCache } from "../cache.ts";
import { wordsOf } from "../commands.ts";
import { LoggedTeamsAdapter } from "./adapter.ts";
import { boundedConnectorHttpClient, withinTurnBudget } from "./connector-http.ts";
import { localeOf, MEMBER_CACHE_MS, type Runtime } from "./context.ts";
import {
  checkActivity,
  isBotFrameworkBearer,
  isLoopbackHostHeader,
  isLoopbackPeer,
  proxyHeaderOf,
  readActivity,
  refuse,
} from "./edge.ts";
import { createTeamsNotifier } from "./notifier.ts";
import { registerActions } from "./routes/actions.ts";
import { registerCommands } from "./routes/commands.ts";
import { registerDialogs } from "./routes/dialogs.ts";
import { registerInstall } from "./routes/install.ts";
import { answerInvoke, onUnknownInvoke } from "./routes/shared.ts";
import { createTeamsSupportDesk } from "./support-desk.ts";
import { createTeamsWatchSender } from "./watch.ts";

export interface TeamsBotOptions {
  config: TeamsConfig;
  /** Local emulator mode: no token verification, loopback only, no proxies. */
  emulator: boolean;
  support: SupportConfig;
  defaultLocale: Locale;
  logger: Logger;
}

/** How long the connector (the activity's serviceUrl) may take; see connector-http.ts. */
export const CONNECTOR_TIMEOUTS = {
  /** One call. */
  callMs: 4000,
  /** All calls made for one invoke, which Teams wants answered within 5 s. */
  invokeMs: 4000,
  /** All calls made for any other activity (Bot Framework waits 15 s for the HTTP answer). */
  turnMs: 10_000,
};

export interface TeamsBot {
  /** The handlers of POST /api/messages, in order: the edge's checks, then the adapter. */
  handlers: RequestHandler[];
  notifier: Notifier;
  supportDesk?: SupportDesk;
  /** The daily watch's messages (docs/architecture.md, "The daily watch"). */
  watchSender: WatchSender;
}

function createAdapter(config: TeamsConfig): LoggedTeamsAdapter {
  const appId = config.appId ?? "";
  return new LoggedTeamsAdapter(
    {},
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: config.appPassword ?? "",
      // An empty id means anonymous (emulator) mode, which only MultiTenant accepts.
      MicrosoftAppType: appId ? config.appType : "MultiTenant",
      MicrosoftAppTenantId: config.tenantId ?? "",
    }),
    undefined,
    { httpClient: boundedConnectorHttpClient(CONNECTOR_TIMEOUTS.callMs) },
  );
}

/** The tenant of activities from a local client that sends none (Bot Framework Emulator). */
export const EMULATOR_TENANT = "local-emulator";

/**
 * Local emulator mode only: an activity without a tenant (the Bot Framework
 * Emulator sends none) is given a fixed local one, so the bot can be tried
 * there. With BOT_ID set, Teams always sends the tenant and nothing is added.
 */
function withEmulatorTenant(body: unknown): void {
  if (!body || typeof body !== "object") return;
  const activity = body as { conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } };
  if (!activity.conversation || typeof activity.conversation !== "object") return;
  if (activity.conversation.tenantId || activity.channelData?.tenant?.id) return;
  activity.conversation.tenantId = EMULATOR_TENANT;
}

/**
 * The Teams app: a teams-ai Application (no AI) on a TeamsAdapter, answering
 * Bot Framework activities at /api/messages.
 */
export function createTeamsBot(deps: Deps, options: TeamsBotOptions): TeamsBot {
  const adapter = createAdapter(options.config);
  const rt: Runtime = {
    deps,
    adapter,
    appId: options.config.appId ?? "",
    emulator: options.emulator,
    support: options.support,
    defaultLocale: options.defaultLocale,
    logger: options.logger,
    memberCache: new TtlCache<boolean>(MEMBER_CACHE_MS, 10_000, () => deps.now()),
  };

  const app = new Application<TurnState>({
    adapter,
    botAppId: rt.appId,
    startTypingTimer: false,
    removeRecipientMention: true,
    // Cards are replaced for everyone explicitly where that is wanted (see routes).
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });
  app.error(async (context, err) => {
    rt.logger.error({ err, type: context.activity.type, name: context.activity.name }, "Teams turn failed");
    const locale = localeOf(rt, context.activity);
    if (context.activity.type === "message") {
      await context.sendActivity(t(locale, "error.unexpected")).catch(() => undefined);
    }
    await answerInvoke(context, t(locale, "error.unexpected"), locale);
  });

  // Invoke routes first: teams-ai tries them before the message routes anyway.
  registerInstall(app, rt);
  registerDialogs(app, rt);
  registerActions(app, rt);
  registerCommands(app, rt);
  onUnknownInvoke(app, rt);

  /** Who may call, decided from the headers alone, before any body is read. */
  const gate: RequestHandler = (req, res, next) => {
    if (rt.emulator) {
      // Emulator mode verifies no token: only a client on this machine, talking to it directly, may use it.
      // The Host too: a proxy that keeps the public name, or a web page rebinding its name to 127.0.0.1.
      const header = proxyHeaderOf(req.headers) ?? (isLoopbackHostHeader(req.headers.host) ? undefined : "host");
      if (header !== undefined || !isLoopbackPeer(req.socket.remoteAddress)) {
        rt.logger.warn({ header }, "refused a proxied or remote request to the unauthenticated Teams endpoint");
        res.set("Connection", "close");
        refuse(res, 403, "FORBIDDEN", t("en", "teams.proxyRefused"));
        return;
      }
    } else if (!rt.appId) {
      // Not on loopback and no BOT_ID: nothing could verify the tokens.
      res.set("Connection", "close");
      refuse(res, 401, "UNAUTHORIZED", "Teams is not configured (BOT_ID).");
      return;
    } else if (!/^Bearer \S+/i.test(req.headers.authorization ?? "")) {
      // Refused here rather than by botbuilder, which prints each refusal's stack to stderr.
      rt.logger.warn("refused a Teams activity without a bearer token");
      res.set("Connection", "close");
      refuse(res, 401, "UNAUTHORIZED", "Missing Bot Framework token.");
      return;
    } else if (!isBotFrameworkBearer(req.headers.authorization)) {
      // A forged token (alg none, HS256, no key id) would reach jsonwebtoken's own errors: refused here.
      rt.logger.warn(
        { reason: "not an RSA-signed JWT naming its key" },
        "refused a Teams activity whose token does not verify",
      );
      res.set("Connection", "close");
      refuse(res, 401, "UNAUTHORIZED", "The Bot Framework token does not verify.");
      return;
    }
    next();
  };

  const run: RequestHandler = async (req, res, next) => {
    if (rt.emulator) withEmulatorTenant(req.body);
    const budget =
      (req.body as { type?: unknown }).type === "invoke" ? CONNECTOR_TIMEOUTS.invokeMs : CONNECTOR_TIMEOUTS.turnMs;
    try {
      await withinTurnBudget(budget, () =>
        adapter.handle(
          req,
          res,
          async (context) => {
            await app.run(context);
            // A route that took the invoke but answered nothing (teams-ai's dialog routes outside msteams).
            const locale = localeOf(rt, context.activity);
            await answerInvoke(context, t(locale, "action.unknown", { command: wordsOf("list", locale)[0] }), locale);
          },
          rt.logger,
        ),
      );
    } catch (err) {
      next(err);
    }
  };

  return {
    handlers: [gate, readActivity(), checkActivity(rt.logger), run],
    notifier: createTeamsNotifier(rt),
    watchSender: createTeamsWatchSender(rt),
    ...(rt.support.teamsChannelId ? { supportDesk: createTeamsSupportDesk(rt, rt.support.teamsChannelId) } : {}),
  };
}
