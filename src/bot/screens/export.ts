/** "exportar": the single-use link to the firm's CSV, for the advisor who asked only (docs/architecture.md, "Export"). */
import type { Locale } from "../../config.ts";
import type { ExportLinkResult } from "../../handlers/index.ts";
import { formatDateTime, t } from "../../i18n/index.ts";
import type { CardScreen } from "../screen.ts";

export function exportScreen(locale: Locale, link: ExportLinkResult): CardScreen {
  return {
    kind: "card",
    title: t(locale, "export.title"),
    blocks: [{ type: "text", text: t(locale, "export.ready", { time: formatDateTime(link.expiresAt) }) }],
    // A button, not a link in the text: Slack does not unfurl (fetch) a button's URL, which would use the link up.
    actions: [{ label: t(locale, "export.download"), target: { url: link.url }, style: "primary" }],
  };
}
