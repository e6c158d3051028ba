import type { ModalView } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { ActivationState } from "../../../handlers/index.ts";
import { FIRM_NAME_MAX, MESSAGE_MAX } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { activationQuestionText } from "../../shared/new-licence.ts";
import { ACTION, INPUT_ACTION, VIEW } from "../ids.ts";
import { actions, button, message, modal, plainSection, type SlackMessage } from "./blocks.ts";

/** "Nuevo" without the feature: ask whether to request its activation (Sí / No). */
export function activationQuestion(locale: Locale, state: ActivationState): SlackMessage {
  const text = t(locale, activationQuestionText(state));
  return message(text, [
    plainSection(text),
    actions(
      [
        button({ text: t(locale, "yes"), actionId: ACTION.activationYes, value: "yes", style: "primary" }),
        button({ text: t(locale, "no"), actionId: ACTION.activationNo, value: "no" }),
      ],
      "activation_question",
    ),
  ]);
}

/**
 * The form with the firm's name (prefilled with the Slack workspace's name,
 * which the requester may correct) and the message for Soporte Técnico.
 */
export function activationRequestModal(locale: Locale, firmName?: string): ModalView {
  const initial = firmName?.trim().slice(0, FIRM_NAME_MAX);
  return modal({
    callbackId: VIEW.activationRequest,
    title: t(locale, "slack.activation.modalTitle"),
    submit: t(locale, "slack.send"),
    close: t(locale, "slack.cancel"),
    blocks: [
      plainSection(t(locale, "slack.activation.intro")),
      {
        type: "input",
        block_id: "firmName",
        label: { type: "plain_text", text: t(locale, "slack.activation.firmNameLabel") },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          max_length: FIRM_NAME_MAX,
          ...(initial ? { initial_value: initial } : {}),
        },
      },
      {
        type: "input",
        block_id: "message",
        label: { type: "plain_text", text: t(locale, "slack.activation.messageLabel") },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          multiline: true,
          max_length: MESSAGE_MAX,
        },
      },
    ],
  });
}
