import { and, asc, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { keysetPage, toClientRow } from "../licences.ts";
import { compactNif, contains, SEARCH_CURSOR } from "../search.ts";
import type { LicenceReads } from "../store/licences.ts";
import { clients, licences } from "./schema.ts";
import type { PgConn } from "./store.ts";

// `contains` escapes with a backslash, LIKE's default escape on PostgreSQL.

/**
 * `buscar` on PostgreSQL (part of the licences area, src/db/pg/licences.ts;
 * docs/architecture.md, "Storage: PostgreSQL"): the same rows and order
 * as SQLite's searchClients. `public.fold(column)` is written exactly as the
 * trigram indexes of migration 0001 are, so the planner can use them.
 */
export function pgSearchReads(db: PgConn): Pick<LicenceReads, "searchClients"> {
  const matches = (column: SQL | typeof clients.name | typeof clients.taxId, pattern: string) =>
    sql`public.fold(${column}) LIKE ${pattern}`;
  return {
    async searchClients(firmId, text, opts) {
      const cursor = decodeCursor(SEARCH_CURSOR, ["string", "int"], opts.after);
      const compact = compactNif(text);
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
              compact ? matches(clients.taxId, contains(compact)) : undefined,
            ),
            cursor
              ? or(gt(clients.name, cursor[0]), and(eq(clients.name, cursor[0]), gt(clients.id, cursor[1])))
              : undefined,
          ),
        )
        .orderBy(asc(clients.name), asc(clients.id))
        .limit(opts.limit + 1);
      return keysetPage(
        rows.map(({ c, l }) => toClientRow(c, l)),
        opts.limit,
        (last) => encodeCursor(SEARCH_CURSOR, [last.name, last.id]),
      );
    },
  };
}
