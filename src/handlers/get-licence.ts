import type { LicenceRecord, LicenceRef } from "../db/index.ts";
import { type Onboarding, onboarding } from "../domain/onboarding.ts";
import { notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf, parseLicenceRef } from "./context.ts";

/** A licence chosen by a button (its id) or typed by a person (number or tax id). */
export type LicenceTarget = { licenceId: number } | { text: string };

/** A licence with where its handover stands (docs/architecture.md, "The handover"). */
export interface LicenceWithStatus extends LicenceRecord {
  handover: Onboarding;
}

export function toLicenceRef(target: LicenceTarget): LicenceRef {
  return "licenceId" in target ? { licenceId: target.licenceId } : parseLicenceRef(target.text);
}

/** One of the firm's live licences; another firm's id is NOT_FOUND. */
export async function getLicence(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceRecord> {
  const firm = await firmOf(deps, actor);
  const licence = await deps.store.findLicence(firm.id, toLicenceRef(target));
  if (!licence) throw notFound("licence.notFound");
  return licence;
}

/** The handover status of a licence as a list row shows it (no notifications counted). */
export function withStatus(
  deps: Pick<Deps, "now" | "watch">,
  licence: LicenceRecord,
  notifications?: { count: number; latestAt: number | null },
): LicenceWithStatus {
  const handover = onboarding(
    {
      state: licence.state,
      createdAt: licence.createdAt,
      detailsSentAt: licence.detailsSentAt,
      linkedAt: licence.linkedAt,
      selfManagedAt: licence.client.selfManagedAt,
      lastContactAt: licence.lastContactAt,
      notifications,
    },
    { now: deps.now(), silentDays: deps.watch.silentDays },
  );
  return { ...licence, handover };
}

/** The licence's ficha: the licence, its handover checklist with dates, and the notifications its app reported. */
export async function getLicenceStatus(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceWithStatus> {
  const licence = await getLicence(deps, actor, target);
  return withStatus(deps, licence, await deps.store.notificationStats(licence.firmId, licence.client.id));
}
