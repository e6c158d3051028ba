import type { KnownBlock, ModalView } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { ActivationRequest, Platform } from "../../../handlers/index.ts";
import { REASON_MAX } from "../../../handlers/index.ts";
import { formatDateTime, t, tn } from "../../../i18n/index.ts";
import type { FirmRow } from "../../shared/firms.ts";
import { ACTION, INPUT_ACTION, VIEW } from "../ids.ts";
import {
  actions,
  button,
  confirmDialog,
  context,
  header,
  message,
  modal,
  plain,
  plainSection,
  type SlackMessage,
} from "./blocks.ts";
import { packLines } from "./history.ts";

function workspaces(ws: { platform: Platform; externalId: string }[]): string {
  return ws.map((w) => `${w.platform} ${w.externalId}`).join(", ");
}

/** Everything support needs to decide, shown literally (names and the message were typed by people). */
function requestBlocks(locale: Locale, request: ActivationRequest): KnownBlock[] {
  const requester = request.requesterName ? `${request.requesterName} (${request.requesterId})` : request.requesterId;
  return [
    header(t(locale, "slack.support.title")),
    plainSection(
      [
        `${t(locale, "slack.support.firm")}: ${request.firmName} (${t(locale, "slack.support.firmId")} ${request.firmId}; ${workspaces(request.firmWorkspaces)})`,
        `${t(locale, "slack.support.requester")}: ${requester} · ${request.platform === "teams" ? "Teams" : "Slack"}`,
        `${t(locale, "slack.support.date")}: ${formatDateTime(request.createdAt)}`,
      ].join("\n"),
      "request",
    ),
    plainSection(`${t(locale, "slack.support.message")}:\n${request.message}`, "request_message"),
  ];
}

/** The request in the support channel, with Aprobar / Rechazar. */
export function supportRequestMessage(locale: Locale, request: ActivationRequest): SlackMessage {
  const id = String(request.id);
  return message(t(locale, "slack.support.fallback", { id }), [
    ...requestBlocks(locale, request),
    actions(
      [
        button({
          text: t(locale, "slack.support.approve"),
          actionId: ACTION.supportApprove,
          value: id,
          style: "primary",
        }),
        button({ text: t(locale, "slack.support.reject"), actionId: ACTION.supportReject, value: id, style: "danger" }),
      ],
      "decision",
    ),
  ]);
}

/** After a decision: the same message with the outcome (who, when) instead of the buttons. */
export function supportDecidedMessage(locale: Locale, request: ActivationRequest): SlackMessage {
  const by = request.decidedByName ?? request.decidedBy ?? "?";
  const outcome = t(locale, `slack.support.outcome.${request.status === "approved" ? "approved" : "rejected"}`, {
    by,
    at: request.decidedAt ? formatDateTime(request.decidedAt) : "?",
  });
  const blocks = [...requestBlocks(locale, request), plainSection(outcome, "outcome")];
  if (request.reason)
    blocks.push(plainSection(`${t(locale, "slack.support.reasonLabel")}: ${request.reason}`, "reason"));
  return message(t(locale, "slack.support.fallback", { id: String(request.id) }), blocks);
}

/** Round-tripped with the reject form: which request, and the channel where "Rechazar" was clicked. */
export interface RejectMetadata {
  requestId: number;
  channelId: string | undefined;
}

export function rejectModal(locale: Locale, metadata: RejectMetadata): ModalView {
  return modal({
    callbackId: VIEW.rejectReason,
    title: t(locale, "slack.reject.title"),
    submit: t(locale, "slack.support.reject"),
    close: t(locale, "slack.cancel"),
    privateMetadata: JSON.stringify(metadata),
    blocks: [
      {
        type: "input",
        block_id: "reason",
        label: { type: "plain_text", text: t(locale, "slack.reject.label") },
        element: { type: "plain_text_input", action_id: INPUT_ACTION, multiline: true, max_length: REASON_MAX },
      },
    ],
  });
}

/** The decision, told to the requester in a DM with the bot. */
export function decisionMessage(locale: Locale, request: ActivationRequest): SlackMessage {
  const approved = request.status === "approved";
  const text = t(locale, approved ? "slack.decision.approved" : "slack.decision.rejected", { firm: request.firmName });
  const blocks: KnownBlock[] = [plainSection(text)];
  if (!approved && request.reason) {
    blocks.push(plainSection(`${t(locale, "slack.support.reasonLabel")}: ${request.reason}`));
  }
  return message(text, blocks);
}

/** Support revoked the firm's feature: told to the requester of its approved request. */
export function revocationMessage(locale: Locale, selfManagedCleared: number): SlackMessage {
  const text = t(locale, "activation.revokedNotice");
  const blocks: KnownBlock[] = [plainSection(text)];
  if (selfManagedCleared > 0) {
    blocks.push(plainSection(tn(locale, "activation.revokedCleared", selfManagedCleared)));
  }
  return message(text, blocks);
}

/** `/licencias pendientes`: requests waiting for a decision, oldest first. */
export function pendingListMessage(locale: Locale, requests: ActivationRequest[]): SlackMessage {
  const title = t(locale, "slack.pending.title");
  const blocks: KnownBlock[] = [header(title)];
  if (requests.length === 0) blocks.push(plainSection(t(locale, "slack.pending.empty")));
  for (const r of requests.slice(0, 45)) {
    blocks.push(
      plainSection(
        `#${r.id} · ${r.firmName} (${t(locale, "slack.support.firmId")} ${r.firmId}) · ${formatDateTime(r.createdAt)}\n${
          r.requesterName ?? r.requesterId
        }: ${r.message}`,
      ),
    );
  }
  return message(title, blocks);
}

/** `/licencias despachos`: every firm with its state and live licences. */
export function firmListMessage(locale: Locale, firms: FirmRow[]): SlackMessage {
  const title = t(locale, "slack.firms.title");
  const lines = firms.map(
    (f) =>
      `${f.id} · ${f.name} · ${t(locale, `activation.state.${f.activationState}`)} · ${tn(locale, "slack.firms.licences", f.licences)} · ${workspaces(f.workspaces)}`,
  );
  const blocks: KnownBlock[] = [header(title)];
  if (lines.length === 0) blocks.push(plainSection(t(locale, "slack.firms.empty")));
  const chunks = packLines(lines);
  for (const chunk of chunks.slice(0, 45)) blocks.push(plainSection(chunk));
  if (chunks.length > 45) blocks.push(context([plain(t(locale, "slack.firms.more"))]));
  return message(title, blocks);
}

/** `/licencias revocar <id>`: which firm, and the button (with a confirm dialog) that revokes it. */
export function revokePrompt(locale: Locale, firm: FirmRow): SlackMessage {
  const text = t(locale, "slack.revoke.question", { name: firm.name, id: firm.id });
  return message(t(locale, "slack.revoke.title"), [
    plainSection(text),
    actions(
      [
        button({
          text: t(locale, "slack.revoke.button"),
          actionId: ACTION.supportRevoke,
          value: String(firm.id),
          style: "danger",
          confirm: confirmDialog({
            title: t(locale, "slack.revoke.title"),
            text,
            confirm: t(locale, "slack.revoke.button"),
            deny: t(locale, "slack.cancel"),
            style: "danger",
          }),
        }),
      ],
      "revoke",
    ),
  ]);
}
