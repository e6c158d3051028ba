import type { KnownBlock } from "@slack/types";
import type { Locale } from "../../../config.ts";
import { t } from "../../../i18n/index.ts";
import { header, message, mrkdwnSection, plainSection, type SlackMessage } from "./blocks.ts";

/** The command words and what they do; support words only in the support channel. */
export function helpMessage(locale: Locale, options: { unknown?: string | undefined; support: boolean }): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (options.unknown !== undefined) {
    // The word is shown literally: it was typed by the user.
    blocks.push(plainSection(t(locale, "slack.help.unknown", { word: options.unknown })));
  }
  blocks.push(header(t(locale, "slack.help.title")));
  blocks.push(mrkdwnSection(t(locale, "slack.help.advisor")));
  if (options.support) blocks.push(mrkdwnSection(t(locale, "slack.help.support")));
  return message(t(locale, "slack.help.title"), blocks);
}
