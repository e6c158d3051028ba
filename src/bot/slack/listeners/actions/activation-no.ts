import { t } from "../../../../i18n/index.ts";
import type { SlackContext } from "../../context.ts";
import { notice } from "../../views/blocks.ts";
import { buttonListener } from "./button.ts";

/** "No": the question is replaced by a short acknowledgement. */
export const activationNo = (ctx: SlackContext) =>
  buttonListener(ctx, async (actor, surface) => {
    await surface.reply(notice(t(actor.locale, "slack.activation.declined")), { replace: true });
  });
