import type { KnownBlock } from "@slack/types";
import type { Locale } from "../../../config.ts";
import type { History } from "../../../handlers/index.ts";
import { formatDateTime, hasMessage, type Params, t } from "../../../i18n/index.ts";
import { header, LIMITS, message, plainSection, type SlackMessage } from "./blocks.ts";

function actorLabel(locale: Locale, platform: string, id: string): string {
  if (platform === "client_app") return t(locale, "slack.history.clientApp");
  if (platform === "cli") return t(locale, "slack.history.cli");
  return `${platform === "teams" ? "Teams" : "Slack"} ${id}`;
}

/** Lines packed into as few sections as the section text limit allows. */
export function packLines(lines: string[], max: number = LIMITS.sectionText): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > max && current) {
      chunks.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** The audit trail of a client and its licences, newest first. */
export function historyMessage(locale: Locale, history: History): SlackMessage {
  const title = t(locale, "slack.history.title", { name: history.clientName });
  const lines = history.events.map((e) => {
    const id = `audit.${e.action}`;
    const what = hasMessage(id) ? t(locale, id, e.details as Params) : e.action;
    return `${formatDateTime(e.createdAt)} · ${what} · ${actorLabel(locale, e.actorPlatform, e.actorId)}`;
  });
  const blocks: KnownBlock[] = [header(title), plainSection(`${t(locale, "slack.taxIdShort")} ${history.taxId}`)];
  if (lines.length === 0) blocks.push(plainSection(t(locale, "slack.history.empty")));
  for (const chunk of packLines(lines)) blocks.push(plainSection(chunk));
  return message(title, blocks);
}
