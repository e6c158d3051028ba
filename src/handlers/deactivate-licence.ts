import type { LicenceChange } from "../db/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";
import { type LicenceTarget, toLicenceRef } from "./get-licence.ts";
import { transitionLicence } from "./licence-transition.ts";

/** Suspends a licence (reversible). The client stops self-managing: watching its mailboxes is the firm's job again. */
export async function deactivateLicence(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceChange> {
  const firm = await firmOf(deps, actor);
  const change = await transitionLicence(
    deps.store,
    "deactivate",
    firm.id,
    toLicenceRef(target),
    auditActor(actor),
    deps.now(),
  );
  logEvent(deps, "licence_deactivated", {
    platform: actor.platform,
    firmId: firm.id,
    licenceId: change.licence.id,
    selfManagedCleared: change.selfManagedCleared,
  });
  return change;
}
