import type { Locale } from "../../../config.ts";
import { t } from "../../../i18n/index.ts";
import { type Card, card, execute, md, openDialog, text, title } from "./ui.ts";
import { VERB } from "./verbs.ts";

const LINES = ["list", "new", "clients", "client", "send", "deactivate", "notifications", "history", "help"] as const;
/** Support's words, listed where they work: in the support channel. */
const SUPPORT_LINES = ["pending", "firms", "revoke"] as const;

/** "ayuda", also shown for an unknown word. */
export function helpCard(locale: Locale, options: { unknown?: string; support?: boolean } = {}): Card {
  return card(
    [
      title(t(locale, "teams.help.title")),
      text(
        options.unknown
          ? t(locale, "teams.help.unknown", { word: md(options.unknown) })
          : t(locale, "teams.help.intro"),
      ),
      ...LINES.map((l) => text(`- ${t(locale, `teams.help.${l}`)}`, { spacing: "none" })),
      ...(options.support
        ? [
            text(t(locale, "teams.help.support"), { weight: "bolder", spacing: "medium" }),
            ...SUPPORT_LINES.map((l) => text(`- ${t(locale, `teams.help.${l}`)}`, { spacing: "none" })),
          ]
        : []),
    ],
    options.support
      ? []
      : [
          execute(t(locale, "teams.action.list"), VERB.licences),
          openDialog(t(locale, "teams.licences.new"), VERB.licenceForm),
        ],
  );
}

/** A plain answer as a card (errors, notices). */
export function messageCard(message: string, color: "default" | "attention" | "good" = "default"): Card {
  return card([text(message, color === "default" ? {} : { color })]);
}
