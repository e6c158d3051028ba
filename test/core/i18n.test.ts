import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  catalogueIds,
  formatDate,
  formatDateTime,
  hasMessage,
  isTextId,
  type PluralId,
  pickLocale,
  t,
  tn,
} from "../../src/i18n/index.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the text catalogue", () => {
  it("has every message in Spanish and English, with the same placeholders", () => {
    const es = catalogueIds("es").sort();
    const en = catalogueIds("en").sort();
    expect(en).toEqual(es);
    for (const id of es.filter(isTextId)) {
      expect(placeholders(t("en", id)), id).toEqual(placeholders(t("es", id)));
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
    expect([...ids].filter((id) => !hasMessage(id) && !hasMessage(`audit.${id}`))).toEqual([]);
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
    expect(tn("es", "firms.count", 1)).toBe("1 despacho · para revocar uno: «revocar id»");
    expect(tn("es", "firms.count", 2)).toBe("2 despachos · para revocar uno: «revocar id»");
    expect(tn("es", "firms.count", 0)).toMatch(/^0 despachos/);
    expect(tn("en", "firms.count", 1)).toMatch(/^1 firm ·/);
    expect(tn("en", "firms.count", 2)).toMatch(/^2 firms ·/);
    expect(tn("es", "list.count", 1)).toBe("1 licencia en total");
    expect(tn("es", "list.count", 3)).toBe("3 licencias en total");
    expect(tn("en", "list.count", 1)).toBe("1 licence in all");
    expect(tn("en", "list.count", 3)).toBe("3 licences in all");
    expect(tn("es", "firms.licences", 1)).toBe("1 licencia");
    expect(tn("en", "firms.licences", 1)).toBe("1 licence");
    expect(tn("es", "lines.more", 2)).toBe("… y 2 líneas más que no caben aquí.");
    expect(tn("es", "activation.revokedCleared", 1)).toMatch(/^1 cliente deja de constar/);
    // Spanish has a "many" category (a million): it falls back to the plural text.
    expect(new Intl.PluralRules("es").select(1_000_000)).toBe("many");
    expect(tn("es", "list.count", 1_000_000)).toBe("1000000 licencias en total");
  });

  it("has each plural's texts for one and for many, both with the number", () => {
    const plurals: PluralId[] = [
      "firms.count",
      "firms.licences",
      "list.count",
      "lines.more",
      "activation.revokedCleared",
      "teams.support.postedPending",
    ];
    // Every id that is not a plain text is one of these plurals.
    expect(catalogueIds("es").filter((id) => !isTextId(id)).length).toBeGreaterThanOrEqual(plurals.length);
    for (const locale of ["es", "en"] as const) {
      for (const id of plurals) {
        expect(tn(locale, id, 1), id).toContain("1");
        expect(tn(locale, id, 7), id).toContain("7");
        expect(tn(locale, id, 1), id).not.toBe(tn(locale, id, 7).replace("7", "1"));
      }
    }
  });

  it("shows dates as dd/mm/yyyy in Madrid time", () => {
    // 23:30 UTC on 31 December is already 1 January in Madrid.
    expect(formatDate(Date.UTC(2025, 11, 31, 23, 30))).toBe("01/01/2026");
    expect(formatDateTime(Date.UTC(2026, 6, 15, 8, 5))).toBe("15/07/2026 10:05");
  });
});
