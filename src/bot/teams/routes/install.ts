import { TeamsInfo, type TurnContext } from "botbuilder";
import type { Actor } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { helpScreen } from "../../screens/help.ts";
import { isPersonal, localeOf, type Runtime, rememberPersonalChat, tenantOf, userIdOf } from "../context.ts";
import { connectSupportChannel } from "../support-desk.ts";
import { type App, botContext, screenActivity } from "./shared.ts";

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
 * The bot added somewhere: in a personal chat, a welcome and the help; in
 * the team of the support channel, learning where that channel is.
 */
export function registerInstall(app: App, rt: Runtime): void {
  app.conversationUpdate("membersAdded", async (ctx) => {
    const added = ctx.activity.membersAdded ?? [];
    if (!added.some((m) => m.id === ctx.activity.recipient.id)) return;
    const locale = localeOf(rt, ctx.activity);
    if (isPersonal(ctx.activity)) {
      rememberPersonalChat(rt, ctx);
      // The help holds no data: the person adding the bot is not looked up.
      const actor: Actor = {
        platform: "teams",
        workspaceId: tenantOf(ctx.activity) ?? "",
        userId: userIdOf(ctx.activity),
        locale,
        channelId: ctx.activity.conversation.id,
      };
      await ctx.sendActivity(t(locale, "teams.welcome"));
      await ctx.sendActivity(screenActivity(helpScreen(botContext(rt, ctx, actor), actor), locale));
      return;
    }
    const channelId = rt.support.teamsChannelId;
    if (!channelId || !(await teamHoldsSupportChannel(rt, ctx, channelId))) return;
    const connected = await connectSupportChannel(rt, ctx);
    rt.logger.info({ posted: connected?.posted }, "the bot joined the Teams support channel's team");
  });
}
