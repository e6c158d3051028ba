/** The activation of the Solución para PYMES, as the advisor sees it, and support's approval message. */
import type { Locale } from "../../config.ts";
import type { ActivationRequest, ActivationState, Platform } from "../../handlers/index.ts";
import { formatDateTime, t, tn } from "../../i18n/index.ts";
import { type CardScreen, type Field, openForm, run } from "../screen.ts";

/** "Nuevo" while the feature is not active: Sí opens the request form, No answers at once. */
export function activationQuestionScreen(locale: Locale, state: ActivationState): CardScreen {
  const again = state === "rejected" || state === "revoked";
  return {
    kind: "card",
    blocks: [{ type: "text", text: t(locale, again ? "activation.askAgain" : "activation.ask") }],
    actions: [
      openForm(t(locale, "yes"), "activation", {}, { style: "primary" }),
      run(t(locale, "no"), "declineActivation"),
    ],
  };
}

const platformName = (locale: Locale, p: Platform) => t(locale, p === "slack" ? "platform.slack" : "platform.teams");

/** Everything support needs to decide (names and the message were typed by people: screens are literal). */
function requestFacts(locale: Locale, request: ActivationRequest): Field[] {
  const workspaces = request.firmWorkspaces
    .map((w) => `${platformName(locale, w.platform)} ${w.externalId}`)
    .join(", ");
  const requester = request.requesterName ? `${request.requesterName} (${request.requesterId})` : request.requesterId;
  return [
    {
      label: t(locale, "support.firm"),
      value: `${request.firmName} (${t(locale, "support.firmId", { id: request.firmId })})`,
    },
    { label: t(locale, "support.workspaces"), value: workspaces || String(request.firmId) },
    { label: t(locale, "support.requester"), value: `${requester} · ${platformName(locale, request.platform)}` },
    { label: t(locale, "support.date"), value: formatDateTime(request.createdAt) },
  ];
}

function outcomeText(locale: Locale, request: ActivationRequest): string {
  const params = {
    by: request.decidedByName ?? request.decidedBy ?? "?",
    at: request.decidedAt ? formatDateTime(request.decidedAt) : "?",
  };
  return t(locale, request.status === "approved" ? "support.approvedBy" : "support.rejectedBy", params);
}

/**
 * The request in the support channel: Aprobar / Rechazar while pending; once
 * decided, the outcome (who, when, the reason) instead of the buttons.
 * `note` explains why a click changed nothing (decided meanwhile).
 */
export function requestScreen(locale: Locale, request: ActivationRequest, note?: string): CardScreen {
  const pending = request.status === "pending";
  const blocks: CardScreen["blocks"] = [
    { type: "fields", fields: requestFacts(locale, request) },
    { type: "heading", text: t(locale, "support.message") },
    { type: "text", text: request.message },
  ];
  if (!pending) {
    blocks.push({
      type: "text",
      text: outcomeText(locale, request),
      strong: true,
      tone: request.status === "approved" ? "good" : "attention",
    });
    if (request.reason)
      blocks.push({ type: "fields", fields: [{ label: t(locale, "support.reason"), value: request.reason }] });
  }
  if (note) blocks.push({ type: "text", text: note, tone: "warning" });
  return {
    kind: "card",
    title: t(locale, "support.title", { id: request.id }),
    blocks,
    actions: pending
      ? [
          run(t(locale, "button.approve"), "approve", { requestId: request.id }, { style: "primary" }),
          openForm(t(locale, "button.reject"), "reject", { requestId: request.id }, { style: "danger" }),
        ]
      : [],
  };
}

/** The decision, told to the requester in their private chat with the bot. */
export function decisionScreen(locale: Locale, request: ActivationRequest): CardScreen {
  if (request.status === "approved") {
    return {
      kind: "card",
      notes: [{ text: t(locale, "activation.approved", { firm: request.firmName }), tone: "good" }],
      blocks: [],
      actions: [openForm(t(locale, "button.newLicence"), "licence")],
    };
  }
  return {
    kind: "card",
    notes: [{ text: t(locale, "activation.rejected", { firm: request.firmName }), tone: "attention" }],
    blocks: [
      ...(request.reason
        ? [{ type: "fields" as const, fields: [{ label: t(locale, "support.reason"), value: request.reason }] }]
        : []),
      { type: "text", text: t(locale, "activation.requestAgain") },
    ],
  };
}

/** Support revoked the firm's feature: told to the requester of its approved request. */
export function revocationScreen(locale: Locale, selfManagedCleared: number): CardScreen {
  return {
    kind: "card",
    notes: [{ text: t(locale, "activation.revokedNotice"), tone: "attention" }],
    blocks:
      selfManagedCleared > 0
        ? [{ type: "text", text: tn(locale, "activation.revokedCleared", selfManagedCleared) }]
        : [],
  };
}
