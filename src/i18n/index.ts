import type { Locale } from "../config.ts";
import type { Plural } from "./catalogue.ts";
import { api } from "./messages/api.ts";
import { bot } from "./messages/bot.ts";
import { core } from "./messages/core.ts";
import { platforms } from "./messages/platforms.ts";

export type { Locale };

/**
 * The catalogue (docs/architecture.md, "Texts"): the use cases' texts
 * (core), the screens' (bot, the same on Slack and Teams), the few only one
 * platform shows, and the operator commands' (api). An id is in one section
 * only.
 */
const sections = [core, bot, platforms, api] as const;

const es = { ...core.es, ...bot.es, ...platforms.es, ...api.es };
type Catalogue = typeof es;

/** The id of a text: a wrong or missing id fails the type check. */
export type TextId = { [K in keyof Catalogue]: Catalogue[K] extends string ? K : never }[keyof Catalogue];
/** The id of a text about a number of things (one text per plural category). */
export type PluralId = { [K in keyof Catalogue]: Catalogue[K] extends Plural ? K : never }[keyof Catalogue];

const catalogue: Record<Locale, Record<string, string | Plural>> = {
  es,
  en: { ...core.en, ...bot.en, ...platforms.en, ...api.en },
};

for (let i = 0; i < sections.length; i++) {
  for (let j = i + 1; j < sections.length; j++) {
    for (const id of Object.keys(sections[i]?.es ?? {})) {
      if (id in (sections[j]?.es ?? {})) throw new Error(`duplicate message id ${id}`);
    }
  }
}

export type Params = Record<string, string | number | undefined | null>;

/**
 * Each template split once into its literal parts and placeholder names
 * (odd indexes): a screen fills hundreds of texts, and a regular expression
 * replace per text showed in the Slack command's profile. The keys are the
 * catalogue's own texts, so the map stays as small as the catalogue.
 */
const compiled = new Map<string, string[]>();

function fill(template: string, params: Params): string {
  if (!template.includes("{")) return template;
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  let out = parts[0] ?? "";
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] ?? "";
    const v = params[key];
    out += (v === undefined || v === null ? `{${key}}` : String(v)) + (parts[i + 1] ?? "");
  }
  return out;
}

/** The text of an id in a locale, with {name} placeholders filled. */
export function t(locale: Locale, id: TextId, params: Params = {}): string {
  const template = catalogue[locale][id] ?? catalogue.es[id];
  return fill(typeof template === "string" ? template : id, params);
}

const pluralRules: Record<Locale, Intl.PluralRules> = {
  es: new Intl.PluralRules("es"),
  en: new Intl.PluralRules("en"),
};

/**
 * A text about a number of things, with the number in {count}: the text of
 * the number's plural category in the language (Intl.PluralRules: "1
 * despacho", "2 despachos"); a category without its own text ("many" in
 * Spanish) uses "other".
 */
export function tn(locale: Locale, id: PluralId, count: number, params: Params = {}): string {
  const entry = catalogue[locale][id] ?? catalogue.es[id];
  if (!entry || typeof entry === "string") return fill(entry ?? id, { ...params, count });
  const category = pluralRules[locale].select(count);
  return fill(category === "one" ? entry.one : entry.other, { ...params, count });
}

/** Whether a string read from data (an audit action, a zod message) is an id of the catalogue. */
export function isTextId(id: string): id is TextId {
  return typeof catalogue.es[id] === "string";
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

const HOUR_MS = 3_600_000;
/** Dates by UTC hour: Madrid's days (and its offset changes) begin on whole UTC hours since 1901. */
const datesByHour = new Map<number, string>();

/** dd/mm/yyyy in Europe/Madrid time (Intl once per hour of time shown: a list shows dozens of dates). */
export function formatDate(ms: number): string {
  if (!(ms >= 0)) return dateFormat.format(new Date(ms));
  const hour = Math.floor(ms / HOUR_MS);
  let text = datesByHour.get(hour);
  if (text === undefined) {
    if (datesByHour.size >= 10_000) datesByHour.clear();
    text = dateFormat.format(new Date(hour * HOUR_MS));
    datesByHour.set(hour, text);
  }
  return text;
}

/** dd/mm/yyyy HH:mm in Europe/Madrid time. */
export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${timeFormat.format(new Date(ms))}`;
}
