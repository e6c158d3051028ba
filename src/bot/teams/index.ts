import type { RequestHandler } from "express";
import type { Locale, SupportConfig, TeamsConfig } from "../../config.ts";
import type { Deps, Notifier, SupportDesk } from "../../handlers/index.ts";
import type { Logger } from "../../logger.ts";

export interface TeamsBotOptions {
  config: TeamsConfig;
  /** Local emulator mode: no token verification, loopback only, no proxies. */
  emulator: boolean;
  support: SupportConfig;
  defaultLocale: Locale;
  logger: Logger;
}

export interface TeamsBot {
  handle: RequestHandler;
  notifier: Notifier;
  supportDesk?: SupportDesk;
}

/** The Teams app (placeholder until the Teams app lands). */
export function createTeamsBot(_deps: Deps, _options: TeamsBotOptions): TeamsBot {
  return {
    handle: (_req, res) => {
      res.status(501).end();
    },
    notifier: { notifyDecision: async () => {} },
  };
}
