import type { SlackContext } from "../../context.ts";
import { revoke } from "../../flows/support.ts";
import { buttonListener, parseId } from "./button.ts";

/** "Revocar", after the confirm dialog. */
export const supportRevoke = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, value) =>
    revoke(ctx, actor, surface, parseId(value, "activation.firmNotFound")),
  );
