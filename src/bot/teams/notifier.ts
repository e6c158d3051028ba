import { CardFactory, type ConversationReference, MessageFactory } from "botbuilder";
import type { ActivationRequest, Notifier } from "../../handlers/index.ts";
import { loadRef } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import { decisionNoticeCard } from "./cards/activation.ts";
import { personalKey, proactive, REF_PERSONAL, type Runtime } from "./context.ts";

/** Where the requester asked from: the reference saved with the request, else their personal chat. */
function requesterRef(rt: Runtime, request: ActivationRequest): Partial<ConversationReference> | undefined {
  if (request.requesterRef) return JSON.parse(request.requesterRef) as Partial<ConversationReference>;
  for (const w of request.firmWorkspaces) {
    if (w.platform !== "teams") continue;
    const stored = loadRef(rt.deps, REF_PERSONAL, personalKey(w.externalId, request.requesterId));
    if (stored) return JSON.parse(stored) as Partial<ConversationReference>;
  }
  return undefined;
}

/**
 * Tells a Teams requester about the decision on their activation request,
 * proactively in their personal chat, in their language (whoever decided,
 * on whichever platform).
 */
export function createTeamsNotifier(rt: Runtime): Notifier {
  return {
    async notifyDecision(request) {
      const ref = requesterRef(rt, request);
      if (!ref) {
        rt.logger.warn({ requestId: request.id }, "no conversation to tell the Teams requester about the decision");
        return;
      }
      const locale = pickLocale(request.requesterLocale, rt.defaultLocale);
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(decisionNoticeCard(locale, request)));
      await proactive(rt, ref, async (ctx) => {
        await ctx.sendActivity(activity);
      });
    },
  };
}
