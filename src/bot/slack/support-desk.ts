import type { Locale } from "../../config.ts";
import type { ActivationRequest, SupportDesk } from "../../handlers/index.ts";
import type { Logger } from "../../logger.ts";
import { requestScreen } from "../screens/activation.ts";
import type { SlackClients } from "./clients.ts";
import { renderMessage } from "./render/index.ts";

/** What the desk keeps to find its message again. */
interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * The support channel in Slack: each request is a message (the request
 * screen) with Aprobar / Rechazar; after the decision it is updated in place
 * with the outcome.
 */
export function createSlackSupportDesk(options: {
  clients: SlackClients;
  channelId: string;
  locale: Locale;
  logger: Logger;
}): SupportDesk {
  return {
    async postRequest(request: ActivationRequest) {
      const client = await options.clients.forSupport();
      if (!client) {
        options.logger.warn(
          { requestId: request.id },
          "the support workspace has not installed the Slack app yet: the request will be posted later",
        );
        return undefined;
      }
      const res = await client.chat.postMessage({
        channel: options.channelId,
        ...renderMessage(options.locale, requestScreen(options.locale, request)),
      });
      if (!res.ts) return undefined;
      const ref: MessageRef = { channel: res.channel ?? options.channelId, ts: res.ts };
      return JSON.stringify(ref);
    },
    async showDecision(ref: string, request: ActivationRequest) {
      const client = await options.clients.forSupport();
      if (!client) throw new Error("the support workspace's Slack installation is missing");
      const { channel, ts } = JSON.parse(ref) as MessageRef;
      await client.chat.update({
        channel,
        ts,
        ...renderMessage(options.locale, requestScreen(options.locale, request)),
      });
    },
  };
}
