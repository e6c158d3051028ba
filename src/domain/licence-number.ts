/**
 * Licence numbers, frozen by the desktop app: 19 random characters of
 * Crockford's base32 plus one Luhn mod 32 check character, shown as
 * XXXXX-XXXXX-XXXXX-XXXXX.
 */

export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const N = ALPHABET.length;
export const RANDOM_LENGTH = 19;
export const NUMBER_LENGTH = RANDOM_LENGTH + 1;

/** A source of random bytes, injected so tests can repeat themselves. */
export type RandomBytes = (size: number) => Uint8Array;

function codePoint(ch: string): number {
  const i = ALPHABET.indexOf(ch);
  if (i < 0) throw new Error("character outside the alphabet");
  return i;
}

/** Luhn mod N check character for a string of alphabet characters. */
export function checkCharacter(payload: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = payload.length - 1; i >= 0; i--) {
    let addend = factor * codePoint(payload[i] as string);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return ALPHABET[(N - (sum % N)) % N] as string;
}

function hasValidCheck(full: string): boolean {
  return checkCharacter(full.slice(0, -1)) === full.slice(-1);
}

/** A new licence number in canonical form (20 characters, no hyphens). */
export function generateLicenceNumber(randomBytes: RandomBytes): string {
  const bytes = randomBytes(RANDOM_LENGTH);
  let payload = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    // 256 is a multiple of 32, so the low five bits are uniform.
    payload += ALPHABET[(bytes[i] ?? 0) & 31];
  }
  return payload + checkCharacter(payload);
}

/**
 * Reads what a person typed: any case, spaces and hyphens ignored, I/L read
 * as 1 and O as 0. Returns the canonical form, or undefined when it is not a
 * well-formed licence number (wrong length, foreign character, bad check).
 */
export function parseLicenceNumber(input: string): string | undefined {
  const canonical = input.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  if (canonical.length !== NUMBER_LENGTH) return undefined;
  for (const ch of canonical) if (!ALPHABET.includes(ch)) return undefined;
  return hasValidCheck(canonical) ? canonical : undefined;
}

/** XXXXX-XXXXX-XXXXX-XXXXX */
export function formatLicenceNumber(canonical: string): string {
  return canonical.match(/.{1,5}/g)?.join("-") ?? canonical;
}

/** Something shaped like a licence number (used to redact logs). */
export const LICENCE_NUMBER_PATTERN = /\b[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}\b/g;
