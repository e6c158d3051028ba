import type { Application, TurnState } from "@microsoft/teams-ai";
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  INVOKE_RESPONSE_KEY,
  MessageFactory,
  type TurnContext,
} from "botbuilder";
import type { Locale } from "../../../config.ts";
import type { Actor } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { type BotContext, wordsOf } from "../../commands.ts";
import { type Outcome, outcome, run, type Screen } from "../../screen.ts";
import { describeError } from "../../screens/common.ts";
import type { Card } from "../adaptive-card.ts";
import { actorOf, localeOf, type Runtime, rememberPersonalChat, requesterRefOf, sendPrivately } from "../context.ts";
import { renderScreen } from "../render.ts";
import { teamsAlertsChannel } from "../watch.ts";

export type App = Application<TurnState>;

/** Teams puts nothing before a command word: the message is the command (after the @mention in a channel). */
export const PREFIX = "";

export function cardActivity(value: Card): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(value));
}

/** A screen as a message of its own. */
export function screenActivity(screen: Screen, locale: Locale): Partial<Activity> {
  return cardActivity(renderScreen(screen, locale));
}

/** The acting person, with the personal chat remembered; an activity without a tenant gets the error as a notice. */
export async function actorFor(rt: Runtime, ctx: TurnContext): Promise<Actor | Outcome> {
  await rememberPersonalChat(rt, ctx);
  try {
    return await actorOf(rt, ctx);
  } catch (err) {
    const locale = localeOf(rt, ctx.activity);
    return outcome({ kind: "notice", text: describeError(err, locale, rt.logger), tone: "attention" });
  }
}

export function isOutcome(value: Actor | Outcome): value is Outcome {
  return "screen" in value;
}

/** The command layer's context for this turn: no prefix, and this person's personal chat to tell them later. */
export function botContext(rt: Runtime, ctx: TurnContext, actor: Actor): BotContext {
  return {
    deps: rt.deps,
    prefix: PREFIX,
    requesterRef: async () => await requesterRefOf(rt, ctx, actor),
    alertsChannel: () => teamsAlertsChannel(ctx.activity),
  };
}

/** The screens of an outcome meant for the person alone: the screen, then its private messages. */
export function privateActivities(result: Outcome, locale: Locale): Partial<Activity>[] {
  return [result.screen, ...(result.privately ?? []), ...(result.queued ?? [])].map((s) => screenActivity(s, locale));
}

/** Sends to the person's personal chat; false (and the person told here) when Teams would not let it. */
export async function sendToPersonalChat(
  rt: Runtime,
  ctx: TurnContext,
  activities: Partial<Activity>[],
): Promise<boolean> {
  try {
    await sendPrivately(rt, ctx, activities);
    return true;
  } catch (err) {
    rt.logger.warn({ err }, "could not write to the user's personal chat");
    return false;
  }
}

/**
 * An error in place of the card a button was on keeps a way back to the
 * list (in the personal chat, where the card is replaced).
 */
export function withWayBack(result: Outcome, locale: Locale): Outcome {
  const s = result.screen;
  if (s.kind !== "notice" || s.tone !== "attention") return result;
  return {
    ...result,
    screen: {
      kind: "card",
      blocks: [{ type: "text", text: s.text, tone: "attention" }],
      actions: [run(t(locale, "button.list"), "list")],
    },
  };
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
    const card = renderScreen(
      withWayBack(outcome({ kind: "notice", text: message, tone: "attention" }), locale).screen,
      locale,
    );
    body = { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card };
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
      await answerInvoke(ctx, t(locale, "action.unknown", { command: wordsOf("list", locale)[0] }), locale);
    },
    true,
  );
}
