import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommand, runCommand } from "../../../commands.ts";
import type { SlackContext } from "../../context.ts";
import { changesHome, refreshHome } from "../../home.ts";
import { botContext, commandSurface, withActor } from "../../surface.ts";

/** Slack sends &, < and > of the typed text as entities; the words and arguments are the characters typed. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * How long an answer may take to go back in the command's own HTTP response
 * (Bolt's `ack(message)`): Slack gives the acknowledgement 3 s; past this, the
 * command is acknowledged empty and the answer follows through response_url.
 */
export const ACK_ANSWER_MS = 1500;

/** `/licencias <word> [argument]`: the command table's answer, ephemeral, to the person who typed it. */
export function licenciasCommand(ctx: SlackContext) {
  return async ({ ack, command, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    // Acknowledged once: with the answer when it is ready in time, else empty (then respond() answers).
    let acked = false;
    const acknowledge = async (answer?: RespondArguments): Promise<boolean> => {
      if (acked) return false;
      acked = true;
      await ack(answer);
      return true;
    };
    const late = setTimeout(() => {
      acknowledge().catch((err: unknown) => ctx.logger.warn({ err }, "could not acknowledge a command"));
    }, ACK_ANSWER_MS);
    try {
      await withActor(
        ctx,
        {
          client,
          context,
          userId: command.user_id,
          channelId: command.channel_id,
          enterpriseName: command.enterprise_name,
        },
        (locale) => commandSurface(client, respond, command, locale, acknowledge),
        async (actor) => {
          const text = unescapeSlack(command.text ?? "");
          const outcome = await runCommand(botContext(ctx, context, command.user_id), actor, text);
          if (changesHome(parseCommand(text).verb)) refreshHome(ctx, client, context, actor);
          return outcome;
        },
      );
    } finally {
      clearTimeout(late);
      // Nothing to say in the response (a form was opened): an empty acknowledgement.
      await acknowledge();
    }
  };
}
