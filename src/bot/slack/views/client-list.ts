import type { KnownBlock } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { ClientRow, Page } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { yesNo } from "../../shared/text.ts";
import { ACTION } from "../ids.ts";
import { actions, button, header, message, plain, plainSection, type SlackMessage } from "./blocks.ts";

/** Clients with the columns "Licencia PYME" and "Autogestiona", and a button to their configuration. */
export function clientListMessage(locale: Locale, page: Page<ClientRow>): SlackMessage {
  const title = t(locale, "slack.clients.title");
  const blocks: KnownBlock[] = [header(title)];
  if (page.items.length === 0) blocks.push(plainSection(t(locale, "slack.clients.empty")));
  for (const c of page.items) {
    const licence = c.licence
      ? `${t(locale, "yes")} (${t(locale, `licence.state.${c.licence.state}`)})`
      : t(locale, "no");
    const line = [
      `${t(locale, "slack.taxIdShort")} ${c.taxId}`,
      `${t(locale, "slack.licencePyme")}: ${licence}`,
      `${t(locale, "slack.selfManagedShort")}: ${yesNo(locale, c.selfManaged)}`,
    ].join(" · ");
    blocks.push({
      type: "section",
      block_id: `client_${c.id}`,
      text: plain(`${c.name}\n${line}`),
      accessory: button({ text: t(locale, "slack.button.configure"), actionId: ACTION.clientOpen, value: c.taxId }),
    });
  }
  if (page.next) {
    blocks.push(
      actions(
        [button({ text: t(locale, "slack.button.more"), actionId: ACTION.clientsMore, value: page.next })],
        "clients_more",
      ),
    );
  }
  return message(title, blocks);
}
