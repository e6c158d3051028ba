import type { KnownBlock } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { NotificationRow, Page } from "../../../handlers/index.ts";
import { formatDate, t } from "../../../i18n/index.ts";
import { yesNo } from "../../shared/text.ts";
import { ACTION } from "../ids.ts";
import { actions, button, header, message, plainSection, type SlackMessage } from "./blocks.ts";

/** What the "Más" button of the notifications carries. */
export interface NotificationsCursor {
  after: string;
  taxId?: string | undefined;
}

/** Notifications, newest first, with the column "Autogestionada". */
export function notificationListMessage(
  locale: Locale,
  page: Page<NotificationRow> & { clientName?: string },
  taxId?: string,
): SlackMessage {
  const title = page.clientName
    ? t(locale, "slack.notifications.titleFor", { name: page.clientName })
    : t(locale, "slack.notifications.title");
  const blocks: KnownBlock[] = [header(title)];
  if (page.items.length === 0) blocks.push(plainSection(t(locale, "slack.notifications.empty")));
  for (const n of page.items) {
    const lines = [
      `${formatDate(n.fechaPuestaDisposicion)} · ${n.organismo} · ${n.clientName} (${n.clientTaxId})`,
      n.asunto,
      [
        `${t(locale, "slack.notifications.state")}: ${n.estado}`,
        n.fechaMaxLectura
          ? `${t(locale, "slack.notifications.deadline")}: ${formatDate(n.fechaMaxLectura)}`
          : undefined,
        `${t(locale, "slack.notifications.selfManaged")}: ${yesNo(locale, n.selfManaged)}`,
      ]
        .filter(Boolean)
        .join(" · "),
    ];
    blocks.push(plainSection(lines.join("\n"), `notif_${n.id}`));
  }
  if (page.next) {
    const cursor: NotificationsCursor = { after: page.next, ...(taxId ? { taxId } : {}) };
    blocks.push(
      actions(
        [
          button({
            text: t(locale, "slack.button.more"),
            actionId: ACTION.notificationsMore,
            value: JSON.stringify(cursor),
          }),
        ],
        "notifications_more",
      ),
    );
  }
  return message(title, blocks);
}
