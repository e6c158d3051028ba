import { and, asc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { audit } from "./audit.ts";
import type { Db } from "./open.ts";
import { clients, exportLinks, installations, licences } from "./schema.ts";
import type { AuditActor, Platform } from "./types.ts";

/** One client as the export writes it: its data, its live licence, its current installation's last contact. */
export interface ExportRow {
  id: number;
  taxId: string;
  name: string;
  contactPerson: string | null;
  email: string | null;
  phone: string | null;
  selfManaged: boolean;
  createdAt: number;
  licence: {
    number: string;
    state: "active" | "deactivated";
    linked: boolean;
    detailsSentAt: number | null;
    /** The bound installation's last validation or report (null when none or never). */
    lastSeenAt: number | null;
  } | null;
}

/** Who asked for a link, and where (the CSV's language is theirs). */
export interface ExportLink {
  firmId: number;
  platform: Platform;
  userId: string;
  locale: string;
}

/** What opening a link found; only `ready` serves the CSV, and only once. */
export type ExportClaim =
  | ({ status: "ready" } & ExportLink)
  | { status: "used" | "expired"; locale: string }
  | { status: "unknown" };

/** Expired links are kept this long (a late click still reads "caducado"), then purged. */
const KEEP_EXPIRED_MS = 24 * 3_600_000;

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

/**
 * The firm's export (docs/architecture.md, "Export"): single-use links,
 * stored by the SHA-256 of their secret, and the pages the CSV is written from.
 */
export function exportStore(db: Db) {
  const q = exportQueries(db);
  return {
    /**
     * Stores a new link unless the person already has `maxLive` unused,
     * unexpired ones; purges links expired long ago first, so the table holds
     * only the last day's links and counting a person's is cheap.
     */
    createExportLink(input: ExportLink & { tokenHash: string; expiresAt: number; now: number; maxLive: number }): {
      created: boolean;
    } {
      return db.transaction(
        (tx) => {
          tx.delete(exportLinks)
            .where(lt(exportLinks.expiresAt, input.now - KEEP_EXPIRED_MS))
            .run();
          const live = tx
            .select({ n: sql<number>`count(*)` })
            .from(exportLinks)
            .where(
              and(
                eq(exportLinks.firmId, input.firmId),
                eq(exportLinks.platform, input.platform),
                eq(exportLinks.userId, input.userId),
                isNull(exportLinks.usedAt),
                gt(exportLinks.expiresAt, input.now),
              ),
            )
            .get();
          if ((live?.n ?? 0) >= input.maxLive) return { created: false };
          tx.insert(exportLinks)
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
          const actor: AuditActor = { platform: input.platform, id: input.userId };
          audit(tx, { firmId: input.firmId, action: "firm.exported", actor, now: input.now });
          return { created: true };
        },
        { behavior: "immediate" },
      );
    },

    /**
     * Opens a link: read and marked used in one transaction, so of two
     * requests at once exactly one finds it ready. Audited when it is.
     */
    claimExportLink(tokenHash: string, now: number): ExportClaim {
      return db.transaction(
        (tx): ExportClaim => {
          const link = tx.select().from(exportLinks).where(eq(exportLinks.tokenHash, tokenHash)).get();
          if (!link) return { status: "unknown" };
          if (link.usedAt !== null) return { status: "used", locale: link.locale };
          if (link.expiresAt <= now) return { status: "expired", locale: link.locale };
          const claimed = tx
            .update(exportLinks)
            .set({ usedAt: now })
            .where(and(eq(exportLinks.tokenHash, tokenHash), isNull(exportLinks.usedAt)))
            .run();
          if (claimed.changes !== 1) return { status: "used", locale: link.locale };
          audit(tx, {
            firmId: link.firmId,
            action: "firm.exportDownloaded",
            actor: { platform: link.platform, id: link.userId },
            now,
          });
          return {
            status: "ready",
            firmId: link.firmId,
            platform: link.platform,
            userId: link.userId,
            locale: link.locale,
          };
        },
        { behavior: "immediate" },
      );
    },

    /** One page of the firm's clients by name, after the (name, id) of the previous page's last row. */
    exportPage(firmId: number, after: { name: string; id: number } | undefined, limit: number): ExportRow[] {
      const rows = after
        ? q.exportPageAfter.all({ firmId, limit, name: after.name, id: after.id })
        : q.exportPage.all({ firmId, limit });
      return rows.map(({ c, l, lastSeenAt }) => ({
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
      }));
    },
  };
}
