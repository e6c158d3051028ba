/** "ayuda", also shown for an unknown word: built from the command table, so a new verb is listed by itself. */
import type { Actor } from "../../handlers/index.ts";
import { t } from "../../i18n/index.ts";
import { audienceOf, type BotContext, helpOf, inSupportChannel, usageOf, VERBS } from "../commands.ts";
import { type CardScreen, openForm, run, type Usage } from "../screen.ts";

export function helpScreen(ctx: BotContext, actor: Actor, unknown?: string): CardScreen {
  const locale = actor.locale;
  const usages = (who: "advisor" | "support"): Usage[] =>
    VERBS.flatMap((v) => {
      const help = helpOf(v);
      return help && audienceOf(v) === who ? [{ usage: usageOf(ctx, v, locale), text: t(locale, help) }] : [];
    });
  const support = inSupportChannel(ctx.deps, actor);
  return {
    kind: "card",
    title: t(locale, "help.title"),
    blocks: [
      {
        type: "text",
        text: unknown === undefined ? t(locale, "help.intro") : t(locale, "help.unknown", { word: unknown }),
      },
      { type: "usages", items: usages("advisor") },
      ...(support
        ? [
            { type: "heading" as const, text: t(locale, "help.support") },
            { type: "usages" as const, items: usages("support") },
          ]
        : []),
    ],
    actions: support
      ? []
      : [
          run(t(locale, "button.list"), "list"),
          openForm(t(locale, "button.new"), "licence", {}, { style: "primary" }),
          openForm(t(locale, "button.newBulk"), "bulk"),
        ],
  };
}
