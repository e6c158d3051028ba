import { createHash } from "node:crypto";
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { rememberRequest } from "../../../../handlers/index.ts";
import { runCall } from "../../../commands.ts";
import { openFormById } from "../../../forms.ts";
import type { SlackContext } from "../../context.ts";
import { changesHome, refreshHome } from "../../home.ts";
import { parseActionId } from "../../ids.ts";
import { actionSource, actionSurface, botContext, withActor } from "../../surface.ts";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** How long a click is remembered across instances (as recentClicks in this one). */
const CLICK_MEMORY_MS = 5_000;

/** One click: who, which button (and value), on which message or modal. */
function clickKey(body: BlockAction, action: ButtonAction): string {
  const where = body.view?.id ?? `${body.container?.channel_id ?? ""}/${body.container?.message_ts ?? ""}`;
  return JSON.stringify([body.team?.id ?? body.enterprise?.id, body.user.id, action.action_id, action.value, where]);
}

/** The arguments or data a button carries (JSON); anything else stays a string, which the command layer refuses. */
function carried(value: string | undefined): unknown {
  try {
    return value === undefined ? {} : (JSON.parse(value) as unknown);
  } catch {
    return value;
  }
}

/**
 * Every button: acknowledges, resolves the actor from the verified request,
 * runs the verb (the command layer checks the arguments and the firm again)
 * or opens the form, and delivers the outcome. A link button only needs its
 * acknowledgement. Slack sends a double click as two requests: the second one
 * is only acknowledged (checked and remembered before any await, so two
 * requests in flight cannot both pass), and, since the two may reach two
 * instances, remembered in the database too (docs/architecture.md, "Several
 * instances").
 */
export function buttonListener(ctx: SlackContext) {
  return async (args: ButtonArgs) => {
    const { body, client, context, respond, action } = args;
    const id = parseActionId(action.action_id);
    const key = clickKey(body, action);
    if (!id || id.kind === "link" || ctx.recentClicks.get(key)) {
      await args.ack();
      return;
    }
    ctx.recentClicks.set(key, true);
    await args.ack();
    const digest = createHash("sha256").update(key).digest("base64url");
    // A database that does not answer lets the click through: its use case then answers "try again".
    const first = await rememberRequest(ctx.deps, `slack:click:${digest}`, CLICK_MEMORY_MS).catch(() => true);
    if (!first) return;
    const bot = botContext(ctx, context, body.user.id);
    const value = carried(action.value);
    await withActor(
      ctx,
      actionSource(client, context, body),
      (locale) => actionSurface(client, respond, body, locale),
      async (actor) => {
        if (id.kind === "run") {
          const outcome = await runCall(bot, actor, { verb: id.verb, args: value });
          if (changesHome(id.verb)) refreshHome(ctx, client, context, actor);
          return outcome;
        }
        return id.kind === "form"
          ? openFormById(bot, actor, id.form, value)
          : // A stale button: the command layer answers that it is no longer available.
            runCall(bot, actor, undefined);
      },
    );
  };
}
