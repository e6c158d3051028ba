/**
 * The daily watch's message (docs/architecture.md, "The daily watch"): the
 * items a firm should act on, each with its buttons, the same on Slack and
 * Teams. At most WATCH_SHOWN items are drawn (each is a row with buttons:
 * Slack allows 50 blocks a message); the rest are counted.
 */
import type { Locale } from "../../config.ts";
import type { AlertsOutcome, WatchItem } from "../../handlers/index.ts";
import { formatDate, t, tn } from "../../i18n/index.ts";
import { type Action, type Block, type CardScreen, notice, run, type Screen } from "../screen.ts";

/** Items drawn in one message: two blocks each on Slack, with the title, three headings and the count. */
export const WATCH_SHOWN = 15;

const mute = (locale: Locale, item: WatchItem): Action =>
  run(t(locale, "button.mute"), "muteWatch", { item: item.key });

const licenceFile = (locale: Locale, licenceId: number): Action =>
  run(t(locale, "button.licenceFile"), "licence", { licenceId });

function itemBlock(locale: Locale, item: WatchItem): Block {
  switch (item.kind) {
    case "deadline":
      return {
        type: "item",
        title: t(locale, "watch.deadline.title", { organismo: item.organismo, asunto: item.asunto }),
        text: t(locale, "watch.deadline.text", {
          client: item.clientName,
          left:
            item.daysLeft <= 0 ? t(locale, "watch.deadline.today") : tn(locale, "watch.deadline.left", item.daysLeft),
          date: formatDate(item.fechaMaxLectura),
        }),
        actions: [mute(locale, item)],
      };
    case "unactivated":
      return {
        type: "item",
        title: item.clientName,
        text: t(locale, "watch.unactivated.text", {
          date: formatDate(item.detailsSentAt),
          days: tn(locale, "watch.days", item.days),
        }),
        actions: [
          run(t(locale, "button.resend"), "send", { licenceId: item.licenceId }, { style: "primary" }),
          licenceFile(locale, item.licenceId),
          mute(locale, item),
        ],
      };
    case "silent":
      return {
        type: "item",
        title: item.clientName,
        text: t(locale, "watch.silent.text", {
          date: formatDate(item.lastContactAt),
          days: tn(locale, "watch.days", item.days),
        }),
        actions: [
          run(t(locale, "button.watchFromFirm"), "watchFromFirm", { licenceId: item.licenceId }, { style: "primary" }),
          licenceFile(locale, item.licenceId),
          mute(locale, item),
        ],
      };
  }
}

const HEADINGS = {
  deadline: "watch.deadlines",
  unactivated: "watch.unactivated",
  silent: "watch.silent",
} as const;

/** "Vigilancia diaria": the items by kind (deadlines first), and how many more there are. */
export function watchScreen(locale: Locale, message: { items: WatchItem[]; more: number }): CardScreen {
  const shown = message.items.slice(0, WATCH_SHOWN);
  const more = message.more + message.items.length - shown.length;
  const blocks: Block[] = [];
  let kind: WatchItem["kind"] | undefined;
  for (const item of shown) {
    if (item.kind !== kind) {
      kind = item.kind;
      blocks.push({ type: "heading", text: t(locale, HEADINGS[kind]) });
    }
    blocks.push(itemBlock(locale, item));
  }
  if (more > 0) blocks.push({ type: "text", text: tn(locale, "watch.more", more), subtle: true });
  return {
    kind: "card",
    title: t(locale, "watch.title"),
    subtitle: tn(locale, "watch.count", message.items.length + message.more),
    blocks,
  };
}

/** What `avisos` answers: where the watch goes now; in its channel already, the button that switches it off. */
export function alertsScreen(locale: Locale, result: AlertsOutcome, ctx: { command: string; hour: number }): Screen {
  switch (result.kind) {
    case "private":
      return notice(t(locale, "alerts.private", { command: ctx.command }), "warning");
    case "set":
      return notice(t(locale, result.moved ? "alerts.moved" : "alerts.set", { hour: ctx.hour }), "good");
    case "already":
      return {
        kind: "card",
        blocks: [{ type: "text", text: t(locale, "alerts.already") }],
        actions: [run(t(locale, "button.alertsOff"), "alerts", { off: 1 })],
      };
    case "cleared":
      return notice(t(locale, "alerts.cleared"), "good");
    case "none":
      return notice(t(locale, "alerts.none"));
  }
}
