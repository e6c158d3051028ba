import type { InputBlock, ModalView } from "@slack/types";
import type { Locale } from "../../../config.ts";
import { formatLicenceNumber } from "../../../domain/licence-number.ts";
import { CLIENT_FIELD_MAX, type LicenceRecord } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { ACTION, INPUT_ACTION, VIEW } from "../ids.ts";
import { actions, button, header, modal, mrkdwnSection, plainSection } from "./blocks.ts";

/** The block ids of the licence form: the use case's field names, so its field errors map one to one. */
export const LICENCE_FIELDS = ["taxId", "name", "contactPerson", "email", "phone", "notes"] as const;
export type LicenceField = (typeof LICENCE_FIELDS)[number];

const LABELS: Record<LicenceField, string> = {
  taxId: "slack.form.taxId",
  name: "slack.form.name",
  contactPerson: "slack.form.contactPerson",
  email: "slack.form.email",
  phone: "slack.form.phone",
  notes: "slack.form.notes",
};

function input(locale: Locale, field: LicenceField): InputBlock {
  const required = field === "taxId" || field === "name";
  return {
    type: "input",
    block_id: field,
    optional: !required,
    label: { type: "plain_text", text: t(locale, LABELS[field]) },
    element: {
      type: "plain_text_input",
      action_id: INPUT_ACTION,
      max_length: CLIENT_FIELD_MAX[field],
      ...(field === "notes" ? { multiline: true } : {}),
    },
  };
}

/** "Mantenimiento de Licencias": the client's data ("Datos de la Licencia"). */
export function licenceFormModal(locale: Locale): ModalView {
  return modal({
    callbackId: VIEW.licenceForm,
    title: t(locale, "slack.form.title"),
    submit: t(locale, "slack.save"),
    close: t(locale, "slack.cancel"),
    blocks: [
      header(t(locale, "slack.form.heading")),
      mrkdwnSection(`*${t(locale, "slack.form.section")}*`),
      ...LICENCE_FIELDS.map((f) => input(locale, f)),
    ],
  });
}

/** After saving: the licence and the next steps as buttons. */
export function licenceCreatedModal(locale: Locale, licence: LicenceRecord): ModalView {
  const id = String(licence.id);
  return modal({
    title: t(locale, "slack.created.title"),
    close: t(locale, "slack.close"),
    blocks: [
      plainSection(t(locale, "slack.created.text", { name: licence.client.name, taxId: licence.client.taxId })),
      mrkdwnSection(`*${t(locale, "slack.details.number")}*\n\`${formatLicenceNumber(licence.number)}\``),
      plainSection(t(locale, "slack.created.next")),
      actions(
        [
          button({ text: t(locale, "slack.button.selfManaged"), actionId: ACTION.licenceSelfManaged, value: id }),
          button({ text: t(locale, "slack.button.send"), actionId: ACTION.licenceSend, value: id, style: "primary" }),
        ],
        "next_steps",
      ),
    ],
  });
}
