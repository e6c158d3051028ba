import type { LicenceChange } from "../db/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";
import { type LicenceTarget, toLicenceRef } from "./get-licence.ts";
import { transitionLicence } from "./licence-transition.ts";

/** Frees the licence from its installation so the client can install again; the self-managed flag stays (the client is reinstalling). */
export async function unlinkLicence(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceChange> {
  const firm = await firmOf(deps, actor);
  const change = await transitionLicence(
    deps.store,
    "unlink",
    firm.id,
    toLicenceRef(target),
    auditActor(actor),
    deps.now(),
  );
  logEvent(deps, "licence_unlinked", {
    platform: actor.platform,
    firmId: firm.id,
    licenceId: change.licence.id,
    selfManagedCleared: change.selfManagedCleared,
  });
  return change;
}
