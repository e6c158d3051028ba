import type { SlackContext } from "../../context.ts";
import { showLicences } from "../../flows/licences.ts";
import { buttonListener } from "./button.ts";

/** "Más" under the licence list: the next page replaces the one shown. */
export const licencesMore = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, cursor) => showLicences(ctx, actor, surface, cursor));
