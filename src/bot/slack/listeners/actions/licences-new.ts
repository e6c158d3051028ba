import type { SlackContext } from "../../context.ts";
import { startNew } from "../../flows/licences.ts";
import { buttonListener } from "./button.ts";

/** "Nuevo" in the licence list. */
export const licencesNew = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface) => startNew(ctx, actor, surface));
