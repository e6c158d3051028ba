/**
 * *Nuevo en bloque*: the paste form, its preview (each line accepted or
 * with its error, by line number) and the result with *Enviar datos de
 * licencia* for every licence created. See docs/architecture.md, "Forms".
 */
import type { Locale } from "../../config.ts";
import type { BulkLineResult, BulkPreview, BulkResult } from "../../handlers/index.ts";
import { BULK_MAX_LINES } from "../../handlers/index.ts";
import { type TextId, t, tn } from "../../i18n/index.ts";
import type { Block, CardScreen, Field, FormField, FormScreen, NoticeScreen } from "../screen.ts";
import { notice, run } from "../screen.ts";

/**
 * What one text field takes: Slack's plain_text_input allows at most 3000
 * characters, and 50 realistic lines (about 110 characters each) need about
 * 5500, so the paste has two fields of 3000 (about 25 lines each), read as
 * one text. Teams has no such limit; the screen is the same on both.
 */
export const BULK_FIELD_MAX = 3000;

/** The field ids, in the order they are read. */
export const BULK_FIELDS = ["lines", "more"] as const;

export type BulkValues = Partial<Record<(typeof BULK_FIELDS)[number], string>>;

/** The paste as one text: the first field's lines, then the second's. */
export function bulkText(values: BulkValues): string {
  return BULK_FIELDS.map((id) => values[id] ?? "")
    .filter((v) => v.trim() !== "")
    .join("\n");
}

const COLUMN_LABEL = {
  taxId: "field.taxId",
  name: "field.name",
  email: "field.email",
  contactPerson: "field.contactPerson",
  phone: "field.phone",
} as const satisfies Record<string, TextId>;

/** "⛔ B1234: NIF/CIF: El NIF/CIF no es válido…", or "✅ B12345674 · García, S.L.". */
function lineText(locale: Locale, line: BulkLineResult): string {
  const taxId = line.taxId || t(locale, "bulk.lineNoTaxId");
  if (line.ok) return t(locale, "bulk.lineOk", { taxId, name: line.name });
  const message = t(locale, line.message, line.params ?? {});
  const label = line.field ? COLUMN_LABEL[line.field] : undefined;
  const error = label ? t(locale, "bulk.fieldError", { field: t(locale, label), message }) : message;
  return t(locale, "bulk.lineError", { taxId, error });
}

function lineFacts(locale: Locale, lines: BulkLineResult[]): Field[] {
  return lines.map((l) => ({ label: t(locale, "bulk.line", { line: l.line }), value: lineText(locale, l) }));
}

function pasteFields(locale: Locale, values: BulkValues, errors: Record<string, string>): FormField[] {
  return BULK_FIELDS.map((id) => {
    const value = values[id];
    return {
      id,
      label: t(locale, id === "lines" ? "bulk.lines" : "bulk.more"),
      kind: "multiline",
      required: id === "lines",
      maxLength: BULK_FIELD_MAX,
      ...(id === "lines" ? { placeholder: t(locale, "bulk.placeholder") } : {}),
      ...(id === "lines" ? { requiredMessage: t(locale, "bulk.empty") } : {}),
      ...(value ? { value } : {}),
      ...(errors[id] ? { error: errors[id] } : {}),
    };
  });
}

const intro = (locale: Locale) =>
  `${t(locale, "bulk.intro", { max: BULK_MAX_LINES })}\n${t(locale, "bulk.fitNote", { chars: BULK_FIELD_MAX })}`;

/** The paste form; with a preview in which no line can be created, its lines and the reason at the top. */
export function bulkFormScreen(
  locale: Locale,
  values: BulkValues,
  errors: Record<string, string> & { general?: string },
  refused?: BulkPreview,
): FormScreen {
  const error = refused ? t(locale, "bulk.none") : errors.general;
  return {
    kind: "form",
    form: "bulk",
    data: {},
    title: t(locale, "bulk.title"),
    intro: intro(locale),
    ...(refused ? { facts: lineFacts(locale, refused.lines) } : {}),
    fields: pasteFields(locale, values, errors),
    submit: t(locale, "button.review"),
    cancel: t(locale, "button.cancel"),
    ...(error ? { error } : {}),
    openLabel: t(locale, "button.newBulk"),
  };
}

/**
 * The preview: each line, *Crear N licencias* for the text that was
 * checked (its digest), and *Corregir* back to the form as typed. The paste
 * stays in its fields (a modal's metadata could not hold it): changed there,
 * it is checked again instead of created.
 */
export function bulkPreviewScreen(
  locale: Locale,
  preview: BulkPreview,
  values: BulkValues,
  changed: boolean,
): FormScreen {
  return {
    kind: "form",
    form: "bulk",
    data: { step: "confirm", digest: preview.digest },
    title: t(locale, "bulk.title"),
    intro: `${tn(locale, "bulk.preview", preview.lines.length, { accepted: preview.accepted })}\n${t(locale, "bulk.previewEdit")}`,
    facts: lineFacts(locale, preview.lines),
    fields: pasteFields(locale, values, {}),
    submit: tn(locale, "button.createMany", preview.accepted),
    cancel: t(locale, "button.cancel"),
    back: { label: t(locale, "button.correct"), data: { step: "edit" } },
    ...(changed ? { error: t(locale, "bulk.changed") } : {}),
    openLabel: t(locale, "button.newBulk"),
  };
}

/** What was created, the lines without a licence, and the details of all of them to send. */
export function bulkResultScreen(locale: Locale, result: BulkResult): CardScreen {
  const created = result.created.length;
  const blocks: Block[] = [];
  if (result.failed.length > 0) {
    blocks.push({ type: "text", text: tn(locale, "bulk.failed", result.failed.length), strong: true });
    blocks.push({
      type: "lines",
      items: result.failed.map((l) => `${t(locale, "bulk.line", { line: l.line })}: ${lineText(locale, l)}`),
    });
  }
  if (created > 0) blocks.push({ type: "text", text: t(locale, "bulk.sendHint"), subtle: true });
  const ids = result.created.map((c) => c.licence.id).join(".");
  return {
    kind: "card",
    title: t(locale, "bulk.title"),
    notes: [
      created > 0
        ? { text: tn(locale, "bulk.created", created), tone: "good" }
        : { text: t(locale, "bulk.noneCreated"), tone: "warning" },
    ],
    blocks,
    actions: [
      ...(created > 0 ? [run(t(locale, "button.sendAll"), "bulkSend", { ids }, { style: "primary" })] : []),
      run(t(locale, "button.list"), "list"),
    ],
  };
}

/** *Enviar datos de licencia* for all: the messages are on their way. */
export function bulkSendingScreen(locale: Locale, sending: number, missing: number): NoticeScreen {
  const text = [
    sending > 0 ? tn(locale, "bulk.sending", sending) : "",
    missing > 0 ? tn(locale, "bulk.sendMissing", missing) : "",
  ]
    .filter((s) => s !== "")
    .join("\n");
  return notice(text, sending > 0 ? "good" : "warning");
}
