import type { SlackContext } from "../../context.ts";
import { openClientOfLicence } from "../../flows/licences.ts";
import { buttonListener, parseId } from "./button.ts";

/** After saving a licence: the client form with "Este cliente gestiona sus propias notificaciones". */
export const licenceSelfManaged = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, value) => openClientOfLicence(ctx, actor, surface, parseId(value)));
