import { createRequire } from "node:module";
import { format as formatText } from "node:util";
import { type DestinationStream, type Logger as PinoLogger, pino } from "pino";
import type { PinoPretty } from "pino-pretty";

/** pino-pretty and its dependencies are loaded only for the pretty format: production writes JSON (docs/architecture.md, Performance). */
const loadPretty = (): typeof PinoPretty =>
  (createRequire(import.meta.url)("pino-pretty") as { build: typeof PinoPretty }).build;

export type Logger = PinoLogger;

/** `json`: one JSON object a line (for machines); `pretty`: for a person at a terminal. */
export type LogFormat = "json" | "pretty";

/**
 * Where a token may start or end. `\b` is not enough: SDK debug output logs
 * request bodies as JSON, where a line break is the two characters `\n` (so a
 * tax id on its own line follows an `n`), and form bodies keep `%0A` runs
 * that did not decode. An escape (`\n`, `\t`, `\\n`, `\u00e9`, `%0A`) counts
 * as a boundary, whatever letter or digit it ends with.
 */
const START = String.raw`(?:(?<![0-9A-Za-z])|(?<=\\[A-Za-z])|(?<=\\u[0-9A-Fa-f]{4})|(?<=%[0-9A-Fa-f]{2}))`;
const END = "(?![0-9A-Za-z])";

function bounded(body: string, flags = "g"): RegExp {
  return new RegExp(`${START}(?:${body})${END}`, flags);
}

/**
 * Tax ids (see src/domain/tax-id.ts) in any case, with the separators people
 * type ("b-1234567 4", "12.345.678-Z") and an optional ES prefix. Whether the
 * check character is right does not matter: a mistyped tax id is still one.
 */
const TAX_ID = bounded(
  String.raw`(?:ES)?(?:\d{2}\.?\d{3}\.?\d{3}[-.+ ]?[A-Za-z]|[XYZxyz][-.+ ]?\d{7}[-.+ ]?[A-Za-z]|[A-HJ-NP-SUVWa-hj-np-suvw][-.+ ]?\d{7}[-.+ ]?[0-9A-Ja-j])`,
  "gi",
);
/** Licence numbers (see src/domain/licence-number.ts): four groups of five, any case, with or without separators. */
const LICENCE_NUMBER = bounded("[0-9A-Za-z]{5}(?:[-+ ]?[0-9A-Za-z]{5}){3}");
/**
 * E-mails. The local part may follow an escape (kept); no "/" on either side,
 * so stack traces naming files under node_modules/@scope/… stay readable.
 * A match starts only where a local part can start, and parts are bounded
 * as in RFC 5321: otherwise every position of a long line without an "@"
 * would rescan the rest of it (quadratic time, on a stranger's input).
 */
const EMAIL =
  /(?:(\\+(?:u[0-9A-Fa-f]{4}|[A-Za-z]))|(?<![^\s@"'<>()[\],;:/\\+=&?]))[^\s@"'<>()[\],;:/\\]{1,64}@[^\s@"'<>()[\],;:/\\]{1,253}\.[A-Za-z][A-Za-z0-9]{1,62}/g;
/**
 * Teams conversation ids (`19:…@thread.tacv2`, `…@thread.skype`, group chats)
 * look like e-mails but name a channel or chat, not a person: an operator
 * needs to read them. They are set aside before redacting and put back after.
 */
const TEAMS_CONVERSATION = new RegExp(
  `${START}19:[A-Za-z0-9_.=-]+@(?:thread\\.(?:tacv2|skype|v2)|unq\\.gbl\\.spaces)${END}`,
  "gi",
);
/** Marks a set-aside Teams id: private-use characters, never part of what is redacted. */
const KEPT = /\uE000(\d+)\uE001/g;
/** After "Bearer"/"Basic" (a space, or "+" in a form body), whatever looks like a token. */
const AUTH_SCHEME = new RegExp(`${START}(Bearer|Basic)((?:\\s|\\+)+)([A-Za-z0-9._~+/=-]+)`, "gi");
const SLACK_TOKEN = new RegExp(`${START}x(?:ox[abposre]|app)-[A-Za-z0-9-]+`, "g");
const JWT = new RegExp(`${START}eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*`, "g");
/**
 * Long random secrets (installation tokens are 43 base64url characters): 32
 * or more with upper case, lower case and digits. Hex hashes (one case) and
 * ordinary ids are left alone.
 */
const RANDOM_SECRET = bounded("[A-Za-z0-9_-]{32,}");
/** An export link's secret is in its path (src/api/export.ts): whatever follows /export/ goes, whatever it looks like. */
const EXPORT_LINK = /\/export\/[A-Za-z0-9_-]+/g;

/** Keys whose values are secrets or personal data whatever they look like. */
const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|token|access_token|refresh_token|bot_token|botToken|password|secret|client_secret|signing_secret|installationToken|taxId|tax_id|nif|email|correo|licenceNumber|licence_number|number|phone|telefono)$/i;

/**
 * Percent-encoded runs decoded, so that personal data inside URLs (a mailto:
 * draft carries a licence number and an e-mail) and form bodies is recognised too.
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

/**
 * A token has digits, symbols or length; a word does not. So "Bearer
 * abc.def" is redacted and a message saying "bad bearer token." is not.
 */
function looksLikeToken(candidate: string): boolean {
  const core = candidate.replace(/[.,;:]+$/, "");
  return /[0-9._~+/=-]/.test(core) || core.length >= 16;
}

/**
 * What every pattern below needs at least one of: a digit (tax ids, licence
 * numbers, long secrets, Teams ids), an "@" (e-mails), a "%" (encoded text),
 * or the start of a token or an export link. Most of a log line's strings
 * ("client api request", "POST", "VALID") have none and are kept as they are
 * without running the patterns.
 */
const MAYBE_SECRET = /[\d@%]|xox|xapp|eyJ|bearer|basic|\/export\//i;

/** Removes tax ids, e-mails, licence numbers and tokens from a string (raw, JSON-escaped or URL-encoded). */
export function redactText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  const kept: string[] = [];
  return decodePercent(text)
    .replace(TEAMS_CONVERSATION, (id) => `\uE000${kept.push(id) - 1}\uE001`)
    .replace(AUTH_SCHEME, (match, scheme: string, gap: string, token: string) =>
      looksLikeToken(token) ? `${scheme}${gap}[REDACTED]` : match,
    )
    .replace(EXPORT_LINK, "/export/[REDACTED_TOKEN]")
    .replace(SLACK_TOKEN, "[REDACTED_TOKEN]")
    .replace(JWT, "[REDACTED_TOKEN]")
    .replace(EMAIL, (_match, before: string | undefined) => `${before ?? ""}[REDACTED_EMAIL]`)
    .replace(RANDOM_SECRET, (m) => (/[a-z]/.test(m) && /[A-Z]/.test(m) && /\d/.test(m) ? "[REDACTED_TOKEN]" : m))
    .replace(LICENCE_NUMBER, (m) => (/\d/.test(m) && /[A-Za-z]/.test(m) ? "[REDACTED_LICENCE]" : m))
    .replace(TAX_ID, "[REDACTED_TAX_ID]")
    .replace(KEPT, (m, i: string) => kept[Number(i)] ?? m);
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

/** The format to write: the one configured, else pretty for a person at a terminal and JSON otherwise. */
export function resolveLogFormat(format: LogFormat | undefined, isTerminal: boolean): LogFormat {
  return format ?? (isTerminal ? "pretty" : "json");
}

export interface LoggerOptions {
  level?: string;
  /** Unset: pretty when standard output is a terminal, else JSON. */
  format?: LogFormat | undefined;
  /** Where lines go (standard output by default). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = resolveLogFormat(options.format, !options.destination && process.stdout.isTTY === true);
  // A synchronous stream, not a worker transport: lines reach the terminal in order, even on a crash.
  // It formats what pino wrote, so the lines were redacted already.
  const destination =
    format === "pretty"
      ? loadPretty()({
          sync: true,
          colorize: !options.destination && process.stdout.isTTY === true,
          translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
          // Lines carry no pid of their own (base: undefined): the start line's pid shows after its level.
          ignore: "hostname",
          ...(options.destination ? { destination: options.destination } : {}),
        })
      : options.destination;
  return pino(
    {
      level: options.level ?? "info",
      base: undefined,
      hooks: {
        // Every argument (the object, the message and its format arguments): the object and the
        // messages may carry payloads (SDK debug output). Child bindings are the code's own words.
        logMethod(args, method) {
          const cleaned = args.map((a) => redactValue(a)) as Parameters<typeof method>;
          method.apply(this, cleaned);
        },
      },
    },
    destination,
  );
}

/**
 * Sends what the SDKs print with console.* (botbuilder's token checks do) to
 * the logger: one redacted line each, an error as its name and message
 * without its stack, errors and warnings as warnings (a stranger's bad
 * request causes them). Called once by the composition root (src/main.ts).
 */
export function routeConsole(logger: Logger, target: Console = console): void {
  const line = (args: unknown[]) =>
    formatText(...args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : a))).replace(/\s*\n\s*/g, " ");
  target.log = (...args: unknown[]) => logger.info(line(args));
  target.info = target.log;
  target.debug = (...args: unknown[]) => logger.debug(line(args));
  target.trace = target.debug;
  target.warn = (...args: unknown[]) => logger.warn(line(args));
  target.error = target.warn;
}
