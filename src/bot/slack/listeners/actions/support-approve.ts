import type { SlackContext } from "../../context.ts";
import { approve } from "../../flows/support.ts";
import { buttonListener, parseId } from "./button.ts";

/** "Aprobar" in the support channel; the support message is then updated in place by the support desk. */
export const supportApprove = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, _surface, value) => approve(ctx, actor, parseId(value, "activation.requestNotFound")));
