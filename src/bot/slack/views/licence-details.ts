import type { Locale } from "../../../config.ts";
import type { LicenceDetails } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import {
  context,
  escapeMrkdwn,
  header,
  message,
  mrkdwnSection,
  plain,
  plainSection,
  type SlackMessage,
} from "./blocks.ts";

/** The mailto URL as a mrkdwn link target: entities escaped, and markup characters percent-encoded (same meaning for the mail client). */
function linkTarget(url: string): string {
  return escapeMrkdwn(url).replace(
    /[*_~`|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/**
 * "Enviar datos de licencia", posted in the advisor's DM with the bot: the
 * number, the instructions, the whole e-mail text to copy, and a link that
 * opens an e-mail draft (a mrkdwn link: Slack buttons may refuse mailto:).
 */
export function licenceDetailsMessage(locale: Locale, details: LicenceDetails): SlackMessage {
  const client = details.licence.client;
  return message(t(locale, "slack.details.fallback"), [
    header(t(locale, "slack.details.title")),
    plainSection(`${client.name}\n${t(locale, "slack.taxIdShort")} ${client.taxId}`),
    mrkdwnSection(`*${t(locale, "slack.details.number")}*\n\`${details.number}\``),
    mrkdwnSection(`*${t(locale, "slack.details.instructions")}*`),
    plainSection(details.instructions),
    mrkdwnSection(`<${linkTarget(details.mailto)}|${t(locale, "slack.details.mailto")}>`),
    mrkdwnSection(`*${t(locale, "slack.details.copy")}*`),
    plainSection(`${details.subject}\n\n${details.body}`),
    context([plain(t(locale, "slack.details.hint"))]),
  ]);
}
