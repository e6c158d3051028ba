import { describe, expect, it } from "vitest";
import { WATCH_SHOWN, watchScreen } from "../../src/bot/screens/watch.ts";
import { renderMessage } from "../../src/bot/slack/render/index.ts";
import { renderScreen } from "../../src/bot/teams/render.ts";
import type { WatchItem } from "../../src/handlers/index.ts";
import { checkMessage } from "../slack/block-kit.ts";
import { blockText } from "../slack/slack-sim.ts";
import { cardProblems, cardText } from "../teams/cards.ts";

const NOW = Date.UTC(2026, 10, 10, 9);

/** 100 open items of every kind, with the longest names and subjects the data allows. */
function items(n: number): WatchItem[] {
  const long = (s: string, len: number) => `${s} ${"x".repeat(len)}`.slice(0, len);
  return Array.from({ length: n }, (_, i): WatchItem => {
    const base = { clientId: i + 1, clientName: long(`Cliente ${i} <b>&*`, 200), signature: "s" };
    if (i % 3 === 0) {
      return {
        ...base,
        kind: "deadline",
        key: `deadline:${i + 1}`,
        notificationId: i + 1,
        organismo: long("Agencia Estatal de Administración Tributaria", 200),
        asunto: long("Requerimiento de información {{DATE(x)}} [enlace](https://e.example)", 1000),
        fechaMaxLectura: NOW + 2 * 86_400_000,
        daysLeft: i % 4,
      };
    }
    if (i % 3 === 1) {
      return {
        ...base,
        kind: "unactivated",
        key: `unactivated:${i + 1}`,
        licenceId: i + 1,
        detailsSentAt: NOW,
        days: 8,
      };
    }
    return { ...base, kind: "silent", key: `silent:${i + 1}`, licenceId: i + 1, lastContactAt: NOW, days: 4 };
  });
}

describe("the daily watch's message", () => {
  it("stays inside Slack's block limits and Teams' card size with 100 items, and counts the rest", () => {
    const list = items(100).sort((a, b) => a.kind.localeCompare(b.kind));
    for (const locale of ["es", "en"] as const) {
      const screen = watchScreen(locale, { items: list, more: 40 });
      const slack = renderMessage(locale, screen);
      expect(slack.blocks.length).toBeLessThanOrEqual(50);
      expect(checkMessage({ text: slack.text, blocks: slack.blocks })).toEqual([]);
      const more = 40 + 100 - WATCH_SHOWN;
      expect(blockText(slack.blocks)).toContain(locale === "es" ? `… y ${more} asuntos más.` : `… and ${more} more.`);
      const card = renderScreen(screen, locale);
      expect(cardProblems(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28_000);
      expect(cardText(card)).toContain(String(more));
    }
  });

  it("shows each kind under its heading, deadlines with the days left", () => {
    const [deadline, unactivated, silent] = items(3);
    if (deadline?.kind !== "deadline" || !unactivated || !silent) throw new Error("no items");
    const screen = watchScreen("es", { items: [{ ...deadline, daysLeft: 0 }, unactivated, silent], more: 0 });
    const text = blockText(renderMessage("es", screen).blocks);
    expect(text).toContain("Notificaciones a punto de vencer");
    expect(text).toContain("vence hoy");
    expect(text).toContain("Licencias enviadas y sin activar");
    expect(text).toContain("Aplicaciones sin contacto");
    expect(text).toContain("3 asuntos que atender");
    expect(text).not.toContain("más.");
  });
});
