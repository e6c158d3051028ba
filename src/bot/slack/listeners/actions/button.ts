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

/** How long a click is remembered: a double click's second request arrives well within it. */
export const DOUBLE_CLICK_MS = 5_000;

/** One click: who, which button (and value), on which message or modal; hashed, as values may be long. */
function clickKey(body: BlockAction, action: ButtonAction): string {
  const where = body.view?.id ?? `${body.container?.channel_id ?? ""}/${body.container?.message_ts ?? ""}`;
  const click = JSON.stringify([
    body.team?.id ?? body.enterprise?.id,
    body.user.id,
    action.action_id,
    action.value,
    where,
  ]);
  return `click:${createHash("sha256").update(click).digest("base64url")}`;
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
 * is only acknowledged. The click is remembered in the database (one
 * statement), so the two requests of a double click run the action once even
 * when they reach two instances (docs/architecture.md, "Several instances").
 */
export function buttonListener(ctx: SlackContext) {
  return async (args: ButtonArgs) => {
    const { body, client, context, respond, action } = args;
    const id = parseActionId(action.action_id);
    await args.ack();
    if (!id || id.kind === "link" || !(await firstClick(ctx, clickKey(body, action)))) return;
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

/** True for the first of a double click's two requests. A database that does not answer lets the click through: the use case then answers "try again". */
async function firstClick(ctx: SlackContext, key: string): Promise<boolean> {
  try {
    return await rememberRequest(ctx.deps, key, DOUBLE_CLICK_MS);
  } catch (err) {
    ctx.logger.warn({ err }, "could not remember a click");
    return true;
  }
}
