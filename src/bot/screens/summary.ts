/** The dashboard (Slack's App Home, Teams' "resumen" and welcome): the firm's counts, the watch's open items, the way in. */
import type { Locale } from "../../config.ts";
import { type ActivationState, SUMMARY_ITEMS, type Summary, type WatchItem } from "../../handlers/index.ts";
import { formatDate, t, tn } from "../../i18n/index.ts";
import { type Action, type Block, type CardScreen, openForm, run } from "../screen.ts";

/** Nuevo, Licencias, Clientes, Buscar. */
function summaryActions(locale: Locale): Action[] {
  return [
    // The licence form, or the activation request while the feature is not active (forms.ts).
    openForm(t(locale, "button.new"), "licence", {}, { style: "primary" }),
    run(t(locale, "summary.licences"), "list"),
    run(t(locale, "summary.clients"), "clients"),
    openForm(t(locale, "button.search"), "search"),
  ];
}

/** One open item of the watch: whom it concerns, what is wrong, and its ficha when it is a licence's. */
function watchBlock(locale: Locale, item: WatchItem): Block {
  const ficha = (licenceId: number) => [run(t(locale, "button.ficha"), "licence", { licenceId })];
  switch (item.kind) {
    case "unactivated":
      return {
        type: "item",
        title: item.clientName,
        text: tn(locale, "summary.item.unactivated", item.days, { date: formatDate(item.detailsSentAt) }),
        actions: ficha(item.licenceId),
      };
    case "silent":
      return {
        type: "item",
        title: item.clientName,
        text: t(locale, "summary.item.silent", { date: formatDate(item.lastContactAt) }),
        actions: ficha(item.licenceId),
      };
    case "deadline":
      return {
        type: "item",
        title: item.clientName,
        text: [
          `${item.organismo} · ${item.asunto}`,
          item.daysLeft === 0
            ? t(locale, "summary.item.deadlineToday")
            : tn(locale, "summary.item.deadline", item.daysLeft, { date: formatDate(item.fechaMaxLectura) }),
        ].join("\n"),
        actions: [],
      };
  }
}

const INACTIVE_TEXT = {
  not_requested: "summary.inactive",
  pending: "summary.pending",
  rejected: "summary.inactiveAgain",
  revoked: "summary.inactiveAgain",
} as const satisfies Record<Exclude<ActivationState, "active">, string>;

/** While the Solución para PYMES is not active: how to start (Nuevo asks for the activation). */
function startScreen(locale: Locale, state: Exclude<ActivationState, "active">): CardScreen {
  return {
    kind: "card",
    title: t(locale, "help.title"),
    blocks: [{ type: "text", text: t(locale, INACTIVE_TEXT[state]) }],
    actions:
      state === "pending"
        ? [run(t(locale, "button.help"), "help")]
        : [
            openForm(t(locale, "button.requestActivation"), "activation", {}, { style: "primary" }),
            run(t(locale, "button.help"), "help"),
          ],
  };
}

/**
 * The dashboard: the firm's licences by where their handover stands, the
 * watch's open items (the first SUMMARY_ITEMS, then "y 40 más"), and the
 * buttons into the rest.
 */
export function summaryScreen(locale: Locale, summary: Summary): CardScreen {
  const { counts, watch } = summary;
  if (summary.activationState !== "active" || !counts || !watch) {
    return startScreen(locale, summary.activationState === "active" ? "not_requested" : summary.activationState);
  }
  const shown = watch.items.slice(0, SUMMARY_ITEMS);
  const total = watch.counts.unactivated + watch.counts.silent + watch.counts.deadline;
  const blocks: Block[] = [
    {
      type: "fields",
      fields: [
        { label: t(locale, "summary.active"), value: String(counts.active) },
        { label: t(locale, "summary.deactivated"), value: String(counts.deactivated) },
        { label: t(locale, "summary.toSend"), value: String(counts.toSend) },
        { label: t(locale, "summary.toInstall"), value: String(counts.toInstall) },
        { label: t(locale, "summary.selfManaged"), value: String(counts.selfManaged) },
        { label: t(locale, "summary.silent"), value: String(counts.silent) },
      ],
    },
    { type: "heading", text: t(locale, "summary.watch") },
  ];
  if (shown.length === 0) blocks.push({ type: "text", text: t(locale, "summary.watchNone"), tone: "good" });
  blocks.push(...shown.map((item) => watchBlock(locale, item)));
  if (total > shown.length) blocks.push({ type: "text", text: tn(locale, "summary.more", total - shown.length) });
  return {
    kind: "card",
    title: t(locale, "summary.title", { firm: summary.firmName }),
    subtitle: tn(locale, "list.count", counts.live),
    blocks,
    actions: summaryActions(locale),
  };
}
