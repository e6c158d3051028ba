import type { AuditActor, LicenceChange, LicenceRef, Store } from "../db/index.ts";
import type { LicencePatch } from "../db/store/licences.ts";
import { conflict, notFound, ServiceError } from "../errors.ts";

export type LicenceTransition = "deactivate" | "reactivate" | "unlink" | "delete";

const ACTION: Record<LicenceTransition, string> = {
  deactivate: "licence.deactivated",
  reactivate: "licence.reactivated",
  unlink: "licence.unlinked",
  delete: "licence.deleted",
};

/**
 * One licence transition as a unit of work: the state change valid now;
 * deactivate and delete clear the client's self-management (audited);
 * reactivate needs an active firm; unlink and delete free the installation.
 * Locks in the lock order (docs/architecture.md, "Lock order"): the firm
 * first for a delete (the `live_licences` trigger updates it), then the
 * client, then the licence, so a self-managed tick and a deactivation queue
 * on the client row and never both win.
 */
export function transitionLicence(
  store: Store,
  kind: LicenceTransition,
  firmId: number,
  ref: LicenceRef,
  actor: AuditActor,
  now: number,
): Promise<LicenceChange> {
  return store.unit(`${kind}Licence`, async (tx) => {
    const found = await tx.findLicence(firmId, ref);
    if (!found) throw notFound("licence.notFound");
    const firmState =
      kind === "delete" || kind === "reactivate" ? (await tx.firmForUpdate(firmId))?.activationState : undefined;
    const client = await tx.clientForUpdate(firmId, { clientId: found.client.id });
    // Read again under its lock: another unit may have changed or deleted it meanwhile.
    const licence = client ? await tx.licenceForUpdate(firmId, found.id) : undefined;
    if (!client || !licence) throw notFound("licence.notFound");

    let patch: LicencePatch;
    let clearSelfManaged = false;
    switch (kind) {
      case "deactivate":
        if (licence.state === "deactivated") throw conflict("licence.alreadyDeactivated");
        patch = { state: "deactivated" };
        clearSelfManaged = true;
        break;
      case "reactivate":
        if (firmState !== "active") throw new ServiceError("FEATURE_NOT_ACTIVE", "activation.notActive");
        if (licence.state === "active") throw conflict("licence.alreadyActive");
        patch = { state: "active" };
        break;
      case "unlink":
        if (!licence.linked) throw conflict("licence.notLinked");
        patch = { unlink: true };
        break;
      case "delete":
        patch = { deletedAt: now };
        clearSelfManaged = true;
        break;
    }

    const changed = await tx.updateLicence(licence.id, patch, now);
    const cleared = clearSelfManaged && client.selfManaged;
    const audit = { firmId, actor, licenceId: licence.id, clientId: client.id, now };
    if (cleared) {
      changed.client = await tx.setClientSelfManaged(client.id, false, now);
      await tx.audit({ ...audit, action: "client.selfManagedCleared" });
    }
    await tx.audit({ ...audit, action: ACTION[kind] });
    return { licence: changed, selfManagedCleared: cleared };
  });
}
