import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { runCommand } from "../../../commands.ts";
import type { SlackContext } from "../../context.ts";
import { botContext, commandSurface, withActor } from "../../surface.ts";

/** Slack sends &, < and > of the typed text as entities; the words and arguments are the characters typed. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** `/licencias <word> [argument]`: the command table's answer, ephemeral, to the person who typed it. */
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
      (locale) => commandSurface(client, respond, command, locale),
      (actor) => runCommand(botContext(ctx, context, command.user_id), actor, unescapeSlack(command.text ?? "")),
    );
  };
}
