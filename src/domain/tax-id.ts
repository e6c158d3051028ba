/**
 * Spanish tax ids (NIF): DNI, NIE, the K/L/M personal NIFs and the legal
 * entities' NIF (formerly CIF), with their official check characters.
 */

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
const ENTITY_CONTROL_LETTERS = "JABCDEFGHI";

export type TaxIdKind = "DNI" | "NIE" | "NIF_KLM" | "ENTITY";

/** Upper case, without spaces, hyphens, dots or a leading "ES" country prefix. */
export function normaliseTaxId(input: string): string {
  const compact = input.toUpperCase().replace(/[\s\-./]/g, "");
  return /^ES[0-9A-Z]{9}$/.test(compact) ? compact.slice(2) : compact;
}

function entityControlDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = Number(digits[i]);
    if (i % 2 === 0) {
      const doubled = d * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    } else {
      sum += d;
    }
  }
  return (10 - (sum % 10)) % 10;
}

/** The kind of a normalised tax id, or undefined when it is not valid. */
export function taxIdKind(normalised: string): TaxIdKind | undefined {
  let m = /^(\d{8})([A-Z])$/.exec(normalised);
  if (m) {
    return DNI_LETTERS[Number(m[1]) % 23] === m[2] ? "DNI" : undefined;
  }
  m = /^([XYZ])(\d{7})([A-Z])$/.exec(normalised);
  if (m) {
    const prefix = String("XYZ".indexOf(m[1] as string));
    return DNI_LETTERS[Number(prefix + m[2]) % 23] === m[3] ? "NIE" : undefined;
  }
  m = /^([KLM])(\d{7})([A-Z])$/.exec(normalised);
  if (m) {
    return ENTITY_CONTROL_LETTERS[entityControlDigit(m[2] as string)] === m[3] ? "NIF_KLM" : undefined;
  }
  m = /^([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])$/.exec(normalised);
  if (m) {
    const [, first, digits, control] = m as unknown as [string, string, string, string];
    const digit = entityControlDigit(digits);
    const letter = ENTITY_CONTROL_LETTERS[digit];
    const byDigit = control === String(digit);
    const byLetter = control === letter;
    // Which form the control takes depends on the kind of entity.
    if ("ABEH".includes(first)) return byDigit ? "ENTITY" : undefined;
    if ("NPQRSW".includes(first)) return byLetter ? "ENTITY" : undefined;
    return byDigit || byLetter ? "ENTITY" : undefined;
  }
  return undefined;
}

export function isValidTaxId(input: string): boolean {
  return taxIdKind(normaliseTaxId(input)) !== undefined;
}

/** Something that looks like a tax id (used to redact logs), valid or not. */
export const TAX_ID_PATTERN =
  /\b(?:ES)?(?:\d{8}[A-Za-z]|[XYZxyz]\d{7}[A-Za-z]|[A-HJ-NP-SUVWa-hj-np-suvw]\d{7}[0-9A-Ja-j])\b/g;
