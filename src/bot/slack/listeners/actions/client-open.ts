import type { SlackContext } from "../../context.ts";
import { openClient } from "../../flows/licences.ts";
import { buttonListener } from "./button.ts";

/** "Configuración" in the client list: the client form (looked up within the actor's firm only). */
export const clientOpen = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, taxId) => openClient(ctx, actor, surface, taxId));
