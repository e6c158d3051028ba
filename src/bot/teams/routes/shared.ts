import type { Application, TurnState } from "@microsoft/teams-ai";
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  INVOKE_RESPONSE_KEY,
  MessageFactory,
  type TurnContext,
} from "botbuilder";
import type { z } from "zod";
import type { Locale } from "../../../config.ts";
import { forbidden, invalid } from "../../../errors.ts";
import type { Actor } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { describeError } from "../../describe-error.ts";
import { type Card, card, execute, md, text } from "../cards/ui.ts";
import { VERB } from "../cards/verbs.ts";
import { actorOf, isPersonal, localeOf, type Runtime, rememberPersonalChat, sendPrivately } from "../context.ts";

export type App = Application<TurnState>;

export function cardActivity(value: Card): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(value));
}

/** The acting person (card clicks and dialogs); guests are refused before anything else. */
export async function memberOf(rt: Runtime, ctx: TurnContext): Promise<Actor> {
  rememberPersonalChat(rt, ctx);
  const actor = await actorOf(rt, ctx);
  if (actor.guest) throw forbidden("error.guest");
  return actor;
}

/** Reads a button's or dialog's data; a tampered or stale payload is INVALID. */
export function parseData<T extends z.ZodTypeAny>(schema: T, data: unknown): z.output<T> {
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) throw invalid([{ field: "data", message: "error.invalid" }]);
  return parsed.data;
}

/** An error in place of a card, with a way back. */
export function errorCard(locale: Locale, message: string): Card {
  return card([text(message, { color: "attention" })], [execute(t(locale, "teams.action.list"), VERB.licences)]);
}

/** The translated error; a name someone typed in it is escaped (Teams renders texts as markdown). */
export function describe(rt: Runtime, ctx: TurnContext, err: unknown): string {
  return describeError(err, localeOf(rt, ctx.activity), rt.logger, md);
}

/**
 * Replaces the card the button was on, for everyone in the conversation
 * (in a personal chat: so the change stays after a reload), besides the
 * invoke response that updates it for the clicking user at once.
 */
export async function replaceCard(rt: Runtime, ctx: TurnContext, value: Card): Promise<void> {
  const id = ctx.activity.replyToId;
  if (!id) return;
  try {
    await ctx.updateActivity({ ...cardActivity(value), id });
  } catch (err) {
    rt.logger.warn({ err }, "could not update the card in place");
  }
}

/**
 * An Action.Execute on the advisor's cards: the result (or the error) comes
 * back as the new card, replaced in place. A button clicked on a card in a
 * channel or group chat (the help card) answers in the personal chat
 * instead, and leaves the shared card as it is: the result carries client data.
 */
export function onExecute(
  app: App,
  rt: Runtime,
  verb: string,
  handler: (ctx: TurnContext, actor: Actor, data: unknown) => Promise<Card>,
): void {
  app.adaptiveCards.actionExecute(verb, async (ctx, _state, data) => {
    const locale = localeOf(rt, ctx.activity);
    let result: Card;
    try {
      const actor = await memberOf(rt, ctx);
      result = await handler(ctx, actor, data);
    } catch (err) {
      result = errorCard(locale, describe(rt, ctx, err));
    }
    if (!isPersonal(ctx.activity)) {
      try {
        await sendPrivately(rt, ctx, [cardActivity(result)]);
      } catch (err) {
        rt.logger.warn({ err }, "could not write to the user's personal chat");
        return t(locale, "teams.privateFailed");
      }
      return t(locale, "teams.privateNotice");
    }
    await replaceCard(rt, ctx, result);
    return result;
  });
}

/**
 * Answers an invoke that has no answer yet with `message`, in the form its
 * kind expects (a card for a card button, a message for a dialog), so Teams
 * never gets a 501: used by the last route, after a route that answered
 * nothing, and for a turn that failed.
 */
export async function answerInvoke(ctx: TurnContext, message: string, locale: Locale): Promise<void> {
  const a = ctx.activity;
  if (a.type !== ActivityTypes.Invoke || ctx.turnState.get(INVOKE_RESPONSE_KEY)) return;
  let body: unknown;
  if (a.name === "adaptiveCard/action") {
    body = { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: errorCard(locale, message) };
  } else if (a.name === "task/fetch" || a.name === "task/submit") {
    body = { task: { type: "message", value: message } };
  }
  await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

/**
 * The last invoke route: what no other route took (a button of an older
 * version of the app, a tampered verb, an invoke this app does not use)
 * gets a polite answer of its kind instead of a 501.
 */
export function onUnknownInvoke(app: App, rt: Runtime): void {
  app.addRoute(
    async (ctx) => ctx.activity.type === ActivityTypes.Invoke,
    async (ctx) => {
      const locale = localeOf(rt, ctx.activity);
      rt.logger.info({ name: ctx.activity.name }, "an invoke no route handles");
      await answerInvoke(ctx, t(locale, "teams.unknownAction"), locale);
    },
    true,
  );
}
