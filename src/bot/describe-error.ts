import type { Locale } from "../config.ts";
import { isServiceError, type ServiceError } from "../errors.ts";
import { formatDateTime, t } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";

/**
 * The answer a user gets for a failed action: a coded error becomes its
 * translated text; anything else is logged and answered with a generic text
 * (never a stack trace). `escapeTyped` is applied to what people typed (a name)
 * before it goes into a text that is rendered as markdown.
 */
export function describeError(
  err: unknown,
  locale: Locale,
  logger: Logger,
  escapeTyped: (typed: string) => string = (typed) => typed,
): string {
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
        by: escapeTyped(d.decidedByName ?? d.decidedBy ?? "?"),
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
