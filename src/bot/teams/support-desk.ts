import {
  type Activity,
  CardFactory,
  type ConversationParameters,
  type ConversationReference,
  MessageFactory,
  type TurnContext,
} from "botbuilder";
import {
  type ActivationRequest,
  loadRef,
  postPendingRequests,
  type SupportDesk,
  saveRef,
} from "../../handlers/index.ts";
import { requestScreen } from "../screens/activation.ts";
import { connectorOf, proactive, REF_SUPPORT, type Runtime, tenantOf } from "./context.ts";
import { renderScreen } from "./render.ts";

/** What the desk keeps to find a posted request again. */
interface PostedRef {
  conversationId: string;
  activityId: string;
  serviceUrl: string;
}

/**
 * The support channel in Teams. The bot can only write there once it has
 * seen the channel (installed in the team, or mentioned there): until then
 * requests wait, and are posted when it connects.
 */
export function createTeamsSupportDesk(rt: Runtime, channelId: string): SupportDesk {
  return {
    async postRequest(request) {
      const stored = await loadRef(rt.deps, REF_SUPPORT, channelId);
      if (!stored) return undefined;
      const ref = JSON.parse(stored) as Partial<ConversationReference>;
      const card = renderScreen(requestScreen(rt.defaultLocale, request), rt.defaultLocale);
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      let posted: PostedRef | undefined;
      await proactive(rt, ref, async (ctx) => {
        // A new thread in the channel: createConversation is how Teams starts one proactively.
        const created = await connectorOf(ctx).conversations.createConversation({
          isGroup: true,
          channelData: { channel: { id: channelId }, tenant: { id: ref.conversation?.tenantId } },
          activity: activity as Activity,
          ...(ref.bot ? { bot: ref.bot } : {}),
          ...(ref.conversation?.tenantId ? { tenantId: ref.conversation.tenantId } : {}),
        } as ConversationParameters);
        const activityId = created.activityId ?? created.id?.match(/;messageid=(\d+)/)?.[1];
        if (!created.id || !activityId) throw new Error("Teams did not return the posted message's id");
        posted = { conversationId: created.id, activityId, serviceUrl: ref.serviceUrl ?? "" };
      });
      return posted ? JSON.stringify(posted) : undefined;
    },

    async showDecision(refText, request: ActivationRequest) {
      const posted = JSON.parse(refText) as PostedRef;
      const stored = await loadRef(rt.deps, REF_SUPPORT, channelId);
      const base = stored ? (JSON.parse(stored) as Partial<ConversationReference>) : {};
      const ref: Partial<ConversationReference> = {
        ...base,
        channelId: "msteams",
        serviceUrl: posted.serviceUrl,
        conversation: {
          id: posted.conversationId,
          isGroup: true,
          conversationType: "channel",
          tenantId: base.conversation?.tenantId,
          name: "",
        },
      };
      const card = CardFactory.adaptiveCard(renderScreen(requestScreen(rt.defaultLocale, request), rt.defaultLocale));
      await proactive(rt, ref, async (ctx) => {
        await ctx.updateActivity({ type: "message", id: posted.activityId, attachments: [card] });
      });
    },
  };
}

/**
 * The bot is in the support channel (installed in its team, or mentioned
 * there): keep how to write there, and post the requests that waited.
 * Returns whether the channel was new to the bot and how many were posted.
 */
export async function connectSupportChannel(
  rt: Runtime,
  ctx: TurnContext,
): Promise<{ isNew: boolean; posted: number } | undefined> {
  const channelId = rt.support.teamsChannelId;
  const a = ctx.activity;
  if (!channelId || !a.serviceUrl) return undefined;
  const tenantId = tenantOf(a);
  const ref: Partial<ConversationReference> = {
    channelId: a.channelId,
    serviceUrl: a.serviceUrl,
    conversation: { id: channelId, isGroup: true, conversationType: "channel", tenantId, name: "" },
    bot: a.recipient,
  };
  const isNew = (await loadRef(rt.deps, REF_SUPPORT, channelId)) === undefined;
  await saveRef(rt.deps, REF_SUPPORT, channelId, JSON.stringify(ref));
  const posted = await postPendingRequests(rt.deps);
  return { isNew, posted };
}
