import type { SlackContext } from "../../context.ts";
import { sendDetails } from "../../flows/licences.ts";
import { buttonListener, parseId } from "./button.ts";

/** "Enviar datos de licencia". */
export const licenceSend = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, value) => sendDetails(ctx, actor, surface, { licenceId: parseId(value) }));
