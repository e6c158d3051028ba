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
 * Bolt's and the Web API client's logger interface over our pino logger, so
 * that SDK output (debug output carries whole payloads) goes through the
 * redacting logger. The level is ours: Bolt's setLevel is ignored.
 */
export function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...msg: unknown[]) => {
      if (logger.isLevelEnabled("debug")) logger.debug(toText(msg));
    },
    info: (...msg: unknown[]) => logger.info(toText(msg)),
    warn: (...msg: unknown[]) => logger.warn(toText(msg)),
    error: (...msg: unknown[]) => logger.error(toText(msg)),
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
