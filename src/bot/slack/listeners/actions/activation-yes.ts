import { getActivationStatus } from "../../../../handlers/index.ts";
import { t } from "../../../../i18n/index.ts";
import type { SlackContext } from "../../context.ts";
import { activationRequestModal } from "../../views/activation.ts";
import { notice } from "../../views/blocks.ts";
import { buttonListener } from "./button.ts";

/** "Sí": the form with the message for Soporte Técnico. */
export const activationYes = (ctx: SlackContext) =>
  buttonListener(ctx, async (actor, surface) => {
    const firm = getActivationStatus(ctx.deps, actor);
    if (firm.activationState === "active") return surface.reply(notice(t(actor.locale, "activation.alreadyActive")));
    if (firm.activationState === "pending") return surface.reply(notice(t(actor.locale, "activation.alreadyPending")));
    await surface.openModal(activationRequestModal(actor.locale, actor.workspaceName));
  });
