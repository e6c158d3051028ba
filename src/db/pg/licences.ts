import { and, asc, desc, eq, isNull, lt, sql } from "drizzle-orm";
import {
  clientColumns,
  clientCursor,
  decodeClientCursor,
  decodeHistoryCursor,
  decodeLicenceCursor,
  historyCursor,
  keysetPage,
  licenceColumns,
  licenceCursor,
  toAuditEvent,
  toClient,
  toClientRow,
  toLicence,
} from "../licences.ts";
import type { Area } from "../store/index.ts";
import type { HandoverCounts, LicenceReads, LicenceRef, LicenceStatements, LicenceWrites } from "../store/licences.ts";
import type { AuditEvent, LicenceRecord, Page } from "../types.ts";
import { auditEvents, clients, firms, installations, licences, notifications } from "./schema.ts";
import { pgSearchReads } from "./search.ts";
import type { PgConn } from "./store.ts";

const p = sql.placeholder;

/** A licence's current installation: one primary-key lookup per licence. */
const currentInstallation = eq(installations.id, licences.installationId);

/**
 * The list queries on PostgreSQL: SQLite's (src/db/licences.ts,
 * `licenceQueries`) written for pg-core, the same keyset walks over the same
 * indexes, prepared by name (each connection parses one once).
 * test/pg/query-plans.test.ts checks their plans.
 */
export function pgLicenceQueries(db: PgConn) {
  const licencePage = (after: boolean) =>
    db
      .select({ l: licences, c: clients, seen: installations.lastSeenAt })
      .from(clients)
      .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
      .leftJoin(installations, currentInstallation)
      .where(
        and(
          eq(clients.firmId, p("firmId")),
          after ? sql`(${clients.name}, ${clients.id}) > (${p("name")}, ${p("id")})` : undefined,
        ),
      )
      .orderBy(asc(clients.name), asc(clients.id))
      .limit(p("limit"))
      .prepare(after ? "licences_page_after" : "licences_page");
  const clientPage = (after: boolean) =>
    db
      .select({ c: clients, l: licences })
      .from(clients)
      .leftJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
      .where(
        and(
          eq(clients.firmId, p("firmId")),
          after ? sql`(${clients.name}, ${clients.id}) > (${p("name")}, ${p("id")})` : undefined,
        ),
      )
      .orderBy(asc(clients.name), asc(clients.id))
      .limit(p("limit"))
      .prepare(after ? "clients_page_after" : "clients_page");
  const clientHistory = (after: boolean) =>
    db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.clientId, p("clientId")),
          eq(auditEvents.firmId, p("firmId")),
          after ? lt(auditEvents.id, p("id")) : undefined,
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(p("limit"))
      .prepare(after ? "client_history_after" : "client_history");
  return {
    licencePage: licencePage(false),
    licencePageAfter: licencePage(true),
    clientPage: clientPage(false),
    clientPageAfter: clientPage(true),
    clientHistory: clientHistory(false),
    clientHistoryAfter: clientHistory(true),
    liveLicences: db
      .select({ n: firms.liveLicences })
      .from(firms)
      .where(eq(firms.id, p("firmId")))
      .prepare("firm_live_licences"),
    /** Over licences_unactivated (its predicate written as literals, as the index has it). */
    waitingCounts: db
      .select({
        toSend: sql<number>`(count(*) filter (where ${licences.detailsSentAt} is null))::int`,
        toInstall: sql<number>`(count(*) filter (where ${licences.detailsSentAt} is not null))::int`,
      })
      .from(licences)
      .where(
        and(
          eq(licences.firmId, p("firmId")),
          isNull(licences.deletedAt),
          isNull(licences.installationId),
          sql`${licences.state} = 'active'`,
        ),
      )
      .prepare("licences_waiting_counts"),
    /** Over clients_self_managed, each probing its live licence and current installation. */
    selfManagedCounts: db
      .select({
        selfManaged: sql<number>`count(*)::int`,
        silent: sql<number>`(count(*) filter (where coalesce(${installations.lastSeenAt}, ${licences.linkedAt}, ${clients.selfManagedAt}) <= ${p("silentBefore")}))::int`,
      })
      .from(clients)
      .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
      .leftJoin(installations, currentInstallation)
      .where(and(eq(clients.firmId, p("firmId")), sql`${clients.selfManaged} = true`))
      .prepare("clients_self_managed_counts"),
    /** Over the partial index licences_deactivated. */
    deactivatedCount: db
      .select({ n: sql<number>`count(*)::int` })
      .from(licences)
      .where(and(eq(licences.firmId, p("firmId")), isNull(licences.deletedAt), sql`${licences.state} = 'deactivated'`))
      .prepare("licences_deactivated_count"),
    /** Over notifications_client_date. */
    notificationStats: db
      .select({
        count: sql<number>`count(*)::int`,
        latestAt: sql<string | null>`max(${notifications.fechaPuestaDisposicion})`,
      })
      .from(notifications)
      .where(and(eq(notifications.clientId, p("clientId")), eq(notifications.firmId, p("firmId"))))
      .prepare("client_notification_stats"),
  };
}

function refCondition(ref: LicenceRef) {
  return "licenceId" in ref
    ? eq(licences.id, ref.licenceId)
    : "number" in ref
      ? eq(licences.number, ref.number)
      : eq(clients.taxId, ref.taxId);
}

/**
 * The licences area on PostgreSQL (docs/architecture.md, "Storage:
 * PostgreSQL"). `db` is the pool's database (reads and statements) or a
 * unit's transaction; the locking reads follow the lock order (firm →
 * client → licence → installation, docs/architecture.md, "Lock order").
 */
export function pgLicences(db: PgConn): Area<LicenceReads, LicenceWrites, LicenceStatements> {
  // Built on first use: a unit's area is made for each unit, and most units list nothing.
  let prepared: ReturnType<typeof pgLicenceQueries> | undefined;
  const q = () => {
    prepared ??= pgLicenceQueries(db);
    return prepared;
  };
  const first = <T>(rows: T[]): T | undefined => rows[0];

  const live = (firmId: number, cond: ReturnType<typeof refCondition>) =>
    db
      .select({ l: licences, c: clients, seen: installations.lastSeenAt })
      .from(licences)
      .innerJoin(clients, eq(clients.id, licences.clientId))
      .leftJoin(installations, currentInstallation)
      .where(and(eq(licences.firmId, firmId), isNull(licences.deletedAt), cond));

  const licenceById = async (licenceId: number): Promise<LicenceRecord> => {
    const row = first(
      await db
        .select({ l: licences, c: clients, seen: installations.lastSeenAt })
        .from(licences)
        .innerJoin(clients, eq(clients.id, licences.clientId))
        .leftJoin(installations, currentInstallation)
        .where(eq(licences.id, licenceId)),
    );
    if (!row) throw new Error(`licence ${licenceId} vanished inside its unit`);
    return toLicence(row.l, row.c, row.seen);
  };

  const historyPage = async (
    firmId: number,
    clientId: number,
    opts: { after?: string | undefined; limit: number },
  ): Promise<Page<AuditEvent>> => {
    const cursor = decodeHistoryCursor(opts.after);
    const args = { clientId, firmId, limit: opts.limit + 1 };
    const rows = cursor
      ? await q().clientHistoryAfter.execute({ ...args, id: cursor[0] })
      : await q().clientHistory.execute(args);
    return keysetPage(rows.map(toAuditEvent), opts.limit, historyCursor);
  };

  const reads: LicenceReads = {
    async findLicence(firmId, ref) {
      const row = first(await live(firmId, refCondition(ref)));
      return row ? toLicence(row.l, row.c, row.seen) : undefined;
    },

    async listLicences(firmId, opts) {
      const cursor = decodeLicenceCursor(opts.after);
      const args = { firmId, limit: opts.limit + 1 };
      const rows = cursor
        ? await q().licencePageAfter.execute({ ...args, name: cursor[0], id: cursor[1] })
        : await q().licencePage.execute(args);
      return keysetPage(
        rows.map((r) => toLicence(r.l, r.c, r.seen)),
        opts.limit,
        licenceCursor,
      );
    },

    async handoverCounts(firmId, silentBefore): Promise<HandoverCounts> {
      const [liveRow, deactivatedRow, waiting, selfManaged] = await Promise.all([
        q().liveLicences.execute({ firmId }),
        q().deactivatedCount.execute({ firmId }),
        q().waitingCounts.execute({ firmId }),
        q().selfManagedCounts.execute({ firmId, silentBefore }),
      ]);
      const liveCount = liveRow[0]?.n ?? 0;
      const deactivated = deactivatedRow[0]?.n ?? 0;
      return {
        live: liveCount,
        active: Math.max(0, liveCount - deactivated),
        deactivated,
        toSend: waiting[0]?.toSend ?? 0,
        toInstall: waiting[0]?.toInstall ?? 0,
        selfManaged: selfManaged[0]?.selfManaged ?? 0,
        silent: selfManaged[0]?.silent ?? 0,
      };
    },

    async notificationStats(firmId, clientId) {
      const row = first(await q().notificationStats.execute({ firmId, clientId }));
      return { count: row?.count ?? 0, latestAt: row?.latestAt == null ? null : Number(row.latestAt) };
    },

    async countLicences(firmId) {
      return first(await q().liveLicences.execute({ firmId }))?.n ?? 0;
    },

    async getClientByTaxId(firmId, taxId) {
      const row = first(
        await db
          .select({ c: clients, l: licences })
          .from(clients)
          .leftJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
          .where(and(eq(clients.firmId, firmId), eq(clients.taxId, taxId))),
      );
      return row ? toClientRow(row.c, row.l) : undefined;
    },

    async getClient(firmId, clientId) {
      const c = first(
        await db
          .select()
          .from(clients)
          .where(and(eq(clients.firmId, firmId), eq(clients.id, clientId))),
      );
      return c ? toClient(c) : undefined;
    },

    async listClients(firmId, opts) {
      const cursor = decodeClientCursor(opts.after);
      const args = { firmId, limit: opts.limit + 1 };
      const rows = cursor
        ? await q().clientPageAfter.execute({ ...args, name: cursor[0], id: cursor[1] })
        : await q().clientPage.execute(args);
      return keysetPage(
        rows.map(({ c, l }) => toClientRow(c, l)),
        opts.limit,
        clientCursor,
      );
    },

    async history(firmId, clientId, limit) {
      return (await historyPage(firmId, clientId, { limit })).items;
    },

    historyPage,

    async findAnyLicenceByNumber(firmId, number) {
      return first(
        await db
          .select({ licenceId: licences.id, clientId: licences.clientId })
          .from(licences)
          .where(and(eq(licences.firmId, firmId), eq(licences.number, number))),
      );
    },

    ...pgSearchReads(db),
  };

  const writes: LicenceWrites = {
    async clientForUpdate(firmId, key) {
      const c = first(
        await db
          .select()
          .from(clients)
          .where(
            and(
              eq(clients.firmId, firmId),
              "clientId" in key ? eq(clients.id, key.clientId) : eq(clients.taxId, key.taxId),
            ),
          )
          .for("no key update"),
      );
      return c ? toClient(c) : undefined;
    },

    async licenceForUpdate(firmId, licenceId) {
      const row = first(await live(firmId, eq(licences.id, licenceId)).for("no key update", { of: licences }));
      return row ? toLicence(row.l, row.c, row.seen) : undefined;
    },

    async liveLicenceStateForShare(clientId) {
      const row = first(
        await db
          .select({ state: licences.state })
          .from(licences)
          .where(and(eq(licences.clientId, clientId), isNull(licences.deletedAt)))
          .for("share"),
      );
      return row?.state;
    },

    async insertClientIfAbsent(firmId, client, now) {
      const c = first(
        await db
          .insert(clients)
          .values({ firmId, ...clientColumns(client), taxId: client.taxId, createdAt: now, updatedAt: now })
          .onConflictDoNothing({ target: [clients.firmId, clients.taxId] })
          .returning(),
      );
      return c ? toClient(c) : undefined;
    },

    async updateClient(clientId, fields, now) {
      const [c] = await db
        .update(clients)
        .set({ ...clientColumns(fields), updatedAt: now })
        .where(eq(clients.id, clientId))
        .returning();
      if (!c) throw new Error(`client ${clientId} vanished inside its unit`);
      return toClient(c);
    },

    async setClientSelfManaged(clientId, value, now) {
      const [c] = await db
        .update(clients)
        .set({ selfManaged: value, selfManagedAt: value ? now : null, updatedAt: now })
        .where(eq(clients.id, clientId))
        .returning();
      if (!c) throw new Error(`client ${clientId} vanished inside its unit`);
      return toClient(c);
    },

    async insertLicence({ firmId, clientId, number, now }) {
      const l = first(
        await db
          .insert(licences)
          .values({ firmId, clientId, number, state: "active", createdAt: now, updatedAt: now })
          .onConflictDoNothing({ target: licences.number })
          .returning({ id: licences.id }),
      );
      return l ? licenceById(l.id) : undefined;
    },

    async updateLicence(licenceId, patch, now) {
      await db.update(licences).set(licenceColumns(patch, now)).where(eq(licences.id, licenceId));
      if (patch.unlink || patch.deletedAt !== undefined) {
        await db
          .update(installations)
          .set({ unlinkedAt: now })
          .where(and(eq(installations.licenceId, licenceId), isNull(installations.unlinkedAt)));
      }
      return licenceById(licenceId);
    },
  };

  const statements: LicenceStatements = {
    async recordBulkCreated(input) {
      await db.insert(auditEvents).values({
        firmId: input.firmId,
        action: "licence.bulkCreated",
        actorPlatform: input.actor.platform,
        actorId: input.actor.id,
        details: JSON.stringify(input.counts),
        createdAt: input.now,
      });
    },
  };

  return { reads, writes, statements };
}
