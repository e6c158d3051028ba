import type {
  AllMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewOutput,
  ViewResponseAction,
  ViewSubmitAction,
} from "@slack/bolt";
import type { Actor } from "../../../../handlers/index.ts";
import { type FormValues, isFormId, submitForm } from "../../../forms.ts";
import { notice, type Outcome } from "../../../screen.ts";
import { describeError } from "../../../screens/common.ts";
import type { SlackContext } from "../../context.ts";
import { formChangesHome, refreshHome } from "../../home.ts";
import { INPUT_ACTION } from "../../ids.ts";
import { fieldErrors, renderModal } from "../../render/index.ts";
import { botContext, sendPrivately } from "../../surface.ts";

export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** What render/index.ts put in the modal's private_metadata; anything else is simply not a form of ours. */
function metadata(view: ViewOutput): { form?: unknown; data?: unknown; channel?: string; over?: boolean } {
  try {
    const m: unknown = JSON.parse(view.private_metadata);
    if (!m || typeof m !== "object") return {};
    const { form, data, channel, over } = m as { form?: unknown; data?: unknown; channel?: unknown; over?: unknown };
    return { form, data, ...(typeof channel === "string" ? { channel } : {}), ...(over === true ? { over } : {}) };
  } catch {
    return {};
  }
}

/** What was typed and ticked, by block id (= field id): a text, or a checkbox ticked with value "true". */
export function formValues(view: ViewOutput): FormValues {
  const values: FormValues = {};
  // The request guard checked the shape; `state` may still be absent (nothing typed reaches the use case then).
  for (const [blockId, elements] of Object.entries(view.state?.values ?? {})) {
    const input = elements?.[INPUT_ACTION];
    if (!input) continue;
    if (input.type === "checkboxes") {
      values[blockId] =
        Array.isArray(input.selected_options) && input.selected_options.some((o) => o?.value === "true");
    } else if (typeof input.value === "string") {
      values[blockId] = input.value;
    }
  }
  return values;
}

/**
 * The outcome as the submission's answer: field errors on their inputs; the
 * form again with a general error; the result in the same modal; nothing
 * when the support desk already showed it. A form with a way back (a
 * preview) is pushed over the form it came from; a result shown over it
 * closes the whole stack.
 */
function answer(actor: Actor, outcome: Outcome, meta: { channel?: string; over?: boolean }): ViewResponseAction {
  const screen = outcome.screen;
  if (outcome.shownByDesk) return { response_action: "clear" };
  const view = renderModal(actor.locale, screen, meta.channel);
  if (screen.kind === "form") {
    const errors = fieldErrors(screen);
    if (!screen.error && Object.keys(errors).length > 0) return { response_action: "errors", errors };
    if (screen.back && !meta.over) return { response_action: "push", view };
  } else if (meta.over) {
    return { response_action: "update", view: { ...view, clear_on_close: true } };
  }
  return { response_action: "update", view };
}

/**
 * Every form: resolves the actor from the verified request (in the channel
 * where the form was opened), submits it through the form table and
 * acknowledges with the answer (the answer is the HTTP response).
 */
export function submissionListener(ctx: SlackContext) {
  return async (args: SubmitArgs) => {
    const { body, view, client, context, ack } = args;
    const meta = metadata(view);
    let locale = ctx.defaultLocale;
    let response: ViewResponseAction;
    let afterwards: (() => Promise<void>) | undefined;
    try {
      const actor = await ctx.actors.resolve({
        client,
        context,
        userId: body.user.id,
        userTeamId: body.user.team_id,
        channelId: meta.channel,
        enterpriseName: body.enterprise?.name ?? body.team?.enterprise_name,
      });
      locale = actor.locale;
      // The callback_id and the metadata are both ours; a form is what both say.
      const form = meta.form === view.callback_id ? meta.form : undefined;
      const outcome = await submitForm(
        botContext(ctx, context, body.user.id),
        actor,
        form,
        meta.data,
        formValues(view),
      );
      response = answer(actor, outcome, meta);
      if (isFormId(form) && formChangesHome(form)) refreshHome(ctx, client, context, actor);
      if (outcome.privately?.length) afterwards = () => sendPrivately(client, actor, outcome.privately);
    } catch (err) {
      const text = describeError(err, locale, ctx.logger);
      response = { response_action: "update", view: renderModal(locale, notice(text, "attention")) };
    }
    await ack(response);
    await afterwards?.().catch((err: unknown) => ctx.logger.error({ err }, "could not send a private message"));
  };
}
