import { TeamsInfo, type TurnContext } from "botbuilder";
import type { Locale } from "../../../config.ts";
import { type Actor, getActivationStatus } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { runCall } from "../../commands.ts";
import { helpScreen } from "../../screens/help.ts";
import { isPersonal, localeOf, type Runtime, tenantOf, userIdOf } from "../context.ts";
import { connectSupportChannel } from "../support-desk.ts";
import { type App, actorFor, botContext, isOutcome, screenActivity } from "./shared.ts";

/** Whether the team the bot was added to holds the configured support channel. */
async function teamHoldsSupportChannel(rt: Runtime, ctx: TurnContext, channelId: string): Promise<boolean> {
  const data = ctx.activity.channelData as { channel?: { id?: string }; team?: { id?: string } } | undefined;
  if (data?.channel?.id === channelId || data?.team?.id === channelId) return true;
  if (!data?.team?.id) return false;
  try {
    const channels = await TeamsInfo.getTeamChannels(ctx, data.team.id);
    return channels.some((c) => c.id === channelId);
  } catch (err) {
    rt.logger.warn({ err }, "could not list the channels of the team the bot was added to");
    return false;
  }
}

/**
 * The welcome in the personal chat: the firm's dashboard (the `summary`
 * verb's screen) when its Solución para PYMES is active; otherwise how to
 * start, then the help. A guest, or a person who cannot be looked up, gets
 * the help only (it holds no data).
 */
async function welcome(rt: Runtime, ctx: TurnContext, locale: Locale): Promise<void> {
  const verified = await actorFor(rt, ctx);
  const actor: Actor = isOutcome(verified)
    ? {
        platform: "teams",
        workspaceId: tenantOf(ctx.activity) ?? "",
        userId: userIdOf(ctx.activity),
        locale,
        channelId: ctx.activity.conversation.id,
      }
    : verified;
  const bot = botContext(rt, ctx, actor);
  if (!isOutcome(verified) && !actor.guest) {
    const summary = await runCall(bot, actor, { verb: "summary", args: {} });
    await ctx.sendActivity(screenActivity(summary.screen, locale));
    if ((await getActivationStatus(rt.deps, actor)).activationState === "active") return;
  }
  await ctx.sendActivity(screenActivity(helpScreen(bot, actor), locale));
}

/**
 * The bot added somewhere: in a personal chat, a welcome (the dashboard, or how to start, and the help); in
 * the team of the support channel, learning where that channel is.
 */
export function registerInstall(app: App, rt: Runtime): void {
  app.conversationUpdate("membersAdded", async (ctx) => {
    const added = ctx.activity.membersAdded ?? [];
    if (!added.some((m) => m.id === ctx.activity.recipient.id)) return;
    const locale = localeOf(rt, ctx.activity);
    if (isPersonal(ctx.activity)) {
      await ctx.sendActivity(t(locale, "teams.welcome"));
      await welcome(rt, ctx, locale);
      return;
    }
    const channelId = rt.support.teamsChannelId;
    if (!channelId || !(await teamHoldsSupportChannel(rt, ctx, channelId))) return;
    const connected = await connectSupportChannel(rt, ctx);
    rt.logger.info({ posted: connected?.posted }, "the bot joined the Teams support channel's team");
  });
}
