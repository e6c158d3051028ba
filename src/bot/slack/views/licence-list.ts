import type { Button, KnownBlock } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { LicenceRecord, Page } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import type { LicenceChangeKind } from "../../shared/licence-change.ts";
import { yesNo } from "../../shared/text.ts";
import { ACTION } from "../ids.ts";
import {
  actions,
  button,
  confirmDialog,
  context,
  header,
  message,
  plain,
  plainSection,
  type SlackMessage,
} from "./blocks.ts";

/** "Activa · Sin vincular". */
export function licenceSummary(locale: Locale, licence: { state: "active" | "deactivated"; linked: boolean }): string {
  return `${t(locale, "slack.licencePyme")}: ${t(locale, `licence.state.${licence.state}`)} · ${t(
    locale,
    licence.linked ? "licence.linked" : "licence.notLinkedShort",
  )}`;
}

/** The button of each licence change (the destructive ones behind Slack's confirm dialog). */
const CHANGE_ACTION: Record<LicenceChangeKind, string> = {
  deactivate: ACTION.licenceDeactivate,
  reactivate: ACTION.licenceReactivate,
  unlink: ACTION.licenceUnlink,
  delete: ACTION.licenceDelete,
};

export function changeButton(
  locale: Locale,
  kind: LicenceChangeKind,
  licence: LicenceRecord,
  withConfirm = true,
): Button {
  const name = licence.client.name;
  return button({
    text: t(locale, `slack.button.${kind}`),
    actionId: CHANGE_ACTION[kind],
    value: String(licence.id),
    ...(kind === "delete" ? { style: "danger" as const } : kind === "reactivate" ? { style: "primary" as const } : {}),
    ...(withConfirm && kind !== "reactivate"
      ? {
          confirm: confirmDialog({
            title: t(locale, `slack.confirm.${kind}.title`),
            text: t(locale, `slack.confirm.${kind}.text`, { name }),
            confirm: t(locale, `slack.button.${kind}`),
            deny: t(locale, "slack.cancel"),
            ...(kind === "delete" ? { style: "danger" as const } : {}),
          }),
        }
      : {}),
  });
}

/** Per licence: send details, deactivate or reactivate, unlink (when linked), delete. */
export function licenceButtons(locale: Locale, licence: LicenceRecord): Button[] {
  const buttons = [
    button({ text: t(locale, "slack.button.send"), actionId: ACTION.licenceSend, value: String(licence.id) }),
  ];
  buttons.push(changeButton(locale, licence.state === "active" ? "deactivate" : "reactivate", licence));
  if (licence.linked) buttons.push(changeButton(locale, "unlink", licence));
  buttons.push(changeButton(locale, "delete", licence));
  return buttons;
}

/** One licence as two blocks: its text (shown literally) and its buttons. */
export function licenceRow(locale: Locale, licence: LicenceRecord): KnownBlock[] {
  const c = licence.client;
  const line = [
    `${t(locale, "slack.taxIdShort")} ${c.taxId}`,
    licenceSummary(locale, licence),
    `${t(locale, "slack.selfManagedShort")}: ${yesNo(locale, c.selfManaged)}`,
  ].join(" · ");
  return [
    plainSection(`${c.name}\n${line}`, `lic_${licence.id}`),
    actions(licenceButtons(locale, licence), `lic_${licence.id}_a`),
  ];
}

/** "Licencias PYMES generadas": one page, a "Nuevo" button, and "Más" when there is a next page. */
export function licenceListMessage(locale: Locale, page: Page<LicenceRecord> & { total: number }): SlackMessage {
  const title = t(locale, "slack.list.title");
  const blocks: KnownBlock[] = [
    header(title),
    context([plain(t(locale, "slack.list.count", { count: page.total }))]),
    actions(
      [button({ text: t(locale, "slack.button.new"), actionId: ACTION.licencesNew, value: "new", style: "primary" })],
      "list_new",
    ),
  ];
  if (page.items.length === 0) blocks.push(plainSection(t(locale, "slack.list.empty")));
  for (const licence of page.items) blocks.push(...licenceRow(locale, licence));
  if (page.next) {
    blocks.push(
      actions(
        [button({ text: t(locale, "slack.button.more"), actionId: ACTION.licencesMore, value: page.next })],
        "list_more",
      ),
    );
  }
  return message(title, blocks);
}
