import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../logger.ts";

function toText(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === "string") return p;
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(" ");
}

/**
 * What a visitor's browser can cause: Bolt's OAuth callback logs each bogus
 * /slack/oauth_redirect (no code, a forged or stale state, a cancelled
 * consent, a made-up code with a fresh state) as an error. Those are
 * refusals, not faults, and the installer's failure callback logs each one
 * as a warning (src/bot/slack/index.ts): Bolt's own line is debug, so a
 * bogus request is one line.
 */
const REFUSAL_CODES = new Set([
  "slack_oauth_missing_state",
  "slack_oauth_invalid_state",
  "slack_oauth_missing_code",
  "slack_oauth_installer_authorization_error",
]);

/** Slack's answers to oauth.v2.access for a code the visitor made up or used twice. */
const REFUSED_CODES = new Set(["invalid_code", "code_already_used"]);

function isRefusal(parts: unknown[]): boolean {
  return parts.some((p) => {
    if (!(p instanceof Error)) return false;
    const { code, data } = p as { code?: unknown; data?: { error?: unknown } };
    if (REFUSAL_CODES.has(String(code))) return true;
    return code === "slack_webapi_platform_error" && REFUSED_CODES.has(String(data?.error));
  });
}

/**
 * Bolt's and the Web API client's logger interface over our pino logger, so
 * that SDK output (debug output carries whole payloads) goes through the
 * redacting logger, one line each (an error is its name and message, never
 * its stack). The level is ours: Bolt's setLevel is ignored.
 */
export function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...msg: unknown[]) => {
      if (logger.isLevelEnabled("debug")) logger.debug(toText(msg));
    },
    info: (...msg: unknown[]) => logger.info(toText(msg)),
    warn: (...msg: unknown[]) => logger.warn(toText(msg)),
    error: (...msg: unknown[]) => (isRefusal(msg) ? logger.debug(toText(msg)) : logger.error(toText(msg))),
    setLevel: () => {},
    getLevel: () => {
      if (logger.isLevelEnabled("debug")) return LogLevel.DEBUG;
      if (logger.isLevelEnabled("info")) return LogLevel.INFO;
      if (logger.isLevelEnabled("warn")) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => {},
  };
}
