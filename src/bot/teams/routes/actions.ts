import type { TurnContext } from "botbuilder";
import { t } from "../../../i18n/index.ts";
import { answersInPlace, confirmCall, isVerb, runCall, VERBS } from "../../commands.ts";
import type { Outcome } from "../../screen.ts";
import type { Card } from "../adaptive-card.ts";
import { isPersonal, localeOf, type Runtime } from "../context.ts";
import { CONFIRM_VERB, renderScreen } from "../render.ts";
import {
  type App,
  actorFor,
  botContext,
  isOutcome,
  privateActivities,
  replaceCard,
  screenActivity,
  sendToPersonalChat,
  withWayBack,
} from "./shared.ts";

/** The verb of the call a clicked button carries (the confirmation's own, or the button's). */
function callOf(verb: string, data: unknown): { verb: unknown; args: unknown } {
  if (verb !== CONFIRM_VERB) return { verb, args: data };
  const call = (data && typeof data === "object" ? data : {}) as { verb?: unknown; args?: unknown };
  return { verb: call.verb, args: call.args };
}

/**
 * The buttons of every card (Action.Execute): one route per verb of the
 * command table, and the confirmation step of the destructive ones (Teams
 * has no confirm dialog). In the personal chat the answer replaces the card
 * it was on; on a card in a channel, an advisor's answer goes to the
 * personal chat and the shared card stays; support's answer the clicker, and
 * replace the card for everyone when the outcome says so (revoke).
 */
export function registerActions(app: App, rt: Runtime): void {
  app.adaptiveCards.actionExecute([...VERBS, CONFIRM_VERB], async (ctx: TurnContext, _state, data: unknown) => {
    const locale = localeOf(rt, ctx.activity);
    const clicked = String((ctx.activity.value as { action?: { verb?: unknown } }).action?.verb ?? "");
    const call = callOf(clicked, data);
    const actor = await actorFor(rt, ctx);
    let result: Outcome;
    if (isOutcome(actor)) result = actor;
    else {
      const bot = botContext(rt, ctx, actor);
      result = clicked === CONFIRM_VERB ? await confirmCall(bot, actor, call) : await runCall(bot, actor, call);
    }
    const render = (o: Outcome): Card => renderScreen(o.screen, locale);
    const inPlace = isVerb(call.verb) && answersInPlace(call.verb);
    if (!isPersonal(ctx.activity) && !inPlace && !isOutcome(actor) && !actor.guest) {
      const sent = await sendToPersonalChat(rt, ctx, privateActivities(result, locale));
      return t(locale, sent ? "teams.privateNotice" : "teams.privateFailed");
    }
    const own = [...(result.privately ?? []), ...(result.queued ?? [])];
    if (own.length > 0) {
      // Messages of their own (the licence details), so they stay in the chat to copy or forward.
      // Queued ones (a bulk send) go the same way, within the turn (see docs/architecture.md, "Forms").
      await sendToPersonalChat(
        rt,
        ctx,
        own.map((s) => screenActivity(s, locale)),
      );
    }
    if (result.shownByDesk) return render(result);
    // A refusal or a failure changed nothing: told to the clicker alone, the card stays as it is
    // (in the personal chat, in place of the card until a reload, with a way back to the list).
    if (result.screen.kind === "notice" && result.screen.tone === "attention") {
      return isPersonal(ctx.activity) ? render(withWayBack(result, locale)) : result.screen.text;
    }
    const shown = render(result);
    if (isPersonal(ctx.activity) || result.forEveryone) await replaceCard(rt, ctx, shown);
    return shown;
  });
}
