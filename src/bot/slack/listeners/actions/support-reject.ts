import { forbidden } from "../../../../errors.ts";
import { isSupportActor } from "../../../../handlers/index.ts";
import type { SlackContext } from "../../context.ts";
import { rejectModal } from "../../views/support.ts";
import { buttonListener, parseId } from "./button.ts";

/** "Rechazar": asks for "Motivo del rechazo" (only support staff in the support channel get the form). */
export const supportReject = (ctx: SlackContext) =>
  buttonListener(ctx, async (actor, surface, value) => {
    const requestId = parseId(value, "activation.requestNotFound");
    if (!isSupportActor(ctx.support, actor)) throw forbidden("activation.notSupport");
    await surface.openModal(rejectModal(actor.locale, { requestId, channelId: actor.channelId }));
  });
