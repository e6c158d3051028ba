import { WebClient, type WebClientOptions } from "@slack/web-api";
import { TtlCache } from "../cache.ts";
import {
  installationKey,
  keyOfWorkspaceId,
  type SlackInstallationStore,
  type WorkspaceRef,
} from "./installation-store.ts";

/**
 * Web API clients for work outside a request (the support desk, DMs with
 * decisions): one bot token, or the token of each workspace's installation.
 */
export interface SlackClients {
  /** The client of a workspace, by its installation key or reference; undefined when it is not installed. */
  forWorkspace(ref: WorkspaceRef | string): Promise<WebClient | undefined>;
  /** The client of the workspace that holds the support channel. */
  forSupport(): Promise<WebClient | undefined>;
}

export function singleTokenClients(token: string, options: WebClientOptions): SlackClients {
  const client = new WebClient(token, options);
  return { forWorkspace: async () => client, forSupport: async () => client };
}

/**
 * Many-workspace mode keeps the clients of recently used installations only:
 * a vendor serves thousands of workspaces, and a client is cheap to make
 * again (see docs/architecture.md, Performance).
 */
export const CLIENT_CACHE = { ttlMs: 30 * 60_000, maxEntries: 500 };

export function installationClients(
  store: SlackInstallationStore,
  supportWorkspaceId: string | undefined,
  options: WebClientOptions,
): SlackClients {
  const byToken = new TtlCache<WebClient>(CLIENT_CACHE.ttlMs, CLIENT_CACHE.maxEntries);
  const forKey = async (key: string): Promise<WebClient | undefined> => {
    const token = (await store.fetchByKey(key))?.bot?.token;
    if (!token) return undefined;
    let client = byToken.get(token);
    if (!client) {
      client = new WebClient(token, options);
      byToken.set(token, client);
    }
    return client;
  };
  return {
    forWorkspace: async (ref) => await forKey(typeof ref === "string" ? ref : installationKey(ref)),
    forSupport: async () => (supportWorkspaceId ? await forKey(keyOfWorkspaceId(supportWorkspaceId)) : undefined),
  };
}
