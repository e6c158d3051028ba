import type { KnownBlock } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { LicenceChange, LicenceRecord } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import type { LicenceChangeKind } from "../../shared/licence-change.ts";
import { actions, message, plainSection, type SlackMessage } from "./blocks.ts";
import { changeButton, licenceRow } from "./licence-list.ts";

/** A typed destructive command: the licence and the one button that does it (pressing it is the confirmation). */
export function licenceChangePrompt(locale: Locale, kind: LicenceChangeKind, licence: LicenceRecord): SlackMessage {
  const question = t(locale, `slack.confirm.${kind}.text`, { name: licence.client.name });
  return message(t(locale, `slack.confirm.${kind}.title`), [
    licenceRow(locale, licence)[0] as KnownBlock,
    plainSection(question),
    actions([changeButton(locale, kind, licence, false)], "change_prompt"),
  ]);
}

/** What happened, and, when the client stopped self-managing, that watching its mailboxes is the firm's job again. */
export function licenceChangedMessage(locale: Locale, kind: LicenceChangeKind, change: LicenceChange): SlackMessage {
  const text = t(locale, `slack.changed.${kind}`, { name: change.licence.client.name });
  const blocks: KnownBlock[] = [plainSection(text)];
  if (change.selfManagedCleared) {
    blocks.push(plainSection(`⚠️ ${t(locale, "client.watchAgain", { name: change.licence.client.name })}`));
  }
  return message(t(locale, "slack.changed.fallback"), blocks);
}
