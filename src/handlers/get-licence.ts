import type { LicenceRecord, LicenceRef } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf, parseLicenceRef } from "./context.ts";

/** A licence chosen by a button (its id) or typed by a person (number or tax id). */
export type LicenceTarget = { licenceId: number } | { text: string };

export function toLicenceRef(target: LicenceTarget): LicenceRef {
  return "licenceId" in target ? { licenceId: target.licenceId } : parseLicenceRef(target.text);
}

/** One of the firm's live licences; another firm's id is NOT_FOUND. */
export function getLicence(deps: Deps, actor: Actor, target: LicenceTarget): LicenceRecord {
  const firm = firmOf(deps, actor);
  const licence = deps.store.findLicence(firm.id, toLicenceRef(target));
  if (!licence) throw notFound("licence.notFound");
  return licence;
}
