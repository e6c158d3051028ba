import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { BATCH, notificationPage, toInstallationRow, toLicenceStanding } from "../client-app.ts";
import { decodeCursor } from "../cursor.ts";
import type { ClientAppReads, ClientAppStatements, ClientAppWrites, TokenLookup } from "../store/client-app.ts";
import type { Area } from "../store/index.ts";
import type { FailureWindow } from "../types.ts";
import { clients, firms, installations, licences, notifications, rateLimits } from "./schema.ts";
import type { PgConn } from "./store.ts";

type TokenRow = {
  i: typeof installations.$inferSelect;
  l: typeof licences.$inferSelect;
  firmState: TokenLookup["firmState"];
};
const toTokenLookup = (row: TokenRow): TokenLookup => ({
  installation: toInstallationRow(row.i),
  licence: toLicenceStanding(row.l),
  firmState: row.firmState,
});

/**
 * The client-app area on PostgreSQL (docs/architecture.md, "Storage:
 * PostgreSQL", "Lock order"): the same rows as SQLite's, the locks the
 * rules rest on taken by the `…ForUpdate`/`…ForShare` reads.
 */
export function pgClientAppArea(db: PgConn): Area<ClientAppReads, ClientAppWrites, ClientAppStatements> {
  return {
    reads: {
      async installationByToken(tokenHash, limitKey) {
        const [row] = await db
          .select({
            i: installations,
            l: licences,
            firmState: firms.activationState,
            windowStart: rateLimits.windowStart,
            failures: rateLimits.count,
          })
          .from(installations)
          .innerJoin(licences, eq(licences.id, installations.licenceId))
          .innerJoin(firms, eq(firms.id, licences.firmId))
          .leftJoin(rateLimits, eq(rateLimits.key, limitKey ?? ""))
          .where(eq(installations.tokenHash, tokenHash));
        const window =
          limitKey !== undefined && row?.windowStart != null && row.failures != null
            ? { windowStart: row.windowStart, count: row.failures }
            : undefined;
        return { found: row ? toTokenLookup(row) : undefined, window };
      },

      async installation(id) {
        const [row] = await db.select().from(installations).where(eq(installations.id, id));
        return row ? toInstallationRow(row) : undefined;
      },

      async clientIdsByTaxId(firmId, taxIds) {
        const known = new Map<string, number>();
        const unique = [...new Set(taxIds)];
        for (let i = 0; i < unique.length; i += BATCH) {
          const rows = await db
            .select({ id: clients.id, taxId: clients.taxId })
            .from(clients)
            .where(and(eq(clients.firmId, firmId), inArray(clients.taxId, unique.slice(i, i + BATCH))));
          for (const c of rows) known.set(c.taxId, c.id);
        }
        return known;
      },

      async listNotifications(firmId, opts) {
        const cursor = decodeCursor("n", ["number", "int"], opts.after);
        const rows = await db
          .select({ n: notifications, clientName: clients.name, clientTaxId: clients.taxId })
          .from(notifications)
          .innerJoin(clients, eq(clients.id, notifications.clientId))
          .where(
            and(
              opts.clientId === undefined ? undefined : eq(notifications.clientId, opts.clientId),
              eq(notifications.firmId, firmId),
              cursor
                ? sql`(${notifications.fechaPuestaDisposicion}, ${notifications.id}) < (${cursor[0]}, ${cursor[1]})`
                : undefined,
            ),
          )
          .orderBy(desc(notifications.fechaPuestaDisposicion), desc(notifications.id))
          .limit(opts.limit + 1);
        return notificationPage(rows, opts.limit);
      },

      async failureCounts(keys, now, windowMs) {
        const out = new Map<string, FailureWindow>();
        if (keys.length === 0) return out;
        const rows = await db
          .select({ key: rateLimits.key, windowStart: rateLimits.windowStart, count: rateLimits.count })
          .from(rateLimits)
          .where(inArray(rateLimits.key, keys));
        for (const r of rows) {
          if (now - r.windowStart < windowMs) out.set(r.key, { windowStart: r.windowStart, count: r.count });
        }
        return out;
      },
    },

    writes: {
      async licenceByNumberForUpdate(number) {
        const [row] = await db
          .select({ l: licences, clientTaxId: clients.taxId, firmState: firms.activationState })
          .from(licences)
          .innerJoin(clients, eq(clients.id, licences.clientId))
          .innerJoin(firms, eq(firms.id, licences.firmId))
          .where(and(eq(licences.number, number), isNull(licences.deletedAt)))
          .for("no key update", { of: licences });
        return row
          ? { licence: toLicenceStanding(row.l), clientTaxId: row.clientTaxId, firmState: row.firmState }
          : undefined;
      },

      async installationByTokenForShare(tokenHash) {
        // The licence is named first, so it is locked before its installation (the lock order).
        const [row] = await db
          .select({ l: licences, i: installations, firmState: firms.activationState })
          .from(licences)
          .innerJoin(installations, eq(installations.licenceId, licences.id))
          .innerJoin(firms, eq(firms.id, licences.firmId))
          .where(eq(installations.tokenHash, tokenHash))
          .for("share", { of: [licences, installations] });
        return row ? toTokenLookup(row) : undefined;
      },

      async insertInstallation(row) {
        const [inserted] = await db
          .insert(installations)
          .values({
            licenceId: row.licenceId,
            installationKey: row.installationKey,
            tokenHash: row.tokenHash,
            createdAt: row.now,
            lastSeenAt: row.now,
          })
          .returning({ id: installations.id });
        if (!inserted) throw new Error("insert into installations returned no row");
        return inserted.id;
      },

      async linkLicence(licenceId, installationId, now) {
        await db
          .update(licences)
          .set({ installationId, linkedAt: now, updatedAt: now })
          .where(eq(licences.id, licenceId));
      },

      async renewInstallationToken(installationId, tokenHash, now) {
        await db.update(installations).set({ tokenHash, lastSeenAt: now }).where(eq(installations.id, installationId));
      },

      async insertReportedNotifications(rows, now) {
        const created = new Set<string>();
        for (let i = 0; i < rows.length; i += BATCH) {
          const inserted = await db
            .insert(notifications)
            .values(
              rows.slice(i, i + BATCH).map((n) => ({
                firmId: n.firmId,
                clientId: n.clientId,
                externalId: n.externalId,
                organismo: n.organismo,
                asunto: n.asunto,
                fechaPuestaDisposicion: n.fechaPuestaDisposicion,
                fechaMaxLectura: n.fechaMaxLectura ?? null,
                estado: n.estado,
                selfManaged: true,
                handledAt: now,
                createdAt: now,
              })),
            )
            .onConflictDoNothing({ target: [notifications.firmId, notifications.externalId] })
            .returning({ externalId: notifications.externalId });
          for (const r of inserted) created.add(r.externalId);
        }
        return created;
      },

      async markNotificationSelfManaged(row, now) {
        const res = await db
          .update(notifications)
          .set({ selfManaged: true, handledAt: now, estado: row.estado })
          .where(
            and(
              eq(notifications.firmId, row.firmId),
              eq(notifications.externalId, row.externalId),
              eq(notifications.clientId, row.clientId),
              eq(notifications.selfManaged, false),
            ),
          );
        return res.rowCount === 1;
      },

      async insertImportedNotifications(rows, now) {
        let imported = 0;
        for (let i = 0; i < rows.length; i += BATCH) {
          const res = await db
            .insert(notifications)
            .values(
              rows.slice(i, i + BATCH).map((r) => ({
                firmId: r.firmId,
                clientId: r.clientId,
                externalId: r.externalId,
                organismo: r.organismo,
                asunto: r.asunto,
                fechaPuestaDisposicion: r.fechaPuestaDisposicion,
                fechaMaxLectura: r.fechaMaxLectura ?? null,
                estado: r.estado,
                createdAt: now,
              })),
            )
            .onConflictDoNothing({ target: [notifications.firmId, notifications.externalId] });
          imported += res.rowCount ?? 0;
        }
        return imported;
      },
    },

    statements: {
      async touchInstallation(installationId, now) {
        await db.update(installations).set({ lastSeenAt: now }).where(eq(installations.id, installationId));
      },

      async recordFailure(keys, now, windowMs) {
        for (const key of keys) {
          await db
            .insert(rateLimits)
            .values({ key, windowStart: now, count: 1 })
            .onConflictDoUpdate(pgFailureUpsert(now, windowMs));
        }
      },

      async purgeFailures(before) {
        // A bounded batch, skipping rows another instance is counting on just now.
        await db.execute(
          sql`DELETE FROM ${rateLimits} WHERE ${rateLimits.key} IN (SELECT ${rateLimits.key} FROM ${rateLimits} WHERE ${rateLimits.windowStart} < ${before} LIMIT 500 FOR UPDATE SKIP LOCKED)`,
        );
      },
    },
  };
}

/** SQLite's upsert of a failed attempt (src/db/client-app.ts, `failureUpsert`), on this schema's table. */
function pgFailureUpsert(now: number, windowMs: number) {
  const expired = sql`${rateLimits.windowStart} <= ${now - windowMs}`;
  return {
    target: rateLimits.key,
    set: {
      count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
      windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${rateLimits.windowStart} END`,
    },
  };
}
