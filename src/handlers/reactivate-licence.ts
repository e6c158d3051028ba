import type { LicenceChange } from "../db/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";
import { type LicenceTarget, toLicenceRef } from "./get-licence.ts";
import { transitionLicence } from "./licence-transition.ts";

/** Reactivates a deactivated licence. "Gestiona sus propias notificaciones" is not set back: the advisor decides again. */
export async function reactivateLicence(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceChange> {
  const firm = await firmOf(deps, actor);
  const change = await transitionLicence(
    deps.store,
    "reactivate",
    firm.id,
    toLicenceRef(target),
    auditActor(actor),
    deps.now(),
  );
  logEvent(deps, "licence_reactivated", {
    platform: actor.platform,
    firmId: firm.id,
    licenceId: change.licence.id,
    selfManagedCleared: change.selfManagedCleared,
  });
  return change;
}
