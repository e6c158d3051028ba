import { and, asc, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { toClientRow } from "./licences.ts";
import type { Db } from "./open.ts";
import { clients, licences } from "./schema.ts";
import type { ClientRow, Page } from "./types.ts";

/** Lower case without accents or ñ's tilde: "García" and "garcia" match (the same fold on both sides). */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** The tag of a search's cursors (db/cursor.ts): the key is (name, id). */
const CURSOR = "search";

/** A LIKE pattern that finds `text` anywhere, its own % and _ taken literally. */
const contains = (text: string) => `%${fold(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Finding a firm's clients by part of a text. SQLite has no accent folding
 * of its own: `fold()` is registered on the connection (deterministic, so
 * SQLite may use it freely); a PostgreSQL store would use unaccent(lower()).
 */
export function searchStore(db: Db) {
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
    searchClients(firmId: number, text: string, opts: { after?: string | undefined; limit: number }): Page<ClientRow> {
      const cursor = decodeCursor(CURSOR, ["string", "int"], opts.after);
      // A NIF typed with its separators ("B-1234 5674"): compared without them, only when it looks like one.
      const compact = text.replace(/[\s.\-/]/g, "");
      const nifLike = /^[0-9A-Za-z]+$/.test(compact) && /\d/.test(compact);
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
              nifLike ? matches(clients.taxId, contains(compact)) : undefined,
            ),
            cursor
              ? or(gt(clients.name, cursor[0]), and(eq(clients.name, cursor[0]), gt(clients.id, cursor[1])))
              : undefined,
          ),
        )
        .orderBy(asc(clients.name), asc(clients.id))
        .limit(opts.limit + 1)
        .all();
      const items = rows.slice(0, opts.limit).map(({ c, l }) => toClientRow(c, l));
      const last = items[items.length - 1];
      return rows.length > opts.limit && last ? { items, next: encodeCursor(CURSOR, [last.name, last.id]) } : { items };
    },
  };
}
