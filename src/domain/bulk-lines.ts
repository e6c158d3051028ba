/**
 * The lines an advisor pastes into *Nuevo en bloque*: one client a line,
 * `NIF;Razón social;Correo electrónico;Persona de contacto;Teléfono`, or the
 * same columns tab-separated (copied from a spreadsheet). `,` is not a
 * separator: company names hold commas. Quoted fields (a CSV export) keep
 * their separators; a header line is skipped; blank lines are ignored. See
 * docs/architecture.md, "Forms".
 */

/** The columns, in order. */
export const BULK_COLUMNS = ["taxId", "name", "email", "contactPerson", "phone"] as const;

export type BulkColumn = (typeof BULK_COLUMNS)[number];

/** One pasted line with its columns (missing trailing columns are empty). */
export interface PastedLine {
  /** Its line number in the paste (1-based, blank lines counted), as the advisor sees it. */
  line: number;
  values: Record<BulkColumn, string>;
  /** More columns than the five. */
  extra: boolean;
}

/** Splits one line at `sep`, honouring double quotes ("" is a quote inside quotes). */
function splitLine(text: string, sep: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && atStart) {
      quoted = true;
      atStart = false;
    } else if (ch === sep) {
      out.push(cell);
      cell = "";
      atStart = true;
    } else {
      cell += ch;
      if (ch !== " ") atStart = false;
    }
  }
  out.push(cell);
  return out.map((c) => c.trim());
}

const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z]/g, "");

/** A header's first cell: "NIF", "CIF", "NIF/CIF", "DNI", "Tax id". */
const HEADER_FIRST = new Set(["nif", "cif", "nifcif", "cifnif", "dni", "taxid", "nifdelcliente"]);

/** The lines of a paste, without blank lines and the header. */
export function parseBulkLines(text: string): PastedLine[] {
  const out: PastedLine[] = [];
  const physical = text.split(/\r\n|\n|\r/);
  let first = true;
  physical.forEach((raw, i) => {
    if (raw.trim() === "") return;
    const cells = splitLine(raw, raw.includes("\t") ? "\t" : ";");
    if (first) {
      first = false;
      if (HEADER_FIRST.has(fold(cells[0] ?? ""))) return;
    }
    const values = Object.fromEntries(BULK_COLUMNS.map((c, n) => [c, cells[n] ?? ""])) as Record<BulkColumn, string>;
    out.push({ line: i + 1, values, extra: cells.slice(BULK_COLUMNS.length).some((c) => c !== "") });
  });
  return out;
}
