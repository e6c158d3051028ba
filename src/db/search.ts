import { and, asc, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { keysetPage, toClientRow } from "./licences.ts";
import type { Db } from "./open.ts";
import { clients, licences } from "./schema.ts";
import type { LicenceReads } from "./store/licences.ts";

/** Lower case without accents or ñ's tilde: "García" and "garcia" match (the same fold on both sides). */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** The tag of a search's cursors (db/cursor.ts): the key is (name, id); the same on both storages. */
export const SEARCH_CURSOR = "search";

/** A NIF typed with its separators ("B-1234 5674"): compared without them, only when it looks like one. */
export function compactNif(text: string): string | undefined {
  const compact = text.replace(/[\s.\-/]/g, "");
  return /^[0-9A-Za-z]+$/.test(compact) && /\d/.test(compact) ? compact : undefined;
}

/** A LIKE pattern that finds `text` anywhere, its own % and _ taken literally. */
export const contains = (text: string) => `%${fold(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Finding a firm's clients by part of a text. SQLite has no accent folding
 * of its own: `fold()` is registered on the connection (deterministic, so
 * SQLite may use it freely); PostgreSQL has `public.fold()` (src/db/pg/licences.ts).
 */
export function searchReads(db: Db): Pick<LicenceReads, "searchClients"> {
  db.$client.function("fold", { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? fold(value) : value,
  );
  const matches = (column: SQL | typeof clients.name | typeof clients.taxId, pattern: string) =>
    sql`fold(${column}) LIKE ${pattern} ESCAPE '\\'`;

  return {
    /**
     * The firm's clients whose razón social, NIF or contact e-mail contains
     * the text, accents and case ignored (a NIF also without its separators),
     * by name, keyset-paged, with the columns of the client list.
     */
    async searchClients(firmId, text, opts) {
      const cursor = decodeCursor(SEARCH_CURSOR, ["string", "int"], opts.after);
      const compact = compactNif(text);
      const rows = db
        .select({ c: clients, l: licences })
        .from(clients)
        .leftJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
        .where(
          and(
            eq(clients.firmId, firmId),
            or(
              matches(clients.name, contains(text)),
              matches(sql`coalesce(${clients.email}, '')`, contains(text)),
              compact ? matches(clients.taxId, contains(compact)) : undefined,
            ),
            cursor
              ? or(gt(clients.name, cursor[0]), and(eq(clients.name, cursor[0]), gt(clients.id, cursor[1])))
              : undefined,
          ),
        )
        .orderBy(asc(clients.name), asc(clients.id))
        .limit(opts.limit + 1)
        .all();
      return keysetPage(
        rows.map(({ c, l }) => toClientRow(c, l)),
        opts.limit,
        (last) => encodeCursor(SEARCH_CURSOR, [last.name, last.id]),
      );
    },
  };
}
