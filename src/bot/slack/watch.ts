import type { Context } from "@slack/bolt";
import type { Locale } from "../../config.ts";
import type { Actor, AlertsChannel, WatchSender } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import { watchScreen } from "../screens/watch.ts";
import type { SlackClients } from "./clients.ts";
import { installationKey, keyOfWorkspaceId } from "./installation-store.ts";
import { renderMessage } from "./render/index.ts";

/** What a Slack alerts channel's reference holds: the installation to post through, and the channel. */
interface ChannelRef {
  key: string;
  channel: string;
}

/**
 * The channel a Slack request came from, for `avisos`: any conversation but
 * a DM with the bot (D…). The bot must be in the channel to post there.
 */
export function slackAlertsChannel(context: Context, actor: Actor): AlertsChannel | undefined {
  const channel = actor.channelId;
  if (!channel || channel.startsWith("D")) return undefined;
  const ref: ChannelRef = { key: installationKey(context), channel };
  return { channelId: channel, ref: JSON.stringify(ref) };
}

/**
 * The daily watch on Slack (docs/architecture.md, "The daily watch"): a DM
 * from the bot to the advisor, in the advisor's language (users.info), or a
 * message in the firm's alerts channel, in the default language.
 */
export function createSlackWatchSender(options: { clients: SlackClients; defaultLocale: Locale }): WatchSender {
  return {
    async sendWatch(target, message) {
      let key = keyOfWorkspaceId(target.workspaceId);
      let channel: string;
      let locale = options.defaultLocale;
      if ("channel" in target) {
        const ref = JSON.parse(target.channel.ref) as Partial<ChannelRef>;
        if (typeof ref.key === "string") key = ref.key;
        channel = target.channel.channelId;
      } else {
        const client = await options.clients.forWorkspace(key);
        if (!client) throw new Error("no Slack installation to reach the advisor");
        const im = await client.conversations.open({ users: target.userId });
        if (!im.channel?.id) throw new Error("conversations.open returned no channel");
        channel = im.channel.id;
        const info = await client.users.info({ user: target.userId, include_locale: true }).catch(() => undefined);
        locale = pickLocale(info?.user?.locale, options.defaultLocale);
      }
      const client = await options.clients.forWorkspace(key);
      if (!client) throw new Error("no Slack installation to reach the channel");
      await client.chat.postMessage({ channel, ...renderMessage(locale, watchScreen(locale, message)) });
    },
  };
}
