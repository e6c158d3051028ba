import type { Locale } from "../../config.ts";
import type { ActivationRequest, Notifier } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import type { SlackClients } from "./clients.ts";
import { keyOfWorkspaceId } from "./installation-store.ts";
import { decisionMessage } from "./views/support.ts";

/** The installation through which the requester is reached (see surface.ts requesterRef). */
function installationOf(request: ActivationRequest): string | undefined {
  if (request.requesterRef) {
    try {
      const ref = JSON.parse(request.requesterRef) as { key?: unknown };
      if (typeof ref.key === "string") return ref.key;
    } catch {
      // an older or foreign reference: fall back to the firm's workspace
    }
  }
  const ws = request.firmWorkspaces.find((w) => w.platform === "slack");
  return ws ? keyOfWorkspaceId(ws.externalId) : undefined;
}

/** Tells a Slack requester about the decision in a DM with the bot, in the requester's language. */
export function createSlackNotifier(options: { clients: SlackClients; defaultLocale: Locale }): Notifier {
  return {
    async notifyDecision(request: ActivationRequest) {
      if (request.platform !== "slack") return;
      const key = installationOf(request);
      const client = key ? options.clients.forWorkspace(key) : undefined;
      if (!client) throw new Error("no Slack installation to reach the requester");
      const im = await client.conversations.open({ users: request.requesterId });
      const channel = im.channel?.id;
      if (!channel) throw new Error("conversations.open returned no channel");
      const locale = pickLocale(request.requesterLocale, options.defaultLocale);
      await client.chat.postMessage({ channel, ...decisionMessage(locale, request) });
    },
  };
}
