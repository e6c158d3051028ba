import type { Locale } from "../config.ts";
import { api } from "./messages/api.ts";
import { core } from "./messages/core.ts";
import { slack } from "./messages/slack.ts";
import { teams } from "./messages/teams.ts";

export type { Locale };

/** A catalogue section: the same ids in Spanish and English. */
export type Messages = { es: Record<string, string>; en: Record<string, string> };

const sections: Messages[] = [core, slack, teams, api];

/** The whole catalogue. Sections are merged at start; an id must be unique. */
const catalogue: Messages = { es: {}, en: {} };

export function registerMessages(section: Messages): void {
  for (const locale of ["es", "en"] as const) {
    for (const [id, text] of Object.entries(section[locale])) {
      if (id in catalogue[locale] && catalogue[locale][id] !== text) {
        throw new Error(`duplicate message id ${id}`);
      }
      catalogue[locale][id] = text;
    }
  }
}
for (const s of sections) registerMessages(s);

export type Params = Record<string, string | number | undefined | null>;

/**
 * The text of a message id in a locale, with {name} placeholders filled.
 * Falls back to Spanish, then to the id itself (visible in tests).
 */
export function t(locale: Locale, id: string, params: Params = {}): string {
  const template = catalogue[locale][id] ?? catalogue.es[id] ?? id;
  return template.replace(/\{(\w+)\}/g, (m, key: string) => {
    const v = params[key];
    return v === undefined || v === null ? m : String(v);
  });
}

const pluralRules: Record<Locale, Intl.PluralRules> = {
  es: new Intl.PluralRules("es"),
  en: new Intl.PluralRules("en"),
};

/**
 * A text about a number of things: the id names a family of messages,
 * `<id>.one` and `<id>.other` (and any other plural category of the
 * language, Intl.PluralRules), with the number in {count}. A category
 * without its own text ("many" in Spanish) uses `.other`.
 */
export function tn(locale: Locale, id: string, count: number, params: Params = {}): string {
  const category = `${id}.${pluralRules[locale].select(count)}`;
  const chosen = category in catalogue[locale] || category in catalogue.es ? category : `${id}.other`;
  return t(locale, chosen, { ...params, count });
}

export function hasMessage(id: string): boolean {
  return id in catalogue.es;
}

export function catalogueIds(locale: Locale): string[] {
  return Object.keys(catalogue[locale]);
}

/** "en…" locales get English, anything else Spanish; unknown gets the default. */
export function pickLocale(raw: string | undefined | null, fallback: Locale): Locale {
  if (!raw) return fallback;
  const lower = raw.toLowerCase();
  if (lower.startsWith("en")) return "en";
  if (lower.startsWith("es") || lower.startsWith("ca") || lower.startsWith("gl") || lower.startsWith("eu")) return "es";
  return fallback;
}

const dateFormat = new Intl.DateTimeFormat("es-ES", {
  timeZone: "Europe/Madrid",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const timeFormat = new Intl.DateTimeFormat("es-ES", {
  timeZone: "Europe/Madrid",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** dd/mm/yyyy in Europe/Madrid time. */
export function formatDate(ms: number): string {
  return dateFormat.format(new Date(ms));
}

/** dd/mm/yyyy HH:mm in Europe/Madrid time. */
export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${timeFormat.format(new Date(ms))}`;
}
