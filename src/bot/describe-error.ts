import type { Locale } from "../config.ts";
import { isServiceError } from "../errors.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";

/**
 * The answer a user gets for a failed action: a coded error becomes its
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
        status: t(locale, `activation.status.${d.status ?? "approved"}`),
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
