import { requestActivation } from "../../../../handlers/index.ts";
import { t } from "../../../../i18n/index.ts";
import type { SlackContext } from "../../context.ts";
import { requesterRef } from "../../surface.ts";
import { infoModal } from "../../views/info.ts";
import { submissionListener, textValue } from "./submission.ts";

/** The activation request form: the message goes to the support channel; the requester will get a DM. */
export const activationRequest = (ctx: SlackContext) =>
  submissionListener(ctx, async (actor, { view, context, body }) => {
    await requestActivation(ctx.deps, actor, {
      firmName: textValue(view, "firmName") ?? "",
      message: textValue(view, "message") ?? "",
      requesterRef: requesterRef(context, body.user.id),
    });
    return {
      response_action: "update",
      view: infoModal(
        actor.locale,
        t(actor.locale, "slack.activation.modalTitle"),
        t(actor.locale, "slack.activation.sent"),
      ),
    };
  });
