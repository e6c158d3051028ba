import iconv from "iconv-lite";

/**
 * CSV both ways. Reading the files firms export from their notification
 * tools: UTF-8 (with or without BOM) or Windows-1252, `;` or `,` separated,
 * RFC 4180 quoting ("" inside quotes, line breaks inside quotes). Writing
 * the firm's own export: see the end of the file.
 */

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else Windows-1252. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: "utf-8" | "windows-1252" } {
  try {
    // fatal: invalid sequences throw; the BOM is removed by default.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "windows-1252"), encoding: "windows-1252" };
  }
}

export interface CsvRecord {
  /** The physical line (1-based) the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvResult {
  records: CsvRecord[];
  /** A quote opened and never closed: the record starting on this line is cut. */
  unterminatedQuoteLine?: number;
}

/** `;` or `,`: whichever appears more often, outside quotes, in the first line. */
export function detectDelimiter(text: string): ";" | "," {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ";") semicolons++;
    else if (!quoted && ch === ",") commas++;
  }
  return semicolons >= commas && semicolons > 0 ? ";" : commas > 0 ? "," : ";";
}

/** The text after its first `lines` physical lines (titles above a header), for detecting the delimiter. */
export function afterLines(text: string, lines: number): string {
  let rest = text;
  for (let i = 0; i < lines && rest !== ""; i++) {
    const m = /\r\n|\n|\r/.exec(rest);
    rest = m ? rest.slice(m.index + m[0].length) : "";
  }
  return rest;
}

/**
 * A header cell as a column key: lower case, accents and punctuation
 * dropped, words joined by "_" ("Fecha máx. lectura" → "fecha_max_lectura").
 */
export function headerKey(cell: string): string {
  return cell
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Splits CSV text into records; blank lines are skipped (line numbers still count them). */
export function parseCsv(text: string, delimiter: string): CsvResult {
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  // Whether anything (even an empty quoted field) was seen in the current record.
  let started = false;
  const endRecord = () => {
    if (started || field !== "" || fields.length > 0) {
      fields.push(field);
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = "";
    started = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      started = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = "";
      started = true;
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    endRecord();
    return { records, unterminatedQuoteLine: recordLine };
  }
  endRecord();
  return { records };
}

/*
 * Writing CSV that Excel opens as it is (the firm's export,
 * docs/architecture.md, "Export"): UTF-8 with a BOM (without it Excel reads
 * Windows-1252), `;` separated (Excel's list separator in Spanish locales),
 * CRLF line ends.
 */

/** Excel reads the file as UTF-8 only when it starts with this. */
export const CSV_BOM = "\uFEFF";
export const CSV_DELIMITER = ";";

/** What a spreadsheet would read as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What makes a cell need quotes: the delimiter, a quote, a line break. */
const NEEDS_QUOTES = /[;"\r\n]/;

/** One cell: a leading `'` where a spreadsheet would see a formula, quoted when it holds `;`, `"` or a line break. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, CRLF-terminated. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(CSV_DELIMITER)}\r\n`;
}
