import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { notFound } from "../../../../errors.ts";
import type { Actor } from "../../../../handlers/index.ts";
import type { SlackContext } from "../../context.ts";
import { actionSource, actionSurface, type Surface, withActor } from "../../surface.ts";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** One click: who, which button (and value), on which message or modal. */
function clickKey(body: BlockAction, action: ButtonAction): string {
  const where = body.view?.id ?? `${body.container?.channel_id ?? ""}/${body.container?.message_ts ?? ""}`;
  return JSON.stringify([body.team?.id ?? body.enterprise?.id, body.user.id, action.action_id, action.value, where]);
}

/**
 * A button listener: acknowledges, resolves the actor from the verified
 * request and runs `work` with the button's value; failures are answered.
 * Slack sends a double click as two requests: the second one is only
 * acknowledged (checked and remembered before any await, so two requests in
 * flight cannot both pass).
 */
export function buttonListener(
  ctx: SlackContext,
  work: (actor: Actor, surface: Surface, value: string, args: ButtonArgs) => Promise<void>,
) {
  return async (args: ButtonArgs) => {
    const { body, client, context, respond, action } = args;
    const key = clickKey(body, action);
    if (ctx.recentClicks.get(key)) {
      await args.ack();
      return;
    }
    ctx.recentClicks.set(key, true);
    await args.ack();
    await withActor(
      ctx,
      actionSource(client, context, body),
      (locale) => actionSurface(client, respond, body, locale),
      (actor, surface) => work(actor, surface, action.value ?? "", args),
    );
  };
}

/** A licence or request id carried by a button; anything else is simply not found. */
export function parseId(value: string, messageId = "licence.notFound"): number {
  const id = Number(value);
  if (!/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id <= 0) throw notFound(messageId);
  return id;
}
