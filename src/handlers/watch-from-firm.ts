import type { ClientRecord } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";
import { setSelfManaged } from "./set-self-managed.ts";

/**
 * "Vigilar desde el despacho" on a silent app (docs/architecture.md, "The
 * daily watch"): clears the client's "gestiona sus propias notificaciones",
 * audited, so the firm watches that mailbox again. Another firm's licence
 * is NOT_FOUND. The clearing is the tick box's own use case (one unit with
 * its audit, and the same event), so the two never disagree.
 */
export async function watchFromFirm(
  deps: Deps,
  actor: Actor,
  input: { licenceId: number },
): Promise<{ client: ClientRecord; changed: boolean }> {
  const firm = await firmOf(deps, actor);
  const licence = await deps.store.findLicence(firm.id, { licenceId: input.licenceId });
  if (!licence) throw notFound("licence.notFound");
  return await setSelfManaged(deps, actor, { taxId: licence.client.taxId, selfManaged: false });
}
