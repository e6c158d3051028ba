import { CardFactory, type ConversationReference, MessageFactory } from "botbuilder";
import type { Locale } from "../../config.ts";
import type { ActivationRequest, Notifier } from "../../handlers/index.ts";
import { loadRef } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import type { CardScreen } from "../screen.ts";
import { decisionScreen, revocationScreen } from "../screens/activation.ts";
import { personalKey, proactive, REF_PERSONAL, type Runtime } from "./context.ts";
import { renderScreen } from "./render.ts";

/** Where the requester asked from: the reference saved with the request, else their personal chat. */
async function requesterRef(
  rt: Runtime,
  request: ActivationRequest,
): Promise<Partial<ConversationReference> | undefined> {
  if (request.requesterRef) return JSON.parse(request.requesterRef) as Partial<ConversationReference>;
  for (const w of request.firmWorkspaces) {
    if (w.platform !== "teams") continue;
    const stored = await loadRef(rt.deps, REF_PERSONAL, personalKey(w.externalId, request.requesterId));
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
  async function tellRequester(request: ActivationRequest, screen: (locale: Locale) => CardScreen): Promise<void> {
    const ref = await requesterRef(rt, request);
    if (!ref) {
      rt.logger.warn({ requestId: request.id }, "no conversation to reach the Teams requester");
      return;
    }
    const locale = pickLocale(request.requesterLocale, rt.defaultLocale);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderScreen(screen(locale), locale)));
    await proactive(rt, ref, async (ctx) => {
      await ctx.sendActivity(activity);
    });
  }
  return {
    notifyDecision: (request) => tellRequester(request, (locale) => decisionScreen(locale, request)),
    notifyRevocation: (request, cleared) => tellRequester(request, (locale) => revocationScreen(locale, cleared)),
  };
}
