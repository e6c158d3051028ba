import type { LicenceChangeKind } from "../../../shared/licence-change.ts";
import type { SlackContext } from "../../context.ts";
import { changeLicence } from "../../flows/licences.ts";
import { buttonListener, parseId } from "./button.ts";

/**
 * Desactivar / Reactivar / Desvincular / Eliminar, after Slack's confirm
 * dialog. The button carries only the licence id: the firm is the actor's,
 * so another firm's id is not found.
 */
export const licenceChange = (ctx: SlackContext, kind: LicenceChangeKind) =>
  buttonListener(ctx, (actor, surface, value) =>
    changeLicence(ctx, actor, surface, kind, { licenceId: parseId(value) }),
  );
