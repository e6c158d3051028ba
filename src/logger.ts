import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";
import { LICENCE_NUMBER_PATTERN } from "./domain/licence-number.ts";
import { TAX_ID_PATTERN } from "./domain/tax-id.ts";

export type Logger = PinoLogger;

// No "/" on either side: stack traces name files under node_modules/@scope/….
const EMAIL_PATTERN = /[^\s@"'<>()[\],;:/]+@[^\s@"'<>()[\],;:/]+\.[A-Za-z]{2,}/g;
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const SLACK_TOKEN_PATTERN = /\bxox[abposr]-[A-Za-z0-9-]+/g;
/** Keys whose values are secrets or personal data whatever they look like. */
const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|token|access_token|bot_token|botToken|password|secret|client_secret|signing_secret|installationToken|taxId|tax_id|nif|email|correo|licenceNumber|licence_number|number|phone|telefono)$/i;

/**
 * Percent-encoded runs decoded, so that personal data inside URLs (a mailto:
 * draft carries a licence number and an e-mail) is recognised too.
 */
function decodePercent(text: string): string {
  if (!text.includes("%")) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Removes tax ids, e-mails, licence numbers and tokens from a string. */
export function redactText(text: string): string {
  return decodePercent(text)
    .replace(BEARER_PATTERN, "$1 [REDACTED]")
    .replace(SLACK_TOKEN_PATTERN, "[REDACTED_TOKEN]")
    .replace(EMAIL_PATTERN, "[REDACTED_EMAIL]")
    .replace(LICENCE_NUMBER_PATTERN, (m) => (/\d/.test(m) && /[A-Za-z]/.test(m) ? "[REDACTED_LICENCE]" : m))
    .replace(TAX_ID_PATTERN, "[REDACTED_TAX_ID]");
}

/** Deep copy of a log payload with personal data and secrets removed. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[…]";
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEYS.test(k) && v !== null && v !== undefined ? "[REDACTED]" : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: undefined,
      formatters: {
        log: (obj) => redactValue(obj) as Record<string, unknown>,
      },
      hooks: {
        // Messages and their format arguments may carry payloads (SDK debug output).
        logMethod(args, method) {
          const cleaned = args.map((a) => redactValue(a)) as Parameters<typeof method>;
          method.apply(this, cleaned);
        },
      },
    },
    options.destination,
  );
}
