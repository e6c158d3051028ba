import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { Actor } from "../../../../handlers/index.ts";
import { t } from "../../../../i18n/index.ts";
import { NEEDS_ARGUMENT, parseCommand } from "../../../commands.ts";
import type { SlackContext } from "../../context.ts";
import { changeLicence, openClient, promptChange, sendDetails, showLicences, startNew } from "../../flows/licences.ts";
import { showClients, showHistory, showNotifications } from "../../flows/lists.ts";
import { promptRevoke, showFirms, showPending } from "../../flows/support.ts";
import { commandSurface, type Surface, withActor } from "../../surface.ts";
import { notice } from "../../views/blocks.ts";
import { helpMessage } from "../../views/help.ts";

/** Slack sends &, < and > of the typed text as entities; the words and arguments are the characters typed. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** `/licencias <word> [argument]`: every answer is ephemeral, to the person who typed it. */
export function licenciasCommand(ctx: SlackContext) {
  return async ({ ack, command, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    await withActor(
      ctx,
      {
        client,
        context,
        userId: command.user_id,
        channelId: command.channel_id,
        enterpriseName: command.enterprise_name,
      },
      () => commandSurface(client, respond, command.trigger_id),
      (actor, surface) => run(ctx, actor, surface, unescapeSlack(command.text ?? "")),
    );
  };
}

async function run(ctx: SlackContext, actor: Actor, surface: Surface, text: string): Promise<void> {
  const { verb, arg, unknown } = parseCommand(text);
  const locale = actor.locale;
  if (NEEDS_ARGUMENT.has(verb) && !arg) {
    await surface.reply(notice(t(locale, `slack.argMissing.${verb}`)));
    return;
  }
  const inSupport = Boolean(ctx.support.slackChannelId) && actor.channelId === ctx.support.slackChannelId;
  switch (verb) {
    case "list":
      return showLicences(ctx, actor, surface);
    case "new":
      return startNew(ctx, actor, surface);
    case "clients":
      return showClients(ctx, actor, surface);
    case "client":
      return openClient(ctx, actor, surface, arg);
    case "send":
      return sendDetails(ctx, actor, surface, { text: arg });
    case "deactivate":
    case "unlink":
    case "delete":
      return promptChange(ctx, actor, surface, verb, arg);
    case "reactivate":
      // Not destructive: done at once.
      return changeLicence(ctx, actor, surface, "reactivate", { text: arg });
    case "notifications":
      return showNotifications(ctx, actor, surface, { taxId: arg || undefined });
    case "history":
      return showHistory(ctx, actor, surface, arg);
    case "pending":
      return showPending(ctx, actor, surface);
    case "firms":
      return showFirms(ctx, actor, surface);
    case "revoke":
      return promptRevoke(ctx, actor, surface, arg);
    case "help":
      return surface.reply(helpMessage(locale, { unknown, support: inSupport }));
  }
}
