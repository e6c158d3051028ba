import type { LicenceChange } from "../db/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";
import { type LicenceTarget, toLicenceRef } from "./get-licence.ts";
import { transitionLicence } from "./licence-transition.ts";

/** Deletes a licence for good: it leaves the lists, its number is never reused, the audit trail keeps it. The client stops self-managing. */
export async function deleteLicence(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceChange> {
  const firm = await firmOf(deps, actor);
  const change = await transitionLicence(
    deps.store,
    "delete",
    firm.id,
    toLicenceRef(target),
    auditActor(actor),
    deps.now(),
  );
  logEvent(deps, "licence_deleted", {
    platform: actor.platform,
    firmId: firm.id,
    licenceId: change.licence.id,
    selfManagedCleared: change.selfManagedCleared,
  });
  return change;
}
