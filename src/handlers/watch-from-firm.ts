import type { ClientRecord } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";
import { applySelfManaged } from "./set-self-managed.ts";

/**
 * "Vigilar desde el despacho" on a silent app (docs/architecture.md, "The
 * daily watch"): clears the client's "gestiona sus propias notificaciones",
 * audited, so the firm watches that mailbox again. Another firm's licence
 * is NOT_FOUND.
 */
export async function watchFromFirm(
  deps: Deps,
  actor: Actor,
  input: { licenceId: number },
): Promise<{ client: ClientRecord; changed: boolean }> {
  const firm = await firmOf(deps, actor);
  const licence = await deps.store.findLicence(firm.id, { licenceId: input.licenceId });
  if (!licence) throw notFound("licence.notFound");
  const result = await applySelfManaged(deps.store, {
    firmId: firm.id,
    taxId: licence.client.taxId,
    value: false,
    actor: auditActor(actor),
    now: deps.now(),
  });
  if (result.changed) {
    logEvent(deps, "self_managed_changed", {
      platform: actor.platform,
      firmId: firm.id,
      clientId: result.client.id,
      selfManaged: false,
    });
  }
  return result;
}
