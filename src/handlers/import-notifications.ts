import type { Firm, NotificationInput } from "../db/index.ts";
import { afterLines, decodeText, detectDelimiter, headerKey, parseCsv } from "../domain/csv.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { ServiceError } from "../errors.ts";
import type { Deps } from "./context.ts";
import { findFirmByWorkspace } from "./find-firm.ts";
import { parseDate } from "./report-notifications.ts";

/** The columns of the file, in any order and any case; fecha_max_lectura may be left out. */
export const IMPORT_COLUMNS = [
  "id",
  "nif",
  "organismo",
  "asunto",
  "fecha_puesta_disposicion",
  "fecha_max_lectura",
  "estado",
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
/**
 * Other names for the columns, as headerKey reads them: an a3ASESOR export
 * says Referencia, NIF, Organismo, Asunto, Fecha puesta a disposición,
 * Fecha máx. lectura, Estado.
 */
const ALIASES: Record<string, Column> = {
  referencia: "id",
  fecha_puesta_a_disposicion: "fecha_puesta_disposicion",
  fecha_maxima_lectura: "fecha_max_lectura",
  fecha_maxima_de_lectura: "fecha_max_lectura",
};
/** Most title lines a file may have above its header. */
export const SKIP_ROWS_MAX = 100;

function columnOf(cell: string): Column | undefined {
  const key = headerKey(cell);
  if ((IMPORT_COLUMNS as readonly string[]).includes(key)) return key as Column;
  return ALIASES[key];
}
const REQUIRED: Column[] = ["id", "nif", "organismo", "asunto", "fecha_puesta_disposicion", "estado"];
/** The same limits as the client app's reports. */
const MAX_LENGTH: Partial<Record<Column, number>> = { id: 200, organismo: 200, asunto: 1000, estado: 100 };

export type ImportRejectReason =
  | "FIELD_COUNT"
  | "MISSING_FIELD"
  | "TOO_LONG"
  | "INVALID_TAX_ID"
  | "INVALID_DATE"
  | "DUPLICATE_ID"
  | "UNTERMINATED_QUOTE"
  | "UNKNOWN_CLIENT";

export interface ImportRejection {
  /** The line of the file the row starts on (1-based; the header is line 1). */
  line: number;
  reason: ImportRejectReason;
  /** The column at fault, when there is one. */
  field?: string;
  /** Values for the reason's text (expected/found field counts, the line of the first duplicate…). */
  params?: Record<string, number | string>;
}

export interface ImportReport {
  firm: Pick<Firm, "id" | "name">;
  encoding: "utf-8" | "windows-1252";
  delimiter: ";" | ",";
  /** Data rows read (blank lines not counted). */
  rows: number;
  /** New notifications. */
  imported: number;
  /** Already there (imported or reported before): left as they were. */
  unchanged: number;
  rejected: ImportRejection[];
}

type Row = NotificationInput & { taxId: string; line: number };

function readRow(
  columns: Map<Column, number>,
  width: number,
  record: { line: number; fields: string[] },
): Row | ImportRejection {
  const { line, fields } = record;
  const extra = fields.slice(width);
  if (fields.length < width || extra.some((f) => f.trim() !== "")) {
    return { line, reason: "FIELD_COUNT", params: { expected: width, found: fields.length } };
  }
  const value = (c: Column) => {
    const i = columns.get(c);
    return i === undefined ? "" : (fields[i] ?? "").trim();
  };
  for (const c of REQUIRED) {
    if (value(c) === "") return { line, reason: "MISSING_FIELD", field: c };
  }
  for (const [c, max] of Object.entries(MAX_LENGTH) as [Column, number][]) {
    if (value(c).length > max) return { line, reason: "TOO_LONG", field: c, params: { max } };
  }
  const taxId = normaliseTaxId(value("nif"));
  if (!taxIdKind(taxId)) return { line, reason: "INVALID_TAX_ID", field: "nif" };
  const available = parseDate(value("fecha_puesta_disposicion"));
  if (available === undefined) return { line, reason: "INVALID_DATE", field: "fecha_puesta_disposicion" };
  let deadline: number | undefined;
  if (value("fecha_max_lectura") !== "") {
    deadline = parseDate(value("fecha_max_lectura"));
    if (deadline === undefined) return { line, reason: "INVALID_DATE", field: "fecha_max_lectura" };
  }
  return {
    line,
    taxId,
    externalId: value("id"),
    organismo: value("organismo"),
    asunto: value("asunto"),
    fechaPuestaDisposicion: available,
    fechaMaxLectura: deadline,
    estado: value("estado"),
  };
}

/**
 * The file's rows in one unit: rows of a client the firm does not have are
 * returned by line; the others inserted unless the firm has them already
 * (by the administration's id), so importing again changes nothing.
 */
async function storeRows(
  deps: Deps,
  firmId: number,
  rows: Row[],
): Promise<{ imported: number; unchanged: number; unknownClient: number[] }> {
  const now = deps.now();
  return await deps.store.unit("importNotifications", async (tx) => {
    const known = await tx.clientIdsByTaxId(
      firmId,
      rows.map((r) => r.taxId),
    );
    const unknownClient: number[] = [];
    const toInsert = [];
    for (const r of rows) {
      const clientId = known.get(r.taxId);
      if (clientId === undefined) unknownClient.push(r.line);
      else toInsert.push({ ...r, firmId, clientId });
    }
    const imported = toInsert.length > 0 ? await tx.insertImportedNotifications(toInsert, now) : 0;
    if (imported > 0) {
      await tx.audit({
        firmId,
        action: "notifications.imported",
        actor: { platform: "cli", id: "import" },
        details: { imported },
        now,
      });
    }
    return { imported, unchanged: toInsert.length - imported, unknownClient };
  });
}

/**
 * Imports a firm's own notifications from a CSV file (see DESIGN.md,
 * "Firm notifications import"). Malformed rows and rows of clients the firm
 * does not have are reported with their line; the rest are imported.
 * Importing the same file again adds nothing: the administration's id is
 * the key. Throws NOT_FOUND / CONFLICT for an unknown or ambiguous
 * workspace, INVALID when the file has no usable header.
 */
export async function importNotifications(
  deps: Deps,
  input: {
    workspaceId: string;
    data: Uint8Array;
    /** Lines of the file above the header (an export's title rows), ignored; line numbers still count them. */
    skipRows?: number;
  },
): Promise<ImportReport> {
  const skipRows = input.skipRows ?? 0;
  if (!Number.isInteger(skipRows) || skipRows < 0 || skipRows > SKIP_ROWS_MAX) {
    throw new ServiceError("INVALID", "import.skipRowsInvalid", { details: { max: SKIP_ROWS_MAX } });
  }
  const firm = await findFirmByWorkspace(deps, input.workspaceId);
  const { text, encoding } = decodeText(input.data);
  const delimiter = detectDelimiter(afterLines(text, skipRows));
  const { records, unterminatedQuoteLine } = parseCsv(text, delimiter);
  const nonBlank = records.filter((r) => r.line > skipRows && r.fields.some((f) => f.trim() !== ""));
  const [header, ...data] = nonBlank;
  if (!header) throw new ServiceError("INVALID", "import.noHeader");

  const columns = new Map<Column, number>();
  header.fields.forEach((name, i) => {
    const key = columnOf(name);
    if (key && !columns.has(key)) columns.set(key, i);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new ServiceError("INVALID", "import.missingColumns", { details: { columns: missing.join(", ") } });
  }
  // Trailing empty header cells (a trailing separator) do not widen the rows.
  let width = header.fields.length;
  while (width > 0 && (header.fields[width - 1] ?? "").trim() === "") width--;

  const rejected: ImportRejection[] = [];
  const rows: Row[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of data) {
    if (record.line === unterminatedQuoteLine) {
      rejected.push({ line: record.line, reason: "UNTERMINATED_QUOTE" });
      continue;
    }
    const row = readRow(columns, width, record);
    if ("reason" in row) {
      rejected.push(row);
      continue;
    }
    const first = firstLineOf.get(row.externalId);
    if (first !== undefined) {
      rejected.push({ line: row.line, reason: "DUPLICATE_ID", field: "id", params: { first } });
      continue;
    }
    firstLineOf.set(row.externalId, row.line);
    rows.push(row);
  }

  const result =
    rows.length > 0 ? await storeRows(deps, firm.id, rows) : { imported: 0, unchanged: 0, unknownClient: [] };
  for (const line of result.unknownClient) rejected.push({ line, reason: "UNKNOWN_CLIENT", field: "nif" });
  rejected.sort((a, b) => a.line - b.line);

  return {
    firm: { id: firm.id, name: firm.name },
    encoding,
    delimiter,
    rows: data.length,
    imported: result.imported,
    unchanged: result.unchanged,
    rejected,
  };
}
