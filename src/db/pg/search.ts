import { and, asc, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { toClientRow } from "../licences.ts";
import { fold } from "../search.ts";
import type { ClientRow, Page } from "../types.ts";
import type { PgDb } from "./open.ts";
import { clients, licences } from "./schema.ts";

/** The same tag as SQLite's search (src/db/search.ts): a cursor means the same on both storages. */
const CURSOR = "search";

/** A LIKE pattern that finds `text` anywhere, its own % and _ taken literally (backslash is LIKE's default escape). */
const contains = (text: string) => `%${fold(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `buscar` on PostgreSQL, the first store method written for the async
 * interface (docs/architecture.md, "Two schemas"): the same rows and order
 * as SQLite's searchClients. `public.fold(column)` is written exactly as the
 * trigram indexes of migration 0001 are, so the planner can use them.
 */
export function pgSearchStore(db: PgDb) {
  const matches = (column: SQL | typeof clients.name | typeof clients.taxId, pattern: string) =>
    sql`public.fold(${column}) LIKE ${pattern}`;
  return {
    async searchClients(
      firmId: number,
      text: string,
      opts: { after?: string | undefined; limit: number },
    ): Promise<Page<ClientRow>> {
      const cursor = decodeCursor(CURSOR, ["string", "int"], opts.after);
      const compact = text.replace(/[\s.\-/]/g, "");
      const nifLike = /^[0-9A-Za-z]+$/.test(compact) && /\d/.test(compact);
      const rows = await db
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
        .limit(opts.limit + 1);
      const items = rows.slice(0, opts.limit).map(({ c, l }) => toClientRow(c, l));
      const last = items[items.length - 1];
      return rows.length > opts.limit && last ? { items, next: encodeCursor(CURSOR, [last.name, last.id]) } : { items };
    },
  };
}
