import { and, asc, count, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { linkOf, toExportRow } from "../export.ts";
import type { WatchReads, WatchWrites } from "../store/watch.ts";
import { clients, exportLinks, installations, licences } from "./schema.ts";
import type { PgConn } from "./store.ts";

/**
 * The export's reads on PostgreSQL, part of the watch area
 * (src/db/pg/watch.ts): the same rows and order as SQLite's
 * (src/db/export.ts), a keyset page over the clients' (firm_id, name) index.
 */
export function pgExportReads(db: PgConn): Pick<WatchReads, "exportPage" | "exportLink" | "liveExportLinks"> {
  return {
    async exportPage(firmId, after, limit) {
      const rows = await db
        .select({
          c: {
            id: clients.id,
            taxId: clients.taxId,
            name: clients.name,
            contactPerson: clients.contactPerson,
            email: clients.email,
            phone: clients.phone,
            selfManaged: clients.selfManaged,
            createdAt: clients.createdAt,
          },
          l: {
            number: licences.number,
            state: licences.state,
            installationId: licences.installationId,
            detailsSentAt: licences.detailsSentAt,
          },
          lastSeenAt: installations.lastSeenAt,
        })
        .from(clients)
        .leftJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
        .leftJoin(installations, eq(installations.id, licences.installationId))
        .where(
          and(
            eq(clients.firmId, firmId),
            after ? sql`(${clients.name}, ${clients.id}) > (${after.name}, ${after.id})` : undefined,
          ),
        )
        .orderBy(asc(clients.name), asc(clients.id))
        .limit(limit);
      return rows.map(toExportRow);
    },

    async exportLink(tokenHash) {
      const [link] = await db.select().from(exportLinks).where(eq(exportLinks.tokenHash, tokenHash));
      return link ? linkOf(link) : undefined;
    },

    async liveExportLinks(person, now) {
      const [live] = await db
        .select({ n: count() })
        .from(exportLinks)
        .where(
          and(
            eq(exportLinks.firmId, person.firmId),
            eq(exportLinks.platform, person.platform),
            eq(exportLinks.userId, person.userId),
            isNull(exportLinks.usedAt),
            gt(exportLinks.expiresAt, now),
          ),
        );
      return live?.n ?? 0;
    },
  };
}

/** The export's writes on PostgreSQL, inside a unit. */
export function pgExportWrites(
  db: PgConn,
): Pick<WatchWrites, "insertExportLink" | "purgeExportLinks" | "useExportLink"> {
  return {
    async insertExportLink(input) {
      await db.insert(exportLinks).values({
        tokenHash: input.tokenHash,
        firmId: input.firmId,
        platform: input.platform,
        userId: input.userId,
        locale: input.locale,
        expiresAt: input.expiresAt,
        createdAt: input.now,
      });
    },

    async purgeExportLinks(before) {
      await db.delete(exportLinks).where(lt(exportLinks.expiresAt, before));
    },

    async useExportLink(tokenHash, now) {
      // One statement: of concurrent requests, the first to lock the row sets used_at; the
      // others wait for it, read the row again (READ COMMITTED) and no longer match.
      const [used] = await db
        .update(exportLinks)
        .set({ usedAt: now })
        .where(and(eq(exportLinks.tokenHash, tokenHash), isNull(exportLinks.usedAt), gt(exportLinks.expiresAt, now)))
        .returning();
      return used ? linkOf(used) : undefined;
    },
  };
}
