import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Plural } from "../../src/i18n/catalogue.ts";
import { formatDate, formatDateTime, isTextId, pickLocale, t, tn } from "../../src/i18n/index.ts";
import { api } from "../../src/i18n/messages/api.ts";
import { bot } from "../../src/i18n/messages/bot.ts";
import { core } from "../../src/i18n/messages/core.ts";
import { platforms } from "../../src/i18n/messages/platforms.ts";

const SECTIONS = [core, bot, platforms, api];

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the text catalogue", () => {
  const texts = (entry: string | Plural): string[] => (typeof entry === "string" ? [entry] : [entry.one, entry.other]);

  it("has every message in Spanish and English, of the same kind and with the same placeholders", () => {
    for (const section of SECTIONS) {
      expect(Object.keys(section.en).sort()).toEqual(Object.keys(section.es).sort());
      for (const [id, es] of Object.entries(section.es) as [string, string | Plural][]) {
        const en = (section.en as Record<string, string | Plural>)[id] as string | Plural;
        expect(typeof en, id).toBe(typeof es);
        const esTexts = texts(es);
        const enTexts = texts(en);
        for (let i = 0; i < esTexts.length; i++) {
          expect(placeholders(enTexts[i] as string), id).toEqual(placeholders(esTexts[i] as string));
        }
      }
    }
  });

  it("keeps every id in one section only", () => {
    const seen = new Map<string, number>();
    SECTIONS.forEach((section, i) => {
      for (const id of Object.keys(section.es)) {
        expect(seen.get(id), id).toBeUndefined();
        seen.set(id, i);
      }
    });
  });

  it("has no markup in the screens' texts: renderers show them literally on both platforms", () => {
    for (const locale of ["es", "en"] as const) {
      for (const [id, entry] of Object.entries(bot[locale]) as [string, string | Plural][]) {
        for (const text of texts(entry)) expect(text, id).not.toMatch(/\*\*|`|\]\(|^\s*[-*] /m);
      }
    }
  });

  it("has a text for every message id the use cases raise", () => {
    const root = resolve(import.meta.dirname, "../../src");
    const ids = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts")) {
          for (const m of readFileSync(p, "utf8").matchAll(
            /"((?:error|activation|licence|client|field)\.[A-Za-z.]+)"/g,
          )) {
            ids.add(m[1] as string);
          }
        }
      }
    };
    walk(join(root, "handlers"));
    walk(join(root, "db"));
    expect(ids.size).toBeGreaterThan(10);
    // Audit actions have a label too ("audit.<action>").
    expect([...ids].filter((id) => !isTextId(id) && !isTextId(`audit.${id}`))).toEqual([]);
  });

  it("fills placeholders and picks the language from a locale", () => {
    expect(t("es", "field.tooLong", { max: 200 })).toBe("Máximo 200 caracteres.");
    expect(t("en", "field.tooLong", { max: 200 })).toBe("At most 200 characters.");
    expect(pickLocale("en-GB", "es")).toBe("en");
    expect(pickLocale("es-ES", "en")).toBe("es");
    expect(pickLocale("fr-FR", "es")).toBe("es");
    expect(pickLocale(undefined, "en")).toBe("en");
  });

  it("says counts in the singular for one and in the plural otherwise, in both languages", () => {
    expect(tn("es", "firms.count", 1, { command: "revocar" })).toBe("1 despacho · para revocar uno: «revocar id»");
    expect(tn("es", "firms.count", 2, { command: "revocar" })).toBe("2 despachos · para revocar uno: «revocar id»");
    expect(tn("es", "firms.count", 0)).toMatch(/^0 despachos/);
    expect(tn("en", "firms.count", 1)).toMatch(/^1 firm ·/);
    expect(tn("en", "firms.count", 2)).toMatch(/^2 firms ·/);
    expect(tn("es", "list.count", 1)).toBe("1 licencia en total");
    expect(tn("es", "list.count", 3)).toBe("3 licencias en total");
    expect(tn("en", "list.count", 1)).toBe("1 licence in total");
    expect(tn("en", "list.count", 3)).toBe("3 licences in total");
    expect(tn("es", "firms.licences", 1)).toBe("1 licencia");
    expect(tn("en", "firms.licences", 1)).toBe("1 licence");
    expect(tn("es", "activation.revokedCleared", 1)).toMatch(/^1 cliente deja de constar/);
    // Spanish has a "many" category (a million): it falls back to the plural text.
    expect(new Intl.PluralRules("es").select(1_000_000)).toBe("many");
    expect(tn("es", "list.count", 1_000_000)).toBe("1000000 licencias en total");
  });

  it("has the number in every plural text", () => {
    for (const section of SECTIONS) {
      for (const locale of ["es", "en"] as const) {
        for (const [id, entry] of Object.entries(section[locale]) as [string, string | Plural][]) {
          if (typeof entry === "string") continue;
          expect(entry.one, id).toContain("{count}");
          expect(entry.other, id).toContain("{count}");
        }
      }
    }
  });

  it("shows dates as dd/mm/yyyy in Madrid time", () => {
    // 23:30 UTC on 31 December is already 1 January in Madrid.
    expect(formatDate(Date.UTC(2025, 11, 31, 23, 30))).toBe("01/01/2026");
    expect(formatDateTime(Date.UTC(2026, 6, 15, 8, 5))).toBe("15/07/2026 10:05");
  });

  it("gives the date Intl gives, minute by minute around midnight and the clock changes", () => {
    const intl = new Intl.DateTimeFormat("es-ES", {
      timeZone: "Europe/Madrid",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    });
    // Around Madrid's midnights in winter and summer, and the nights the clocks change (2026: 29 March, 25 October).
    const around = [
      Date.UTC(2026, 0, 14, 23),
      Date.UTC(2026, 6, 14, 22),
      Date.UTC(2026, 2, 28, 23),
      Date.UTC(2026, 2, 29, 1),
      Date.UTC(2026, 9, 24, 22),
      Date.UTC(2026, 9, 25, 1),
    ];
    const missed: string[] = [];
    for (const centre of around) {
      for (let ms = centre - 3 * 3_600_000; ms <= centre + 3 * 3_600_000; ms += 60_000 + 1) {
        // Twice: the second answer comes from what the first remembered.
        for (let round = 0; round < 2; round++) {
          const want = intl.format(new Date(ms));
          if (formatDate(ms) !== want) missed.push(`${new Date(ms).toISOString()}: ${formatDate(ms)} ≠ ${want}`);
        }
      }
    }
    expect(missed).toEqual([]);
    // Placeholders: filled, left as typed when a parameter is missing, and the same text twice.
    expect(t("es", "field.tooLong", {})).toBe("Máximo {max} caracteres.");
    expect(t("es", "field.tooLong", { max: 5 })).toBe("Máximo 5 caracteres.");
    expect(t("es", "field.tooLong", { max: 6 })).toBe("Máximo 6 caracteres.");
  });
});
