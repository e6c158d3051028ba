import { newDni } from "./fixtures.ts";

/** A realistic client line (about 95 characters): a company name with a comma, an e-mail, a contact, a phone. */
function client(n: number, taxId: string): string[] {
  return [taxId, `Reformas Martínez ${n}, S.L.`, `admin${n}@reformasmartinez.es`, `María García ${n}`, "912 345 678"];
}

export interface BulkPaste {
  /** The two paste fields (Slack takes 3000 characters in each). */
  lines: string;
  more: string;
  /** The lines that must be refused, by line number, with the text of their error. */
  bad: { line: number; error: string }[];
  /** The tax ids that must get a licence. */
  good: string[];
}

/**
 * 50 lines, 5 of them bad: a wrong NIF (line 3), a bad e-mail (10), no
 * company name (20), a client that already has a licence (30), a NIF
 * repeated from line 5 (40). Split in the form's two fields at line 25.
 */
export function bulkPaste(existingTaxId: string, sep: ";" | "\t" = ";"): BulkPaste {
  const rows: string[][] = [];
  const good: string[] = [];
  const bad: BulkPaste["bad"] = [];
  for (let line = 1; line <= 50; line++) {
    const taxId = newDni();
    const row = client(line, taxId);
    if (line === 3) {
      row[0] = "B1234567X";
      bad.push({ line, error: "El NIF/CIF no es válido" });
    } else if (line === 10) {
      row[2] = "administracion@";
      bad.push({ line, error: "El correo electrónico no es válido." });
    } else if (line === 20) {
      row[1] = "";
      bad.push({ line, error: "Escribe la razón social." });
    } else if (line === 30) {
      row[0] = existingTaxId;
      bad.push({ line, error: "Este cliente ya tiene una Licencia PYME." });
    } else if (line === 40) {
      row[0] = rows[4]?.[0] ?? "";
      bad.push({ line, error: "NIF repetido: ya está en la línea 5." });
    } else {
      good.push(taxId);
    }
    rows.push(row);
  }
  const text = rows.map((r) => r.join(sep));
  return { lines: text.slice(0, 25).join("\n"), more: text.slice(25).join("\n"), bad, good };
}
