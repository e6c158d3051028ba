import { and, asc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { clients, exportLinks, installations, licences } from "./schema.ts";
import type { ExportLinkRow, ExportRow, WatchReads, WatchWrites } from "./store/watch.ts";

const p = sql.placeholder;

/**
 * The export's page query, prepared once: the clients' (firm_id, name)
 * index in name order, one probe for the live licence and one for its
 * installation (primary key). test/core/query-plans.test.ts checks the plan.
 */
export function exportQueries(db: Db) {
  const page = (after: boolean) =>
    db
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
          eq(clients.firmId, p("firmId")),
          after ? sql`(${clients.name}, ${clients.id}) > (${p("name")}, ${p("id")})` : undefined,
        ),
      )
      .orderBy(asc(clients.name), asc(clients.id))
      .limit(p("limit"))
      .prepare();
  return { exportPage: page(false), exportPageAfter: page(true) };
}

/** Export rows from a page query's rows (the same shape on both storages). */
export function toExportRow(row: {
  c: Omit<ExportRow, "licence">;
  l: {
    number: string;
    state: "active" | "deactivated";
    installationId: number | null;
    detailsSentAt: number | null;
  } | null;
  lastSeenAt: number | null;
}): ExportRow {
  const { c, l, lastSeenAt } = row;
  return {
    ...c,
    licence: l
      ? {
          number: l.number,
          state: l.state,
          linked: l.installationId !== null,
          detailsSentAt: l.detailsSentAt,
          lastSeenAt: l.installationId !== null ? lastSeenAt : null,
        }
      : null,
  };
}

/**
 * The export's reads on SQLite (docs/architecture.md, "Export"): single-use
 * links, stored by the SHA-256 of their secret, and the pages the CSV is
 * written from. Part of the watch area (src/db/watch.ts).
 */
export function exportReads(db: Db): Pick<WatchReads, "exportPage" | "exportLink" | "liveExportLinks"> {
  const q = exportQueries(db);
  return {
    async exportPage(firmId, after, limit) {
      const rows = after
        ? q.exportPageAfter.all({ firmId, limit, name: after.name, id: after.id })
        : q.exportPage.all({ firmId, limit });
      return rows.map(toExportRow);
    },

    async exportLink(tokenHash) {
      const link = db.select().from(exportLinks).where(eq(exportLinks.tokenHash, tokenHash)).get();
      return link ? linkOf(link) : undefined;
    },

    async liveExportLinks(person, now) {
      const live = db
        .select({ n: sql<number>`count(*)` })
        .from(exportLinks)
        .where(
          and(
            eq(exportLinks.firmId, person.firmId),
            eq(exportLinks.platform, person.platform),
            eq(exportLinks.userId, person.userId),
            isNull(exportLinks.usedAt),
            gt(exportLinks.expiresAt, now),
          ),
        )
        .get();
      return live?.n ?? 0;
    },
  };
}

/** The export's writes on SQLite, inside a unit. */
export function exportWrites(db: Db): Pick<WatchWrites, "insertExportLink" | "purgeExportLinks" | "useExportLink"> {
  return {
    async insertExportLink(input) {
      db.insert(exportLinks)
        .values({
          tokenHash: input.tokenHash,
          firmId: input.firmId,
          platform: input.platform,
          userId: input.userId,
          locale: input.locale,
          expiresAt: input.expiresAt,
          createdAt: input.now,
        })
        .run();
    },

    async purgeExportLinks(before) {
      db.delete(exportLinks).where(lt(exportLinks.expiresAt, before)).run();
    },

    async useExportLink(tokenHash, now) {
      const used = db
        .update(exportLinks)
        .set({ usedAt: now })
        .where(and(eq(exportLinks.tokenHash, tokenHash), isNull(exportLinks.usedAt), gt(exportLinks.expiresAt, now)))
        .returning()
        .get();
      return used ? linkOf(used) : undefined;
    },
  };
}

/** A link row of either schema, as the interface has it. */
export function linkOf(row: ExportLinkRow): ExportLinkRow {
  return {
    firmId: row.firmId,
    platform: row.platform,
    userId: row.userId,
    locale: row.locale,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
  };
}
