/**
 * Small texts every screen uses: states, yes/no, a licence's one-line
 * summary, an error as a person reads it. See docs/architecture.md, "Texts".
 */
import type { Locale } from "../../config.ts";
import { isServiceError, type ServiceError } from "../../errors.ts";
import type { Actor, ClientRow, LicenceRecord } from "../../handlers/index.ts";
import { formatDateTime, t } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import type { Field } from "../screen.ts";

export function yesNo(locale: Locale, value: boolean): string {
  return t(locale, value ? "yes" : "no");
}

/** "Activa" / "Desactivada". */
export function stateText(locale: Locale, state: LicenceRecord["state"]): string {
  return t(locale, state === "active" ? "licence.state.active" : "licence.state.deactivated");
}

/** "Vinculada" / "Sin vincular". */
export function linkedText(locale: Locale, linked: boolean): string {
  return t(locale, linked ? "licence.linked" : "licence.notLinkedShort");
}

/** "NIF/CIF B12345674 · Activa · Sin vincular · Autogestiona: No". */
export function licenceLine(locale: Locale, licence: LicenceRecord): string {
  return t(locale, "licence.line", {
    taxId: licence.client.taxId,
    state: stateText(locale, licence.state),
    linked: linkedText(locale, licence.linked),
    selfManaged: yesNo(locale, licence.client.selfManaged),
  });
}

/** The column "Licencia PYME" of a client: "No", or "Sí (Activa, Vinculada)". */
export function clientLicenceText(locale: Locale, client: ClientRow): string {
  if (!client.licence) return t(locale, "no");
  return t(locale, "clients.licenceYes", {
    state: stateText(locale, client.licence.state),
    linked: linkedText(locale, client.licence.linked),
  });
}

export function clientFacts(locale: Locale, client: ClientRow): Field[] {
  return [
    { label: t(locale, "field.taxId"), value: client.taxId },
    { label: t(locale, "clients.licence"), value: clientLicenceText(locale, client) },
  ];
}

/**
 * The answer a person gets for a failed action: a coded error becomes its
 * translated text; anything else is logged and answered with a generic text
 * (never a stack trace).
 */
export function describeError(err: unknown, locale: Locale, logger: Logger): string {
  if (isServiceError(err)) {
    if (err.code === "ALREADY_DECIDED") {
      const d = err.details as {
        status?: string;
        decidedByName?: string | null;
        decidedBy?: string | null;
        decidedAt?: number | null;
      };
      return t(locale, "activation.alreadyDecided", {
        status: t(locale, d.status === "rejected" ? "activation.status.rejected" : "activation.status.approved"),
        by: d.decidedByName ?? d.decidedBy ?? "?",
        at: d.decidedAt ? formatDateTime(d.decidedAt) : "?",
      });
    }
    const field = err.fields[0];
    return t(locale, field?.message ?? err.messageId, field?.params ?? {});
  }
  logger.error({ err }, "unexpected error while handling a user action");
  return t(locale, "error.unexpected");
}

/** The first message of each invalid field of a form, translated (field name → text). */
export function fieldMessages(err: ServiceError, locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err.fields) out[f.field] ??= t(locale, f.message, f.params ?? {});
  return out;
}

/** The name of the person acting, for "who did it" lines: theirs when known. */
export function knownNames(actor: Pick<Actor, "platform" | "userId" | "userName">): Map<string, string> {
  return new Map(actor.userName ? [[`${actor.platform}:${actor.userId}`, actor.userName]] : []);
}
