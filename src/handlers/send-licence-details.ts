import type { Locale } from "../config.ts";
import type { AuditActor, LicenceRecord, LicenceRef, Store } from "../db/index.ts";
import { formatLicenceNumber } from "../domain/licence-number.ts";
import { notFound } from "../errors.ts";
import { t } from "../i18n/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";
import { type LicenceTarget, toLicenceRef } from "./get-licence.ts";

/** The `mailto:` draft must stay under this many characters (mail clients cut longer links). */
export const MAILTO_MAX = 2000;

export interface LicenceDetails {
  licence: LicenceRecord;
  /** XXXXX-XXXXX-XXXXX-XXXXX */
  number: string;
  instructions: string;
  subject: string;
  /** The whole e-mail text, ready to copy. */
  body: string;
  /** A one-click e-mail draft to the client. */
  mailto: string;
}

/** Builds the licence details in a language: number, instructions, e-mail draft. */
export function buildLicenceDetails(
  licence: LicenceRecord,
  locale: Locale,
  installerUrl: string | undefined,
): LicenceDetails {
  const number = formatLicenceNumber(licence.number);
  const instructions = t(locale, "details.instructions", {
    installer: installerUrl ?? t(locale, "details.installerUnknown"),
    number,
  });
  const subject = t(locale, "details.subject");
  const greeting = t(locale, "details.greeting", { name: licence.client.name });
  const body = t(locale, "details.body", { greeting, number, instructions });
  const to = licence.client.email ? encodeURIComponent(licence.client.email).replace(/%40/g, "@") : "";
  const enc = (s: string) => encodeURIComponent(s.replace(/\n/g, "\r\n"));
  let mailto = `mailto:${to}?subject=${enc(subject)}&body=${enc(body)}`;
  if (mailto.length >= MAILTO_MAX) {
    // A very long company name: keep the number and the link, drop the greeting.
    const shortBody = t(locale, "details.body", { greeting: "", number, instructions }).trim();
    mailto = `mailto:${to}?subject=${enc(subject)}&body=${enc(shortBody)}`.slice(0, MAILTO_MAX - 1);
  }
  return { licence, number, instructions, subject, body, mailto };
}

/** The details being sent, as one unit: the licence live, `details_sent_at` and the audit row together. */
export function recordDetailsSent(
  store: Store,
  firmId: number,
  ref: LicenceRef,
  actor: AuditActor,
  now: number,
): Promise<LicenceRecord> {
  return store.unit("recordDetailsSent", async (tx) => {
    const found = await tx.findLicence(firmId, ref);
    const licence = found && (await tx.licenceForUpdate(firmId, found.id));
    if (!licence) throw notFound("licence.notFound");
    const sent = await tx.updateLicence(licence.id, { detailsSentAt: now }, now);
    await tx.audit({
      firmId,
      action: "licence.detailsSent",
      actor,
      licenceId: licence.id,
      clientId: licence.client.id,
      now,
    });
    return sent;
  });
}

/** "Enviar datos de licencia": the details, in the advisor's language; recorded in the audit trail. */
export async function sendLicenceDetails(deps: Deps, actor: Actor, target: LicenceTarget): Promise<LicenceDetails> {
  const firm = await firmOf(deps, actor);
  const licence = await recordDetailsSent(deps.store, firm.id, toLicenceRef(target), auditActor(actor), deps.now());
  logEvent(deps, "licence_details_sent", { platform: actor.platform, firmId: firm.id, licenceId: licence.id });
  return buildLicenceDetails(licence, actor.locale, deps.installerUrl);
}
