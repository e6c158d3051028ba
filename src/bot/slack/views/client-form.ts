import type { ModalView, PlainTextOption } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { ClientRow } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { INPUT_ACTION, VIEW } from "../ids.ts";
import { LIMITS, modal, plain, plainSection } from "./blocks.ts";
import { licenceSummary } from "./licence-list.ts";

/** Round-tripped through Slack with the client form (Slack stores it with the view, the user cannot change it). */
export interface ClientFormMetadata {
  taxId: string;
}

/** The client's configuration with the tick box "Este cliente gestiona sus propias notificaciones". */
export function clientFormModal(locale: Locale, client: ClientRow): ModalView {
  const option: PlainTextOption = {
    text: plain(t(locale, "slack.client.selfManaged"), LIMITS.optionText),
    value: "self_managed",
  };
  const metadata: ClientFormMetadata = { taxId: client.taxId };
  return modal({
    callbackId: VIEW.clientForm,
    title: t(locale, "slack.client.title"),
    submit: t(locale, "slack.save"),
    close: t(locale, "slack.cancel"),
    privateMetadata: JSON.stringify(metadata),
    blocks: [
      plainSection(`${client.name}\n${t(locale, "slack.taxIdShort")} ${client.taxId}`),
      plainSection(
        client.licence
          ? licenceSummary(locale, { state: client.licence.state, linked: client.licence.linked })
          : t(locale, "slack.client.noLicence"),
      ),
      {
        type: "input",
        block_id: "selfManaged",
        optional: true,
        label: plain(t(locale, "slack.client.notifications"), LIMITS.fieldText),
        element: {
          type: "checkboxes",
          action_id: INPUT_ACTION,
          options: [option],
          ...(client.selfManaged ? { initial_options: [option] } : {}),
        },
      },
    ],
  });
}
