import { Router } from "express";
import type { Locale, SlackConfig, SupportConfig } from "../../config.ts";
import type { Deps, Notifier, SupportDesk } from "../../handlers/index.ts";
import type { Logger } from "../../logger.ts";

export interface SlackBotOptions {
  config: SlackConfig;
  support: SupportConfig;
  publicUrl?: string | undefined;
  defaultLocale: Locale;
  logger: Logger;
  clientOptions?: { slackApiUrl?: string } | undefined;
}

export interface SlackBot {
  router: Router;
  notifier: Notifier;
  supportDesk?: SupportDesk;
}

/** The Slack app (placeholder until the Slack app lands). */
export function createSlackBot(_deps: Deps, _options: SlackBotOptions): SlackBot {
  return { router: Router(), notifier: { notifyDecision: async () => {} } };
}
