/**
 * Keyset cursors: the sort key of a page's last row, opaque to callers
 * (base64url of a small JSON array), tagged with the list it belongs to so
 * that one list's cursor is never read as another's. A cursor that does not
 * decode to exactly the expected shape (tampered, truncated, from another
 * list or from an older version) reads as "no cursor": the first page.
 */

/** Longer than any real key (a client name is at most 200 characters). */
const MAX_CURSOR_LENGTH = 2048;

type Part = "string" | "int" | "number";
type Value<P extends Part> = P extends "string" ? string : number;
type Values<S extends readonly Part[]> = { [K in keyof S]: Value<S[K]> };

export function encodeCursor(tag: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([tag, ...values])).toString("base64url");
}

function matches(part: Part, v: unknown): boolean {
  if (part === "string") return typeof v === "string";
  if (part === "int") return Number.isSafeInteger(v);
  return typeof v === "number" && Number.isFinite(v);
}

export function decodeCursor<const S extends readonly Part[]>(
  tag: string,
  shape: S,
  cursor: string | undefined,
): Values<S> | undefined {
  if (!cursor || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== tag) return undefined;
  const values = parsed.slice(1);
  return shape.every((part, i) => matches(part, values[i])) ? (values as Values<S>) : undefined;
}
