import type { Activity, ConversationParameters, ConversationReference, TurnContext } from "botbuilder";
import { type AlertsChannel, loadRef, type WatchSender } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import { watchScreen } from "../screens/watch.ts";
import {
  channelOf,
  connectorOf,
  isPersonal,
  personalKey,
  proactive,
  REF_PERSONAL,
  type Runtime,
  tenantOf,
} from "./context.ts";
import { screenActivity } from "./routes/shared.ts";

/**
 * The conversation a Teams request came from, for `avisos`: a channel (or a
 * group chat), never the personal chat. The reference is what a proactive
 * message there needs.
 */
export function teamsAlertsChannel(activity: Partial<Activity>): AlertsChannel | undefined {
  if (isPersonal(activity)) return undefined;
  const channelId = channelOf(activity);
  if (!channelId) return undefined;
  const isChannel = activity.conversation?.conversationType === "channel";
  const ref: Partial<ConversationReference> = {
    channelId: activity.channelId ?? "msteams",
    serviceUrl: activity.serviceUrl,
    conversation: {
      id: channelId,
      isGroup: true,
      conversationType: isChannel ? "channel" : "groupChat",
      tenantId: tenantOf(activity),
      name: "",
    },
    ...(activity.recipient ? { bot: activity.recipient } : {}),
  };
  return { channelId, ref: JSON.stringify(ref) };
}

/**
 * The daily watch on Teams (docs/architecture.md, "The daily watch"): in
 * the advisor's personal chat (the reference kept from their last message
 * there), in their language, or as a new thread in the firm's alerts
 * channel, in the default language.
 */
export function createTeamsWatchSender(rt: Runtime): WatchSender {
  return {
    async sendWatch(target, message) {
      if ("channel" in target) {
        const ref = JSON.parse(target.channel.ref) as Partial<ConversationReference>;
        const activity = screenActivity(watchScreen(rt.defaultLocale, message), rt.defaultLocale);
        await proactive(rt, ref, async (ctx: TurnContext) => {
          if (ref.conversation?.conversationType !== "channel") {
            await ctx.sendActivity(activity);
            return;
          }
          // A new thread in the channel: createConversation is how Teams starts one proactively.
          const tenantId = ref.conversation.tenantId;
          await connectorOf(ctx).conversations.createConversation({
            isGroup: true,
            channelData: { channel: { id: target.channel.channelId }, tenant: { id: tenantId } },
            activity: activity as Activity,
            ...(ref.bot ? { bot: ref.bot } : {}),
            ...(tenantId ? { tenantId } : {}),
          } as ConversationParameters);
        });
        return;
      }
      const stored = await loadRef(rt.deps, REF_PERSONAL, personalKey(target.workspaceId, target.userId));
      if (!stored) throw new Error("no personal chat stored for the advisor");
      const ref = JSON.parse(stored) as Partial<ConversationReference>;
      const locale = pickLocale(ref.locale, rt.defaultLocale);
      const activity = screenActivity(watchScreen(locale, message), locale);
      await proactive(rt, ref, async (ctx) => {
        await ctx.sendActivity(activity);
      });
    },
  };
}
