import type {
  AllMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewOutput,
  ViewResponseAction,
  ViewSubmitAction,
} from "@slack/bolt";
import type { Locale } from "../../../../config.ts";
import { isServiceError } from "../../../../errors.ts";
import type { Actor } from "../../../../handlers/index.ts";
import { describeError, fieldMessages } from "../../../describe-error.ts";
import type { SlackContext } from "../../context.ts";
import { INPUT_ACTION } from "../../ids.ts";
import { truncate } from "../../views/blocks.ts";
import { errorModal } from "../../views/info.ts";

export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The text typed in an input block (block id = field name, one element with action id "value"). */
export function textValue(view: ViewOutput, blockId: string): string | undefined {
  // The request guard checked the shape; `state` may still be absent (nothing typed reaches the use case then).
  const v = view.state?.values?.[blockId]?.[INPUT_ACTION]?.value;
  return typeof v === "string" ? v : undefined;
}

/** Whether a checkbox of an input block is ticked. */
export function isChecked(view: ViewOutput, blockId: string, value: string): boolean {
  const options = view.state?.values?.[blockId]?.[INPUT_ACTION]?.selected_options;
  return Array.isArray(options) && options.some((o) => o?.value === value);
}

function blockIds(view: ViewOutput): Set<string> {
  const blocks: unknown[] = Array.isArray(view.blocks) ? view.blocks : [];
  return new Set(
    blocks
      .map((b) => (b && typeof b === "object" ? (b as { block_id?: unknown }).block_id : undefined))
      .filter((id): id is string => typeof id === "string"),
  );
}

/**
 * A failed submission: the use case's field errors on their inputs
 * (response_action "errors"; block ids are the field names), anything else
 * as a modal with the translated error.
 */
export function failedSubmission(
  err: unknown,
  locale: Locale,
  view: ViewOutput,
  ctx: SlackContext,
): ViewResponseAction {
  if (isServiceError(err) && err.fields.length > 0) {
    const present = blockIds(view);
    const errors: Record<string, string> = {};
    for (const [field, text] of Object.entries(fieldMessages(err, locale))) {
      if (present.has(field)) errors[field] = truncate(text, 300);
    }
    if (Object.keys(errors).length > 0) return { response_action: "errors", errors };
  }
  return { response_action: "update", view: errorModal(locale, describeError(err, locale, ctx.logger)) };
}

/**
 * A form listener: resolves the actor from the verified request, runs the
 * use case and acknowledges with its answer (the answer is the HTTP response).
 */
export function submissionListener(
  ctx: SlackContext,
  work: (actor: Actor, args: SubmitArgs) => Promise<ViewResponseAction | undefined>,
  channelOf: (view: ViewOutput) => string | undefined = () => undefined,
) {
  return async (args: SubmitArgs) => {
    const { body, view, client, context, ack } = args;
    let locale = ctx.defaultLocale;
    let response: ViewResponseAction | undefined;
    try {
      const actor = await ctx.actors.resolve({
        client,
        context,
        userId: body.user.id,
        userTeamId: body.user.team_id,
        channelId: channelOf(view),
        enterpriseName: body.enterprise?.name ?? body.team?.enterprise_name,
      });
      locale = actor.locale;
      response = await work(actor, args);
    } catch (err) {
      response = failedSubmission(err, locale, view, ctx);
    }
    await ack(response);
  };
}
