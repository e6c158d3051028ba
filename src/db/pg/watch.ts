import { and, asc, count, desc, eq, gt, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Area } from "../store/index.ts";
import type { WatchQuery, WatchReads, WatchStatements, WatchWrites } from "../store/watch.ts";
import type { Platform } from "../types.ts";
import { ALERTS_REF, advisorsByClient, alertsKey, parseAlertsChannel } from "../watch.ts";
import { pgExportReads, pgExportWrites } from "./export.ts";
import {
  activationRequests,
  auditEvents,
  clients,
  firms,
  installations,
  licences,
  notifications,
  storedRefs,
  watchItems,
  watchRuns,
  workspaces,
} from "./schema.ts";
import type { PgConn } from "./store.ts";

/** Items recorded per statement after a run (one multi-row upsert each). */
const ITEM_BATCH = 500;

const lastContact = sql<number>`coalesce(${installations.lastSeenAt}, ${licences.linkedAt}, ${clients.selfManagedAt})`;

/**
 * The watch area on PostgreSQL (src/db/store/watch.ts): the same rows and
 * order as SQLite's (src/db/watch.ts). The literal conditions
 * (`state = 'active'`, `self_managed = true`, `handled_at IS NULL`) are
 * written as the partial indexes of the PostgreSQL migrations say them, so
 * the planner can use those indexes.
 */
export function pgWatchArea(db: PgConn): Area<WatchReads, WatchWrites, WatchStatements> {
  /**
   * An item is left out when the firm muted it, or (for the run, `fresh`)
   * when it was sent with the same signature; see src/db/watch.ts.
   */
  const skipped = (w: WatchQuery, key: SQL, signature?: SQL) =>
    signature
      ? sql`not exists (select 1 from ${watchItems} where ${watchItems.firmId} = ${w.firmId} and ${watchItems.itemKey} = ${key} and ${watchItems.signature} = ${signature}${w.fresh ? sql`` : sql` and ${watchItems.mutedAt} is not null`})`
      : sql`not exists (select 1 from ${watchItems} where ${watchItems.firmId} = ${w.firmId} and ${watchItems.itemKey} = ${key} and ${watchItems.mutedAt} is not null)`;

  const where = (w: WatchQuery) => ({
    unactivated: and(
      eq(licences.firmId, w.firmId),
      isNull(licences.deletedAt),
      isNull(licences.installationId),
      sql`${licences.state} = 'active'`,
      sql`${licences.detailsSentAt} <= ${w.sentBefore}`,
      skipped(w, sql`'unactivated:' || ${licences.id}`, sql`cast(${licences.detailsSentAt} as text)`),
    ),
    silent: and(
      eq(clients.firmId, w.firmId),
      sql`${clients.selfManaged} = true`,
      sql`${lastContact} <= ${w.silentBefore}`,
      skipped(w, sql`'silent:' || ${licences.id}`, sql`cast(${lastContact} as text)`),
    ),
    deadline: and(
      eq(notifications.firmId, w.firmId),
      isNull(notifications.handledAt),
      sql`${notifications.fechaMaxLectura} >= ${w.deadlineFrom}`,
      sql`${notifications.fechaMaxLectura} < ${w.deadlineTo}`,
      sql`${clients.selfManaged} = false`,
      skipped(w, sql`'deadline:' || ${notifications.id}`),
    ),
  });

  const alertsValue = async (firmId: number, platform: Platform, lock: boolean) => {
    const query = db
      .select({ value: storedRefs.value })
      .from(storedRefs)
      .where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, alertsKey(firmId, platform))));
    const [row] = lock ? await query.for("no key update") : await query;
    return row?.value;
  };

  const reads: WatchReads = {
    async watchItems(w) {
      const c = where(w);
      const total = (rows: { n: number }[]) => rows[0]?.n ?? 0;
      // One after another: a read outside a unit holds one pooled connection, not six.
      const unactivated = await db
        .select({
          licenceId: licences.id,
          clientId: licences.clientId,
          clientName: clients.name,
          detailsSentAt: sql<number>`${licences.detailsSentAt}`.mapWith(Number),
        })
        .from(licences)
        .innerJoin(clients, eq(clients.id, licences.clientId))
        .where(c.unactivated)
        .orderBy(asc(licences.detailsSentAt))
        .limit(w.limit);
      const unactivatedCount = await db.select({ n: count() }).from(licences).where(c.unactivated);
      const silent = await db
        .select({
          licenceId: licences.id,
          clientId: clients.id,
          clientName: clients.name,
          lastContactAt: sql<number>`${lastContact}`.mapWith(Number),
        })
        .from(clients)
        .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
        .leftJoin(installations, eq(installations.id, licences.installationId))
        .where(c.silent)
        .orderBy(asc(clients.id))
        .limit(w.limit);
      const silentCount = await db
        .select({ n: count() })
        .from(clients)
        .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
        .leftJoin(installations, eq(installations.id, licences.installationId))
        .where(c.silent);
      const deadline = await db
        .select({
          notificationId: notifications.id,
          clientId: notifications.clientId,
          clientName: clients.name,
          organismo: notifications.organismo,
          asunto: notifications.asunto,
          fechaMaxLectura: sql<number>`${notifications.fechaMaxLectura}`.mapWith(Number),
        })
        .from(notifications)
        .innerJoin(clients, eq(clients.id, notifications.clientId))
        .where(c.deadline)
        .orderBy(asc(notifications.fechaMaxLectura))
        .limit(w.limit);
      const deadlineCount = await db
        .select({ n: count() })
        .from(notifications)
        .innerJoin(clients, eq(clients.id, notifications.clientId))
        .where(c.deadline);
      return {
        unactivated: { rows: unactivated, total: total(unactivatedCount) },
        silent: { rows: silent, total: total(silentCount) },
        deadline: { rows: deadline, total: total(deadlineCount) },
      };
    },

    async watchAdvisors(firmId, clientIds) {
      const ids = [...new Set(clientIds)];
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ clientId: auditEvents.clientId, platform: auditEvents.actorPlatform, userId: auditEvents.actorId })
        .from(auditEvents)
        .where(
          and(
            inArray(auditEvents.clientId, ids),
            eq(auditEvents.firmId, firmId),
            inArray(auditEvents.action, ["licence.created", "licence.detailsSent"]),
          ),
        )
        .orderBy(asc(auditEvents.id));
      return advisorsByClient(
        rows.flatMap((r) => (r.clientId === null ? [] : [{ ...r, clientId: r.clientId }])),
        ids,
      );
    },

    async activeFirmIds(afterId, limit) {
      const rows = await db
        .select({ id: firms.id })
        .from(firms)
        .where(and(gt(firms.id, afterId), sql`${firms.activationState} = 'active'`))
        .orderBy(asc(firms.id))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    async watchWorkspaces(firmId) {
      return await db
        .select({ platform: workspaces.platform, externalId: workspaces.externalId })
        .from(workspaces)
        .where(eq(workspaces.firmId, firmId))
        .orderBy(asc(workspaces.id));
    },

    async firmRequester(firmId) {
      const [row] = await db
        .select({ platform: activationRequests.platform, userId: activationRequests.requesterId })
        .from(activationRequests)
        .where(and(eq(activationRequests.firmId, firmId), eq(activationRequests.status, "approved")))
        .orderBy(desc(activationRequests.id))
        .limit(1);
      return row;
    },

    async alertsChannel(firmId, platform) {
      return parseAlertsChannel(await alertsValue(firmId, platform, false));
    },

    async findNotification(firmId, notificationId) {
      const [row] = await db
        .select({ id: notifications.id, clientId: notifications.clientId })
        .from(notifications)
        .where(and(eq(notifications.firmId, firmId), eq(notifications.id, notificationId)));
      return row;
    },

    ...pgExportReads(db),
  };

  const writes: WatchWrites = {
    async alertsChannelForUpdate(firmId, platform) {
      return parseAlertsChannel(await alertsValue(firmId, platform, true));
    },

    async putAlertsChannel(firmId, platform, channel, now) {
      const key = alertsKey(firmId, platform);
      if (channel) {
        const value = JSON.stringify(channel);
        await db
          .insert(storedRefs)
          .values({ kind: ALERTS_REF, key, value, updatedAt: now })
          .onConflictDoUpdate({ target: [storedRefs.kind, storedRefs.key], set: { value, updatedAt: now } });
      } else {
        await db.delete(storedRefs).where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, key)));
      }
    },

    async setWatchRunSent(firmId, day, messages) {
      await db
        .update(watchRuns)
        .set({ sent: messages })
        .where(and(eq(watchRuns.firmId, firmId), eq(watchRuns.day, day)));
    },

    async recordWatchItemsSent(firmId, items, now) {
      // In key order, so two units writing overlapping items lock their rows in the same order.
      const sorted = [...new Map(items.map((i) => [i.key, i])).values()].sort((a, b) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      );
      for (let i = 0; i < sorted.length; i += ITEM_BATCH) {
        await db
          .insert(watchItems)
          .values(
            sorted
              .slice(i, i + ITEM_BATCH)
              .map((item) => ({ firmId, itemKey: item.key, signature: item.signature, lastSentAt: now })),
          )
          .onConflictDoUpdate({
            target: [watchItems.firmId, watchItems.itemKey],
            set: { signature: sql`excluded.signature`, lastSentAt: now },
          });
      }
    },

    async muteWatchItem({ firmId, key, signature, mutedBy, now }) {
      await db
        .insert(watchItems)
        .values({ firmId, itemKey: key, signature, lastSentAt: now, mutedAt: now, mutedBy })
        .onConflictDoUpdate({
          target: [watchItems.firmId, watchItems.itemKey],
          set: { mutedAt: now, mutedBy, signature },
        });
    },

    ...pgExportWrites(db),
  };

  const statements: WatchStatements = {
    async claimWatchRun(firmId, day, now) {
      const claimed = await db
        .insert(watchRuns)
        .values({ firmId, day, claimedAt: now })
        .onConflictDoNothing()
        .returning({ firmId: watchRuns.firmId });
      return claimed.length === 1;
    },
  };

  return { reads, writes, statements };
}
