import type { Locale } from "../../../config.ts";
import type { ActivationRequest, ActivationState } from "../../../handlers/index.ts";
import { FIRM_NAME_MAX, MESSAGE_MAX } from "../../../handlers/index.ts";
import { formatDateTime, t, tn } from "../../../i18n/index.ts";
import { activationQuestionText } from "../../shared/new-licence.ts";
import {
  type Card,
  type CardElement,
  card,
  execute,
  facts,
  fieldError,
  md,
  notice,
  openDialog,
  submitDialog,
  text,
  title,
} from "./ui.ts";
import { VERB } from "./verbs.ts";

/** "Nuevo" while the feature is not active: Sí opens the request dialog, No answers in place. */
export function activationQuestionCard(locale: Locale, state: ActivationState): Card {
  return card(
    [text(t(locale, activationQuestionText(state)))],
    [openDialog(t(locale, "yes"), VERB.activationForm), execute(t(locale, "no"), VERB.activationNo)],
  );
}

export function activationDeclinedCard(locale: Locale): Card {
  return card([text(t(locale, "teams.activation.declined"), { isSubtle: true })]);
}

export interface ActivationFormInput {
  firmName?: string | undefined;
  message?: string | undefined;
  /** Errors by field (firmName, message); anything else under "general". */
  errors?: { firmName?: string | undefined; message?: string | undefined; general?: string | undefined };
}

/**
 * The activation request dialog: "Nombre del despacho" (a tenant has no name
 * of its own, so the firm would show as its tenant id) and "Mensaje para
 * Soporte Técnico".
 */
export function activationFormCard(locale: Locale, input: ActivationFormInput = {}): Card {
  const errors = input.errors ?? {};
  return card(
    [
      text(t(locale, "teams.activation.formIntro")),
      ...fieldError(errors.general),
      {
        type: "Input.Text",
        id: "firmName",
        label: t(locale, "teams.activation.firmNameLabel"),
        isRequired: true,
        maxLength: FIRM_NAME_MAX,
        errorMessage: t(locale, "activation.firmNameRequired"),
        ...(input.firmName ? { value: input.firmName.slice(0, FIRM_NAME_MAX) } : {}),
      },
      ...fieldError(errors.firmName),
      {
        type: "Input.Text",
        id: "message",
        label: t(locale, "teams.activation.messageLabel"),
        placeholder: t(locale, "teams.activation.messagePlaceholder"),
        isMultiline: true,
        isRequired: true,
        maxLength: MESSAGE_MAX,
        errorMessage: t(locale, "activation.messageRequired"),
        ...(input.message ? { value: input.message } : {}),
      },
      ...fieldError(errors.message),
    ],
    [submitDialog(t(locale, "teams.activation.send"), VERB.activationForm)],
  );
}

function requestFacts(locale: Locale, request: ActivationRequest): CardElement[] {
  const workspaces = request.firmWorkspaces
    .map((w) => `${t(locale, `teams.platform.${w.platform}`)}: ${md(w.externalId)}`)
    .join(", ");
  const requester = `${md(request.requesterName ?? request.requesterId)} (${t(locale, `teams.platform.${request.platform}`)})`;
  return [
    title(t(locale, "teams.support.title")),
    facts([
      [t(locale, "teams.support.firm"), md(request.firmName)],
      [t(locale, "teams.support.workspaces"), workspaces || String(request.firmId)],
      [t(locale, "teams.support.requester"), requester],
      [t(locale, "teams.support.date"), formatDateTime(request.createdAt)],
    ]),
    text(t(locale, "teams.support.message"), { weight: "bolder", spacing: "medium" }),
    text(md(request.message), { spacing: "none" }),
  ];
}

/** The support channel's card: Aprobar / Rechazar while pending, the outcome (no buttons) after. */
export function approvalCard(locale: Locale, request: ActivationRequest): Card {
  if (request.status !== "pending") return outcomeCard(locale, request);
  const data = { requestId: request.id };
  return card(requestFacts(locale, request), [
    execute(t(locale, "teams.support.approve"), VERB.approve, data, "positive"),
    execute(t(locale, "teams.support.reject"), VERB.reject, data, "destructive"),
  ]);
}

/** Rechazar's second step, for the person who clicked: the reason, then confirm. */
export function rejectReasonCard(
  locale: Locale,
  request: ActivationRequest,
  input: { reason?: string; error?: string } = {},
): Card {
  const data = { requestId: request.id };
  return card(
    [
      ...requestFacts(locale, request),
      {
        type: "Input.Text",
        id: "reason",
        label: t(locale, "teams.support.reasonLabel"),
        placeholder: t(locale, "teams.support.reasonPlaceholder"),
        isMultiline: true,
        isRequired: true,
        maxLength: 1000,
        errorMessage: t(locale, "activation.reasonRequired"),
        ...(input.reason ? { value: input.reason } : {}),
      },
      ...fieldError(input.error),
    ],
    [
      {
        ...execute(t(locale, "teams.support.confirmReject"), VERB.confirmReject, data, "destructive"),
        associatedInputs: "auto",
      },
      execute(t(locale, "teams.support.cancel"), VERB.cancelReject, data),
    ],
  );
}

export function outcomeLine(locale: Locale, request: ActivationRequest): string {
  const by = md(request.decidedByName ?? request.decidedBy ?? "?");
  const at = request.decidedAt ? formatDateTime(request.decidedAt) : "?";
  return t(locale, request.status === "approved" ? "teams.support.approvedBy" : "teams.support.rejectedBy", { by, at });
}

/** The decided request, as everyone in the support channel sees it. */
export function outcomeCard(locale: Locale, request: ActivationRequest, note?: string): Card {
  return card([
    ...requestFacts(locale, request),
    notice(outcomeLine(locale, request), request.status === "approved" ? "good" : "attention"),
    ...(request.reason
      ? [text(`${t(locale, "teams.support.reasonLabel")}: ${md(request.reason)}`, { spacing: "none" })]
      : []),
    ...(note ? [text(note, { color: "warning" })] : []),
  ]);
}

/** What the requester is told, proactively, in their personal chat. */
export function decisionNoticeCard(locale: Locale, request: ActivationRequest): Card {
  if (request.status === "approved") {
    return card(
      [notice(t(locale, "teams.activation.approved", { firm: md(request.firmName) }))],
      [openDialog(t(locale, "teams.licenceForm.open"), VERB.licenceForm)],
    );
  }
  return card([
    notice(t(locale, "teams.activation.rejected", { firm: md(request.firmName) }), "attention"),
    ...(request.reason ? [text(`${t(locale, "teams.support.reasonLabel")}: ${md(request.reason)}`)] : []),
    text(t(locale, "teams.activation.askAgain")),
  ]);
}

/** Support revoked the firm's feature: told to the requester of its approved request. */
export function revocationNoticeCard(locale: Locale, selfManagedCleared: number): Card {
  return card([
    notice(t(locale, "activation.revokedNotice"), "attention"),
    ...(selfManagedCleared > 0 ? [text(tn(locale, "activation.revokedCleared", selfManagedCleared))] : []),
  ]);
}
