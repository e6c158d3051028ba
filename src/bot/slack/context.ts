import type { Locale, SupportConfig } from "../../config.ts";
import type { Deps } from "../../handlers/index.ts";
import type { Logger } from "../../logger.ts";
import type { ActorResolver } from "./actor.ts";
import type { SlackClients } from "./clients.ts";
import type { SlackInstallationStore } from "./installation-store.ts";

/** What every listener gets besides Bolt's arguments (see listeners/index.ts). */
export interface SlackContext {
  deps: Deps;
  actors: ActorResolver;
  clients: SlackClients;
  /** Many-workspace mode only. */
  installations?: SlackInstallationStore | undefined;
  support: SupportConfig;
  defaultLocale: Locale;
  logger: Logger;
  /** The pause between queued private messages (a bulk send): chat.postMessage allows about one a second per channel. */
  paceMs: number;
}
