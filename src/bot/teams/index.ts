import { AdaptiveCardActionExecuteResponseType, Application, type TurnState } from "@microsoft/teams-ai";
import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import type { RequestHandler } from "express";
import type { Locale, SupportConfig, TeamsConfig } from "../../config.ts";
import type { Deps, Notifier, SupportDesk } from "../../handlers/index.ts";
import { t } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { TtlCache } from "../shared/cache.ts";
import { LoggedTeamsAdapter } from "./adapter.ts";
import { MEMBER_CACHE_MS, type Runtime } from "./context.ts";
import { createTeamsNotifier } from "./notifier.ts";
import { registerActions } from "./routes/actions.ts";
import { registerCommands } from "./routes/commands.ts";
import { registerDialogs } from "./routes/dialogs.ts";
import { onUnknownInvoke } from "./routes/shared.ts";
import { registerSupport } from "./routes/support.ts";
import { createTeamsSupportDesk } from "./support-desk.ts";

export interface TeamsBotOptions {
  config: TeamsConfig;
  /** Local emulator mode: no token verification, loopback only, no proxies. */
  emulator: boolean;
  support: SupportConfig;
  defaultLocale: Locale;
  logger: Logger;
}

export interface TeamsBot {
  handle: RequestHandler;
  notifier: Notifier;
  supportDesk?: SupportDesk;
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
    if (context.activity.type === "message") {
      await context.sendActivity(t(rt.defaultLocale, "error.unexpected")).catch(() => undefined);
    }
  });

  // Invoke routes first: teams-ai tries them before the message routes anyway.
  registerSupport(app, rt);
  registerDialogs(app, rt);
  registerActions(app, rt);
  registerCommands(app, rt);
  onUnknownInvoke(app, rt);

  const handle: RequestHandler = async (req, res, next) => {
    if (rt.emulator && (req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined)) {
      // Emulator mode does not verify tokens: only a local client may talk to it.
      rt.logger.warn("refused a proxied request to the unauthenticated Teams endpoint");
      res.status(403).json({ code: "FORBIDDEN", message: t("en", "teams.proxyRefused") });
      return;
    }
    if (!rt.emulator && !rt.appId) {
      // Not on loopback and no BOT_ID: nothing could verify the tokens.
      res.status(401).json({ code: "UNAUTHORIZED", message: "Teams is not configured (BOT_ID)." });
      return;
    }
    if (!rt.emulator && !/^Bearer \S+/i.test(req.headers.authorization ?? "")) {
      // Refused here rather than by botbuilder, which prints each refusal's stack to stderr.
      rt.logger.warn("refused a Teams activity without a bearer token");
      res.status(401).json({ code: "UNAUTHORIZED", message: "Missing Bot Framework token." });
      return;
    }
    if (rt.emulator) withEmulatorTenant(req.body);
    try {
      await adapter.handle(req, res, (context) => app.run(context).then(() => undefined), rt.logger);
    } catch (err) {
      next(err);
    }
  };

  return {
    handle,
    notifier: createTeamsNotifier(rt),
    ...(rt.support.teamsChannelId ? { supportDesk: createTeamsSupportDesk(rt, rt.support.teamsChannelId) } : {}),
  };
}
