import {
  type Actor,
  type Deps,
  deactivateLicence,
  deleteLicence,
  type LicenceChange,
  type LicenceTarget,
  reactivateLicence,
  unlinkLicence,
} from "../../handlers/index.ts";

/** Desactivar, Reactivar, Desvincular, Eliminar: the licence changes, each one use case. */
export const LICENCE_CHANGES = ["deactivate", "reactivate", "unlink", "delete"] as const;
export type LicenceChangeKind = (typeof LICENCE_CHANGES)[number];

const USE_CASE: Record<LicenceChangeKind, (deps: Deps, actor: Actor, target: LicenceTarget) => LicenceChange> = {
  deactivate: deactivateLicence,
  reactivate: reactivateLicence,
  unlink: unlinkLicence,
  delete: deleteLicence,
};

/** Runs the use case of a licence change (the firm is the actor's, whatever the target). */
export function applyLicenceChange(
  deps: Deps,
  actor: Actor,
  kind: LicenceChangeKind,
  target: LicenceTarget,
): LicenceChange {
  return USE_CASE[kind](deps, actor, target);
}
