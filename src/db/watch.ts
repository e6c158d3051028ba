import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { exportReads, exportWrites } from "./export.ts";
import type { Db } from "./open.ts";
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
import type { Area } from "./store/index.ts";
import type { AlertsChannel, WatchQuery, WatchReads, WatchStatements, WatchWrites } from "./store/watch.ts";
import type { Platform } from "./types.ts";

/** Where a firm's alerts channel of a platform is kept (stored_refs), with the platform's reference to it. */
export const ALERTS_REF = "watch.alerts";
export const alertsKey = (firmId: number, platform: Platform) => `${firmId}:${platform}`;

/** A stored alerts channel, or undefined when it is missing or not one. */
export function parseAlertsChannel(value: string | undefined): AlertsChannel | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<AlertsChannel>;
    return typeof parsed.channelId === "string" && typeof parsed.ref === "string"
      ? { channelId: parsed.channelId, ref: parsed.ref }
      : undefined;
  } catch {
    return undefined;
  }
}

/** One advisor per platform and user, for each client, from the trail's rows. */
export function advisorsByClient(
  rows: { clientId: number; platform: string; userId: string }[],
  clientIds: number[],
): Map<number, { platform: Platform; userId: string }[]> {
  const out = new Map<number, Map<string, { platform: Platform; userId: string }>>();
  for (const clientId of clientIds) out.set(clientId, new Map());
  for (const r of rows) {
    if (r.platform === "slack" || r.platform === "teams") {
      out.get(r.clientId)?.set(`${r.platform}:${r.userId}`, { platform: r.platform, userId: r.userId });
    }
  }
  return new Map([...out].map(([clientId, seen]) => [clientId, [...seen.values()]]));
}

/** The item keys of watch_items (docs/architecture.md, "The daily watch"). */
export const itemKey = {
  unactivated: (licenceId: number) => `unactivated:${licenceId}`,
  silent: (licenceId: number) => `silent:${licenceId}`,
  deadline: (notificationId: number) => `deadline:${notificationId}`,
};

const p = sql.placeholder;

/**
 * An item is left out when the firm muted it, or (for the run, `fresh` = 1)
 * when it was sent, with the same signature (the instant it counts from: a
 * new sending or a new contact makes it another item, muted or not; a
 * muted deadline stays muted). watch_items is probed by its
 * primary key (firm_id, item_key), once per candidate row.
 */
const skipped = (key: ReturnType<typeof sql>, signature?: ReturnType<typeof sql>) =>
  signature
    ? sql`not exists (select 1 from ${watchItems} where ${watchItems.firmId} = ${p("firmId")} and ${watchItems.itemKey} = ${key} and ${watchItems.signature} = ${signature} and (${watchItems.mutedAt} is not null or ${p("fresh")} = 1))`
    : sql`not exists (select 1 from ${watchItems} where ${watchItems.firmId} = ${p("firmId")} and ${watchItems.itemKey} = ${key} and ${watchItems.mutedAt} is not null)`;

const lastContact = sql<number>`coalesce(${installations.lastSeenAt}, ${licences.linkedAt}, ${clients.selfManagedAt})`;

/**
 * The watch's queries, prepared once per database. Each walks a partial
 * index of migration 0004 that holds only the rows the watch may report
 * (sent and not activated; self-managed; not handled), so a firm with 100k
 * licences reads a few rows; test/core/query-plans.test.ts checks the plans.
 */
export function watchQueries(db: Db) {
  const unactivatedWhere = and(
    eq(licences.firmId, p("firmId")),
    isNull(licences.deletedAt),
    isNull(licences.installationId),
    // Literal, not a parameter: the partial index licences_unactivated says the same.
    sql`${licences.state} = 'active'`,
    sql`${licences.detailsSentAt} <= ${p("sentBefore")}`,
    skipped(sql`'unactivated:' || ${licences.id}`, sql`cast(${licences.detailsSentAt} as text)`),
  );
  const silentWhere = and(
    eq(clients.firmId, p("firmId")),
    sql`${clients.selfManaged} = 1`,
    sql`${lastContact} <= ${p("silentBefore")}`,
    skipped(sql`'silent:' || ${licences.id}`, sql`cast(${lastContact} as text)`),
  );
  const deadlineWhere = and(
    eq(notifications.firmId, p("firmId")),
    isNull(notifications.handledAt),
    sql`${notifications.fechaMaxLectura} >= ${p("deadlineFrom")}`,
    sql`${notifications.fechaMaxLectura} < ${p("deadlineTo")}`,
    sql`${clients.selfManaged} = 0`,
    // No signature: a deadline comes a day closer every day, so it is news every day until handled.
    skipped(sql`'deadline:' || ${notifications.id}`),
  );
  const silentFrom = () =>
    db
      .select({
        licenceId: licences.id,
        clientId: clients.id,
        clientName: clients.name,
        lastContactAt: lastContact,
      })
      .from(clients)
      .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
      .leftJoin(installations, eq(installations.id, licences.installationId));
  return {
    watchUnactivated: db
      .select({
        licenceId: licences.id,
        clientId: licences.clientId,
        clientName: clients.name,
        detailsSentAt: sql<number>`${licences.detailsSentAt}`,
      })
      .from(licences)
      .innerJoin(clients, eq(clients.id, licences.clientId))
      .where(unactivatedWhere)
      .orderBy(asc(licences.detailsSentAt))
      .limit(p("limit"))
      .prepare(),
    watchUnactivatedCount: db.select({ n: count() }).from(licences).where(unactivatedWhere).prepare(),
    watchSilent: silentFrom().where(silentWhere).orderBy(asc(clients.id)).limit(p("limit")).prepare(),
    watchSilentCount: db
      .select({ n: count() })
      .from(clients)
      .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
      .leftJoin(installations, eq(installations.id, licences.installationId))
      .where(silentWhere)
      .prepare(),
    watchDeadlines: db
      .select({
        notificationId: notifications.id,
        clientId: notifications.clientId,
        clientName: clients.name,
        organismo: notifications.organismo,
        asunto: notifications.asunto,
        fechaMaxLectura: sql<number>`${notifications.fechaMaxLectura}`,
      })
      .from(notifications)
      .innerJoin(clients, eq(clients.id, notifications.clientId))
      .where(deadlineWhere)
      .orderBy(asc(notifications.fechaMaxLectura))
      .limit(p("limit"))
      .prepare(),
    watchDeadlinesCount: db
      .select({ n: count() })
      .from(notifications)
      .innerJoin(clients, eq(clients.id, notifications.clientId))
      .where(deadlineWhere)
      .prepare(),
    /** Who created or sent a client's licences, from its trail (audit_client_trail). */
    watchAdvisors: db
      .select({ platform: auditEvents.actorPlatform, userId: auditEvents.actorId })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.clientId, p("clientId")),
          eq(auditEvents.firmId, p("firmId")),
          inArray(auditEvents.action, ["licence.created", "licence.detailsSent"]),
        ),
      )
      .prepare(),
    activeFirmsAfter: db
      .select({ id: firms.id })
      .from(firms)
      .where(and(gt(firms.id, p("id")), sql`${firms.activationState} = 'active'`))
      .orderBy(asc(firms.id))
      .limit(p("limit"))
      .prepare(),
  };
}

/** The watch area on SQLite (src/db/store/watch.ts). */
export function watchArea(db: Db): Area<WatchReads, WatchWrites, WatchStatements> {
  const q = watchQueries(db);
  const args = (w: WatchQuery) => ({ ...w, fresh: w.fresh ? 1 : 0 });
  const alertsValue = (firmId: number, platform: Platform) =>
    db
      .select({ value: storedRefs.value })
      .from(storedRefs)
      .where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, alertsKey(firmId, platform))))
      .get()?.value;

  const reads: WatchReads = {
    async watchItems(w) {
      const a = args(w);
      return {
        unactivated: { rows: q.watchUnactivated.all(a), total: q.watchUnactivatedCount.get(a)?.n ?? 0 },
        silent: { rows: q.watchSilent.all(a), total: q.watchSilentCount.get(a)?.n ?? 0 },
        deadline: { rows: q.watchDeadlines.all(a), total: q.watchDeadlinesCount.get(a)?.n ?? 0 },
      };
    },

    async watchAdvisors(firmId, clientIds) {
      const ids = [...new Set(clientIds)];
      const rows = ids.flatMap((clientId) =>
        q.watchAdvisors.all({ firmId, clientId }).map((r) => ({ clientId, ...r })),
      );
      return advisorsByClient(rows, ids);
    },

    async activeFirmIds(afterId, limit) {
      return q.activeFirmsAfter.all({ id: afterId, limit }).map((r) => r.id);
    },

    async watchWorkspaces(firmId) {
      return db
        .select({ platform: workspaces.platform, externalId: workspaces.externalId })
        .from(workspaces)
        .where(eq(workspaces.firmId, firmId))
        .orderBy(asc(workspaces.id))
        .all();
    },

    async firmRequester(firmId) {
      return (
        db
          .select({ platform: activationRequests.platform, userId: activationRequests.requesterId })
          .from(activationRequests)
          .where(and(eq(activationRequests.firmId, firmId), eq(activationRequests.status, "approved")))
          .orderBy(desc(activationRequests.id))
          .limit(1)
          .get() ?? undefined
      );
    },

    async alertsChannel(firmId, platform) {
      return parseAlertsChannel(alertsValue(firmId, platform));
    },

    async findNotification(firmId, notificationId) {
      return db
        .select({ id: notifications.id, clientId: notifications.clientId })
        .from(notifications)
        .where(and(eq(notifications.firmId, firmId), eq(notifications.id, notificationId)))
        .get();
    },

    ...exportReads(db),
  };

  const writes: WatchWrites = {
    // The unit holds SQLite's write lock: the plain read is the locking read.
    async alertsChannelForUpdate(firmId, platform) {
      return parseAlertsChannel(alertsValue(firmId, platform));
    },

    async putAlertsChannel(firmId, platform, channel, now) {
      const key = alertsKey(firmId, platform);
      if (channel) {
        const value = JSON.stringify(channel);
        db.insert(storedRefs)
          .values({ kind: ALERTS_REF, key, value, updatedAt: now })
          .onConflictDoUpdate({ target: [storedRefs.kind, storedRefs.key], set: { value, updatedAt: now } })
          .run();
      } else {
        db.delete(storedRefs)
          .where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, key)))
          .run();
      }
    },

    async setWatchRunSent(firmId, day, messages) {
      db.update(watchRuns)
        .set({ sent: messages })
        .where(and(eq(watchRuns.firmId, firmId), eq(watchRuns.day, day)))
        .run();
    },

    async recordWatchItemsSent(firmId, items, now) {
      for (const item of items) {
        db.insert(watchItems)
          .values({ firmId, itemKey: item.key, signature: item.signature, lastSentAt: now })
          .onConflictDoUpdate({
            target: [watchItems.firmId, watchItems.itemKey],
            set: { signature: item.signature, lastSentAt: now },
          })
          .run();
      }
    },

    async muteWatchItem({ firmId, key, signature, mutedBy, now }) {
      db.insert(watchItems)
        .values({ firmId, itemKey: key, signature, lastSentAt: now, mutedAt: now, mutedBy })
        .onConflictDoUpdate({
          target: [watchItems.firmId, watchItems.itemKey],
          set: { mutedAt: now, mutedBy, signature },
        })
        .run();
    },

    ...exportWrites(db),
  };

  const statements: WatchStatements = {
    async claimWatchRun(firmId, day, now) {
      return (
        db
          .insert(watchRuns)
          .values({ firmId, day, claimedAt: now })
          .onConflictDoNothing()
          .returning({ firmId: watchRuns.firmId })
          .all().length === 1
      );
    },
  };

  return { reads, writes, statements };
}
