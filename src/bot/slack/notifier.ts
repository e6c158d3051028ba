import type { Locale } from "../../config.ts";
import type { ActivationRequest, Notifier } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import type { CardScreen } from "../screen.ts";
import { decisionScreen, revocationScreen } from "../screens/activation.ts";
import type { SlackClients } from "./clients.ts";
import { keyOfWorkspaceId } from "./installation-store.ts";
import { renderMessage } from "./render/index.ts";

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
  /** A DM from the bot to the requester, in the requester's language. */
  async function tellRequester(request: ActivationRequest, screen: (locale: Locale) => CardScreen): Promise<void> {
    if (request.platform !== "slack") return;
    const key = installationOf(request);
    const client = key ? await options.clients.forWorkspace(key) : undefined;
    if (!client) throw new Error("no Slack installation to reach the requester");
    const im = await client.conversations.open({ users: request.requesterId });
    const channel = im.channel?.id;
    if (!channel) throw new Error("conversations.open returned no channel");
    const locale = pickLocale(request.requesterLocale, options.defaultLocale);
    await client.chat.postMessage({ channel, ...renderMessage(locale, screen(locale)) });
  }
  return {
    notifyDecision: (request) => tellRequester(request, (locale) => decisionScreen(locale, request)),
    notifyRevocation: (request, cleared) => tellRequester(request, (locale) => revocationScreen(locale, cleared)),
  };
}
