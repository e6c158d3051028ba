import type { SlackContext } from "../../context.ts";
import { showClients } from "../../flows/lists.ts";
import { buttonListener } from "./button.ts";

/** "Más" under the client list. */
export const clientsMore = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, cursor) => showClients(ctx, actor, surface, cursor));
