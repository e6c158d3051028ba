import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { audit } from "./audit.ts";
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
import type { AuditActor, Platform } from "./types.ts";

/** A licence whose details were sent and that no installation activated. */
export interface UnactivatedRow {
  licenceId: number;
  clientId: number;
  clientName: string;
  detailsSentAt: number;
}

/** A self-managed client whose app has not been in contact. */
export interface SilentRow {
  licenceId: number;
  clientId: number;
  clientName: string;
  /** The installation's last contact, else when it was linked, else when self-management was ticked. */
  lastContactAt: number;
}

/** A notification of a client the firm watches, close to its fecha máxima de lectura and not handled. */
export interface DeadlineRow {
  notificationId: number;
  clientId: number;
  clientName: string;
  organismo: string;
  asunto: string;
  fechaMaxLectura: number;
}

/** One kind of the watch's items: the first `limit` rows and how many there are in all. */
export interface WatchSlice<T> {
  rows: T[];
  total: number;
}

export interface WatchQuery {
  firmId: number;
  /** Details sent at or before this instant count as unactivated. */
  sentBefore: number;
  /** A last contact at or before this instant counts as silent. */
  silentBefore: number;
  /** Deadlines in [deadlineFrom, deadlineTo). */
  deadlineFrom: number;
  deadlineTo: number;
  /** Only items never sent or whose signature changed since (the run); else every open item (the dashboard). */
  fresh: boolean;
  /** Rows of each kind. */
  limit: number;
}

/** Where a firm's alerts channel of a platform is kept (stored_refs), with the platform's reference to it. */
export const ALERTS_REF = "watch.alerts";
const alertsKey = (firmId: number, platform: Platform) => `${firmId}:${platform}`;

/** A firm's alerts channel on one platform: its id, and the adapter's opaque reference to post there. */
export interface AlertsChannel {
  channelId: string;
  ref: string;
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

export function watchStore(db: Db) {
  const q = watchQueries(db);
  const args = (w: WatchQuery) => ({ ...w, fresh: w.fresh ? 1 : 0 });

  return {
    /** The watch's open items of one firm, each kind bounded by `limit`, with its total. */
    watchItems(w: WatchQuery): {
      unactivated: WatchSlice<UnactivatedRow>;
      silent: WatchSlice<SilentRow>;
      deadline: WatchSlice<DeadlineRow>;
    } {
      const a = args(w);
      return {
        unactivated: { rows: q.watchUnactivated.all(a), total: q.watchUnactivatedCount.get(a)?.n ?? 0 },
        silent: { rows: q.watchSilent.all(a), total: q.watchSilentCount.get(a)?.n ?? 0 },
        deadline: { rows: q.watchDeadlines.all(a), total: q.watchDeadlinesCount.get(a)?.n ?? 0 },
      };
    },

    /** The chat users who created or sent the licences of these clients, by platform. */
    watchAdvisors(firmId: number, clientIds: number[]): Map<number, { platform: Platform; userId: string }[]> {
      const out = new Map<number, { platform: Platform; userId: string }[]>();
      for (const clientId of new Set(clientIds)) {
        const seen = new Map<string, { platform: Platform; userId: string }>();
        for (const r of q.watchAdvisors.all({ firmId, clientId })) {
          if (r.platform === "slack" || r.platform === "teams") {
            seen.set(`${r.platform}:${r.userId}`, { platform: r.platform, userId: r.userId });
          }
        }
        out.set(clientId, [...seen.values()]);
      }
      return out;
    },

    /** Active firms by id, keyset-paged (the run walks them all). */
    activeFirmIds(afterId: number, limit: number): number[] {
      return q.activeFirmsAfter.all({ id: afterId, limit }).map((r) => r.id);
    },

    /**
     * Claims the firm's watch of a day. Exactly one caller gets true, whichever
     * instance or process it runs in: the (firm, day) row is the claim.
     */
    claimWatchRun(firmId: number, day: string, now: number): boolean {
      return db.transaction(
        (tx) =>
          tx
            .insert(watchRuns)
            .values({ firmId, day, claimedAt: now })
            .onConflictDoNothing()
            .returning({ firmId: watchRuns.firmId })
            .all().length === 1,
        { behavior: "immediate" },
      );
    },

    /** Records what a claimed run sent: the items' signatures, the count, and the audit event. */
    finishWatchRun(input: {
      firmId: number;
      day: string;
      messages: number;
      items: { key: string; signature: string }[];
      now: number;
    }): void {
      const { firmId, now } = input;
      db.transaction(
        (tx) => {
          tx.update(watchRuns)
            .set({ sent: input.messages })
            .where(and(eq(watchRuns.firmId, firmId), eq(watchRuns.day, input.day)))
            .run();
          for (const item of input.items) {
            tx.insert(watchItems)
              .values({ firmId, itemKey: item.key, signature: item.signature, lastSentAt: now })
              .onConflictDoUpdate({
                target: [watchItems.firmId, watchItems.itemKey],
                set: { signature: item.signature, lastSentAt: now },
              })
              .run();
          }
          if (input.messages > 0) {
            audit(tx, {
              firmId,
              action: "watch.sent",
              actor: { platform: "cli", id: "watch" },
              details: { items: input.items.length, messages: input.messages, day: input.day },
              now,
            });
          }
        },
        { behavior: "immediate" },
      );
    },

    /** Mutes one item of the firm's watch (it is no longer reported), audited. */
    muteWatchItem(input: {
      firmId: number;
      key: string;
      /** The item's signature when muted: a new sending or a new contact brings it back. */
      signature: string;
      actor: AuditActor;
      licenceId?: number;
      clientId?: number;
      now: number;
    }): void {
      const { firmId, now } = input;
      db.transaction(
        (tx) => {
          tx.insert(watchItems)
            .values({
              firmId,
              itemKey: input.key,
              signature: input.signature,
              lastSentAt: now,
              mutedAt: now,
              mutedBy: input.actor.id,
            })
            .onConflictDoUpdate({
              target: [watchItems.firmId, watchItems.itemKey],
              set: { mutedAt: now, mutedBy: input.actor.id, signature: input.signature },
            })
            .run();
          audit(tx, {
            firmId,
            action: "watch.muted",
            actor: input.actor,
            ...(input.licenceId !== undefined ? { licenceId: input.licenceId } : {}),
            ...(input.clientId !== undefined ? { clientId: input.clientId } : {}),
            details: { item: input.key.split(":")[0] },
            now,
          });
        },
        { behavior: "immediate" },
      );
    },

    /** The firm's workspaces (a Slack team, a Teams tenant): where its messages go. */
    watchWorkspaces(firmId: number): { platform: Platform; externalId: string }[] {
      return db
        .select({ platform: workspaces.platform, externalId: workspaces.externalId })
        .from(workspaces)
        .where(eq(workspaces.firmId, firmId))
        .orderBy(asc(workspaces.id))
        .all();
    },

    /** Who asked for the firm's activation (the last approved request): told what no advisor of a client can be. */
    firmRequester(firmId: number): { platform: Platform; userId: string } | undefined {
      const row = db
        .select({ platform: activationRequests.platform, userId: activationRequests.requesterId })
        .from(activationRequests)
        .where(and(eq(activationRequests.firmId, firmId), eq(activationRequests.status, "approved")))
        .orderBy(desc(activationRequests.id))
        .limit(1)
        .get();
      return row ?? undefined;
    },

    alertsChannel(firmId: number, platform: Platform): AlertsChannel | undefined {
      const value = db
        .select({ value: storedRefs.value })
        .from(storedRefs)
        .where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, alertsKey(firmId, platform))))
        .get()?.value;
      if (!value) return undefined;
      try {
        const parsed = JSON.parse(value) as Partial<AlertsChannel>;
        return typeof parsed.channelId === "string" && typeof parsed.ref === "string"
          ? { channelId: parsed.channelId, ref: parsed.ref }
          : undefined;
      } catch {
        return undefined;
      }
    },

    /** Sets (or, with null, clears) the firm's alerts channel of a platform, audited; returns the one it replaced. */
    setAlertsChannel(input: {
      firmId: number;
      platform: Platform;
      channel: AlertsChannel | null;
      actor: AuditActor;
      now: number;
    }): AlertsChannel | undefined {
      const { firmId, platform, now } = input;
      const key = alertsKey(firmId, platform);
      return db.transaction(
        (tx) => {
          const before = tx
            .select({ value: storedRefs.value })
            .from(storedRefs)
            .where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, key)))
            .get()?.value;
          if (input.channel) {
            const value = JSON.stringify(input.channel);
            tx.insert(storedRefs)
              .values({ kind: ALERTS_REF, key, value, updatedAt: now })
              .onConflictDoUpdate({ target: [storedRefs.kind, storedRefs.key], set: { value, updatedAt: now } })
              .run();
          } else {
            tx.delete(storedRefs)
              .where(and(eq(storedRefs.kind, ALERTS_REF), eq(storedRefs.key, key)))
              .run();
          }
          audit(tx, {
            firmId,
            action: input.channel ? "watch.alertsSet" : "watch.alertsCleared",
            actor: input.actor,
            details: { platform },
            now,
          });
          if (!before) return undefined;
          const parsed = JSON.parse(before) as AlertsChannel;
          return parsed;
        },
        { behavior: "immediate" },
      );
    },

    /** A notification of the firm, for a mute (its client is what the trail records). */
    findNotification(firmId: number, notificationId: number): { id: number; clientId: number } | undefined {
      return db
        .select({ id: notifications.id, clientId: notifications.clientId })
        .from(notifications)
        .where(and(eq(notifications.firmId, firmId), eq(notifications.id, notificationId)))
        .get();
    },
  };
}
