import { ActivityTypes, type TurnContext } from "botbuilder";
import { t, tn } from "../../../i18n/index.ts";
import { answersInPlace, parseCommand, runCommand } from "../../commands.ts";
import type { Outcome } from "../../screen.ts";
import { channelOf, isPersonal, isSupportChannel, localeOf, type Runtime } from "../context.ts";
import { connectSupportChannel } from "../support-desk.ts";
import { type App, actorFor, botContext, isOutcome, privateActivities, sendToPersonalChat } from "./shared.ts";

/** The message text without markup Teams may add (a quoted reply, HTML, non-breaking spaces, other mentions). */
export function plainText(raw: string | undefined): string {
  return (raw ?? "")
    .replace(/<blockquote[\s>][\s\S]*?<\/blockquote>/gi, " ")
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/\u00a0/g, " ")
    .trim();
}

async function replyInPlace(ctx: TurnContext, result: Outcome, locale: "es" | "en"): Promise<void> {
  for (const activity of privateActivities(result, locale)) await ctx.sendActivity(activity);
}

/**
 * A typed command (personal chat; @mention in channels) through the command
 * table. In a channel, an answer with client data goes to the person's
 * personal chat and the channel is told so; support's words and the help
 * answer where they were asked.
 */
export function registerCommands(app: App, rt: Runtime): void {
  app.activity(ActivityTypes.Message, async (ctx) => {
    const personal = isPersonal(ctx.activity);
    if (!personal) {
      // Helps an operator find the id to put in SUPPORT_TEAMS_CHANNEL_ID.
      rt.logger.debug({ teamsChannelId: channelOf(ctx.activity) }, "message in a Teams channel");
    }
    const locale = localeOf(rt, ctx.activity);
    if (!personal && isSupportChannel(rt, ctx.activity)) {
      const connected = await connectSupportChannel(rt, ctx);
      if (connected?.isNew) {
        const posted = connected.posted > 0 ? ` ${tn(locale, "teams.support.postedPending", connected.posted)}` : "";
        await ctx.sendActivity(`${t(locale, "teams.support.connected")}${posted}`);
      }
    }
    const raw = plainText(ctx.activity.text);
    // A card's Action.Submit without a dialog arrives as a message with a value and no text: nothing to do.
    if (!raw && ctx.activity.value) return;

    const actor = await actorFor(rt, ctx);
    if (isOutcome(actor)) {
      await replyInPlace(ctx, actor, locale);
      return;
    }
    const result = await runCommand(botContext(rt, ctx, actor), actor, raw);
    // A guest never gets a private chat opened for them: the refusal stays here.
    if (personal || actor.guest || answersInPlace(parseCommand(raw).verb)) {
      await replyInPlace(ctx, result, locale);
      return;
    }
    const sent = await sendToPersonalChat(rt, ctx, privateActivities(result, locale));
    await ctx.sendActivity(t(locale, sent ? "teams.privateNotice" : "teams.privateFailed"));
  });
}
