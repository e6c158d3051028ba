import { and, asc, desc, eq, getTableColumns, isNull, lt, sql } from "drizzle-orm";
import { audit } from "./audit.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { Db } from "./open.ts";
import { rawPage, rawRow, rowObject } from "./raw.ts";
import { auditEvents, clients, firms, installations, licences, notifications } from "./schema.ts";
import { searchReads } from "./search.ts";
import type { Area } from "./store/index.ts";
import type {
  ClientFields,
  HandoverCounts,
  LicencePatch,
  LicenceReads,
  LicenceRef,
  LicenceStatements,
  LicenceWrites,
  PageOptions,
} from "./store/licences.ts";
import type { AuditEvent, ClientRecord, ClientRow, LicenceRecord, Page } from "./types.ts";

export type { LicenceRef } from "./store/licences.ts";

/** A licence use case's result: the licence as it is now, and whether the client stopped self-managing. */
export interface LicenceChange {
  licence: LicenceRecord;
  /** The client stopped self-managing because of this change. */
  selfManagedCleared: boolean;
}

/** A clients row, as either schema reads it (the same property names and types on both storages). */
export type ClientRowData = typeof clients.$inferSelect;
export type LicenceRowData = typeof licences.$inferSelect;

export function toClient(c: ClientRowData): ClientRecord {
  return {
    id: c.id,
    firmId: c.firmId,
    taxId: c.taxId,
    name: c.name,
    contactPerson: c.contactPerson,
    email: c.email,
    phone: c.phone,
    notes: c.notes,
    selfManaged: c.selfManaged,
    // A tick older than the column (migration 0003 backfilled it) counts from the client's last change.
    selfManagedAt: c.selfManaged ? (c.selfManagedAt ?? c.updatedAt) : null,
  };
}

/** The licence and its client; `lastSeenAt` is its current installation's (see `currentInstallation`). */
export function toLicence(l: LicenceRowData, c: ClientRowData, lastSeenAt: number | null = null): LicenceRecord {
  return {
    id: l.id,
    firmId: l.firmId,
    number: l.number,
    state: l.state,
    linked: l.installationId !== null,
    linkedAt: l.linkedAt,
    detailsSentAt: l.detailsSentAt,
    lastContactAt: l.installationId === null ? null : lastSeenAt,
    createdAt: l.createdAt,
    client: toClient(c),
  };
}

/** A client with its live licence, as the client lists show it. */
export function toClientRow(c: ClientRowData, l: LicenceRowData | null | undefined): ClientRow {
  return {
    ...toClient(c),
    licence: l ? { id: l.id, number: l.number, state: l.state, linked: l.installationId !== null } : null,
  };
}

/** An audit_events row as the history shows it. */
export function toAuditEvent(r: typeof auditEvents.$inferSelect): AuditEvent {
  return {
    id: r.id,
    action: r.action,
    actorPlatform: r.actorPlatform,
    actorId: r.actorId,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
    createdAt: r.createdAt,
  };
}

/** One keyset page from `limit + 1` rows: the items, and the cursor of the last when there are more. */
export function keysetPage<T>(rows: T[], limit: number, cursorOf: (last: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, next: cursorOf(last) } : { items };
}

/** The cursors of the lists (db/cursor.ts); the same on both storages. */
export const licenceCursor = (l: LicenceRecord) => encodeCursor("l", [l.client.name, l.client.id]);
export const clientCursor = (c: ClientRow) => encodeCursor("c", [c.name, c.id]);
export const historyCursor = (e: AuditEvent) => encodeCursor("h", [e.id]);
export const decodeLicenceCursor = (after: string | undefined) => decodeCursor("l", ["string", "int"], after);
export const decodeClientCursor = (after: string | undefined) => decodeCursor("c", ["string", "int"], after);
export const decodeHistoryCursor = (after: string | undefined) => decodeCursor("h", ["int"], after);

/** A licence's current installation: one primary-key lookup per licence. */
const currentInstallation = eq(installations.id, licences.installationId);

function refCondition(ref: LicenceRef) {
  return "licenceId" in ref
    ? eq(licences.id, ref.licenceId)
    : "number" in ref
      ? eq(licences.number, ref.number)
      : eq(clients.taxId, ref.taxId);
}

const p = sql.placeholder;

/**
 * The list queries, prepared once per database (drizzle builds the SQL and
 * SQLite compiles it once, not on every page). Each walks an index in the
 * list's order and stops after one page; test/core/query-plans.test.ts checks
 * their plans. See docs/architecture.md, Storage.
 */
export function licenceQueries(db: Db) {
  /** Licences by client name: driven by clients (firm_id, name), one licence probe per client. */
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
      .prepare();
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
      .prepare();
  /** A client's trail over audit_client_trail (client_id, firm_id, id), newest first. */
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
      .prepare();
  return {
    licencePage: licencePage(false),
    licencePageAfter: licencePage(true),
    clientPage: clientPage(false),
    clientPageAfter: clientPage(true),
    liveLicences: db
      .select({ n: firms.liveLicences })
      .from(firms)
      .where(eq(firms.id, p("firmId")))
      .prepare(),
    clientHistory: clientHistory(false),
    clientHistoryAfter: clientHistory(true),
    /**
     * The dashboard's counts, each over an index that holds only what it
     * counts (docs/architecture.md, "The handover"): the firm's active
     * licences not yet activated by an installation walk licences_unactivated
     * (split by whether the details were sent); self-managed clients walk
     * clients_self_managed, each probing its live licence and its current
     * installation for the last contact (the watch's definition of silent).
     */
    waitingCounts: db
      .select({
        toSend: sql<number>`coalesce(sum(${licences.detailsSentAt} is null), 0)`,
        toInstall: sql<number>`coalesce(sum(${licences.detailsSentAt} is not null), 0)`,
      })
      .from(licences)
      .where(
        and(
          eq(licences.firmId, p("firmId")),
          isNull(licences.deletedAt),
          isNull(licences.installationId),
          // Literal, not a parameter: the partial index licences_unactivated says the same.
          sql`${licences.state} = 'active'`,
        ),
      )
      .prepare(),
    selfManagedCounts: db
      .select({
        selfManaged: sql<number>`count(*)`,
        silent: sql<number>`coalesce(sum(coalesce(${installations.lastSeenAt}, ${licences.linkedAt}, ${clients.selfManagedAt}) <= ${p("silentBefore")}), 0)`,
      })
      .from(clients)
      .innerJoin(licences, and(eq(licences.clientId, clients.id), isNull(licences.deletedAt)))
      .leftJoin(installations, currentInstallation)
      .where(and(eq(clients.firmId, p("firmId")), sql`${clients.selfManaged} = 1`))
      .prepare(),
    /** Deactivated live licences: counts the rows of the partial index licences_deactivated (migration 0004). */
    deactivatedCount: db
      .select({ n: sql<number>`count(*)` })
      .from(licences)
      .where(and(eq(licences.firmId, p("firmId")), isNull(licences.deletedAt), sql`${licences.state} = 'deactivated'`))
      .prepare(),
    /** A client's reported notifications, for its licence's ficha: covered by notifications_client_date. */
    notificationStats: db
      .select({
        count: sql<number>`count(*)`,
        latestAt: sql<number | null>`max(${notifications.fechaPuestaDisposicion})`,
      })
      .from(notifications)
      .where(and(eq(notifications.clientId, p("clientId")), eq(notifications.firmId, p("firmId"))))
      .prepare(),
  };
}

/** The columns of the licence list's rows, in the order drizzle selects them: licences, clients, last contact. */
const LICENCE_KEYS = Object.keys(getTableColumns(licences)) as (keyof LicenceRowData)[];
const CLIENT_KEYS = Object.keys(getTableColumns(clients)) as (keyof ClientRowData)[];
const SELF_MANAGED = LICENCE_KEYS.length + CLIENT_KEYS.indexOf("selfManaged");

/** One row of the licence list (`licencePage`), as SQLite's raw arrays give it, made a LicenceRecord by toLicence. */
function listedLicence(row: unknown[]): LicenceRecord {
  const client = rowObject<ClientRowData>(CLIENT_KEYS, row, LICENCE_KEYS.length);
  // The one column of these tables that drizzle decodes: a boolean kept as 0/1.
  client.selfManaged = row[SELF_MANAGED] === 1;
  return toLicence(
    rowObject<LicenceRowData>(LICENCE_KEYS, row, 0),
    client,
    row[LICENCE_KEYS.length + CLIENT_KEYS.length] as number | null,
  );
}

/**
 * The licences area on SQLite (docs/architecture.md, "Storage: SQLite"):
 * today's synchronous queries behind async methods. Called once per
 * connection (the write one, where units run, and the read-only one); the
 * `…ForUpdate` reads are the plain ones, the unit holding the write lock.
 */
export function sqliteLicences(db: Db): Area<LicenceReads, LicenceWrites, LicenceStatements> {
  const q = licenceQueries(db);
  const licencePage = rawPage(q.licencePage, db);
  const licencePageAfter = rawPage(q.licencePageAfter, db);
  // Beside every list page: one integer, with no mapping.
  const liveLicences = rawRow(q.liveLicences, db);

  const findLive = (firmId: number, cond: ReturnType<typeof refCondition>) =>
    db
      .select({ l: licences, c: clients, seen: installations.lastSeenAt })
      .from(licences)
      .innerJoin(clients, eq(clients.id, licences.clientId))
      .leftJoin(installations, currentInstallation)
      .where(and(eq(licences.firmId, firmId), isNull(licences.deletedAt), cond))
      .get();

  const licenceById = (licenceId: number): LicenceRecord => {
    const row = db
      .select({ l: licences, c: clients, seen: installations.lastSeenAt })
      .from(licences)
      .innerJoin(clients, eq(clients.id, licences.clientId))
      .leftJoin(installations, currentInstallation)
      .where(eq(licences.id, licenceId))
      .get();
    if (!row) throw new Error(`licence ${licenceId} vanished inside its unit`);
    return toLicence(row.l, row.c, row.seen);
  };

  const historyPage = async (firmId: number, clientId: number, opts: PageOptions): Promise<Page<AuditEvent>> => {
    const cursor = decodeHistoryCursor(opts.after);
    const args = { clientId, firmId, limit: opts.limit + 1 };
    const rows = cursor ? q.clientHistoryAfter.all({ ...args, id: cursor[0] }) : q.clientHistory.all(args);
    return keysetPage(rows.map(toAuditEvent), opts.limit, historyCursor);
  };

  const reads: LicenceReads = {
    async findLicence(firmId, ref) {
      const row = findLive(firmId, refCondition(ref));
      return row ? toLicence(row.l, row.c, row.seen) : undefined;
    },

    async listLicences(firmId, opts) {
      const cursor = decodeLicenceCursor(opts.after);
      const args = { firmId, limit: opts.limit + 1 };
      const rows = cursor ? licencePageAfter({ ...args, name: cursor[0], id: cursor[1] }) : licencePage(args);
      return keysetPage(rows.map(listedLicence), opts.limit, licenceCursor);
    },

    async handoverCounts(firmId, silentBefore): Promise<HandoverCounts> {
      const live = q.liveLicences.get({ firmId })?.n ?? 0;
      const deactivated = q.deactivatedCount.get({ firmId })?.n ?? 0;
      const waiting = q.waitingCounts.get({ firmId });
      const selfManaged = q.selfManagedCounts.get({ firmId, silentBefore });
      return {
        live,
        active: Math.max(0, live - deactivated),
        deactivated,
        toSend: waiting?.toSend ?? 0,
        toInstall: waiting?.toInstall ?? 0,
        selfManaged: selfManaged?.selfManaged ?? 0,
        silent: selfManaged?.silent ?? 0,
      };
    },

    async notificationStats(firmId, clientId) {
      const row = q.notificationStats.get({ firmId, clientId });
      return { count: row?.count ?? 0, latestAt: row?.latestAt ?? null };
    },

    async countLicences(firmId) {
      return (liveLicences({ firmId })?.[0] as number | undefined) ?? 0;
    },

    async getClientByTaxId(firmId, taxId) {
      const c = db
        .select()
        .from(clients)
        .where(and(eq(clients.firmId, firmId), eq(clients.taxId, taxId)))
        .get();
      if (!c) return undefined;
      const l = db
        .select()
        .from(licences)
        .where(and(eq(licences.clientId, c.id), isNull(licences.deletedAt)))
        .get();
      return toClientRow(c, l);
    },

    async getClient(firmId, clientId) {
      const c = db
        .select()
        .from(clients)
        .where(and(eq(clients.firmId, firmId), eq(clients.id, clientId)))
        .get();
      return c ? toClient(c) : undefined;
    },

    async listClients(firmId, opts) {
      const cursor = decodeClientCursor(opts.after);
      const args = { firmId, limit: opts.limit + 1 };
      const rows = cursor ? q.clientPageAfter.all({ ...args, name: cursor[0], id: cursor[1] }) : q.clientPage.all(args);
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
      return db
        .select({ licenceId: licences.id, clientId: licences.clientId })
        .from(licences)
        .where(and(eq(licences.firmId, firmId), eq(licences.number, number)))
        .get();
    },

    ...searchReads(db),
  };

  const writes: LicenceWrites = {
    async clientForUpdate(firmId, key) {
      const c = db
        .select()
        .from(clients)
        .where(
          and(
            eq(clients.firmId, firmId),
            "clientId" in key ? eq(clients.id, key.clientId) : eq(clients.taxId, key.taxId),
          ),
        )
        .get();
      return c ? toClient(c) : undefined;
    },

    async licenceForUpdate(firmId, licenceId) {
      const row = findLive(firmId, eq(licences.id, licenceId));
      return row ? toLicence(row.l, row.c, row.seen) : undefined;
    },

    async liveLicenceStateForShare(clientId) {
      return db
        .select({ state: licences.state })
        .from(licences)
        .where(and(eq(licences.clientId, clientId), isNull(licences.deletedAt)))
        .get()?.state;
    },

    async insertClientIfAbsent(firmId, client, now) {
      const c = db
        .insert(clients)
        .values({ firmId, ...clientColumns(client), taxId: client.taxId, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: [clients.firmId, clients.taxId] })
        .returning()
        .get();
      return c ? toClient(c) : undefined;
    },

    async updateClient(clientId, fields, now) {
      const c = db
        .update(clients)
        .set({ ...clientColumns(fields), updatedAt: now })
        .where(eq(clients.id, clientId))
        .returning()
        .get();
      return toClient(c);
    },

    async setClientSelfManaged(clientId, value, now) {
      const c = db
        .update(clients)
        .set({ selfManaged: value, selfManagedAt: value ? now : null, updatedAt: now })
        .where(eq(clients.id, clientId))
        .returning()
        .get();
      return toClient(c);
    },

    async insertLicence({ firmId, clientId, number, now }) {
      const l = db
        .insert(licences)
        .values({ firmId, clientId, number, state: "active", createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: licences.number })
        .returning()
        .get();
      return l ? licenceById(l.id) : undefined;
    },

    async updateLicence(licenceId, patch, now) {
      db.update(licences).set(licenceColumns(patch, now)).where(eq(licences.id, licenceId)).run();
      if (patch.unlink || patch.deletedAt !== undefined) {
        db.update(installations)
          .set({ unlinkedAt: now })
          .where(and(eq(installations.licenceId, licenceId), isNull(installations.unlinkedAt)))
          .run();
      }
      return licenceById(licenceId);
    },
  };

  const statements: LicenceStatements = {
    async recordBulkCreated(input) {
      audit(db, { ...input, action: "licence.bulkCreated", details: input.counts });
    },
  };

  return { reads, writes, statements };
}

/** The clients columns of the licence form's fields (absent ones cleared). */
export function clientColumns(fields: ClientFields) {
  return {
    name: fields.name,
    contactPerson: fields.contactPerson ?? null,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    notes: fields.notes ?? null,
  };
}

/** The licences columns a patch sets (a deleted or unlinked licence is bound to nothing). */
export function licenceColumns(patch: LicencePatch, now: number) {
  return {
    ...(patch.state !== undefined ? { state: patch.state } : {}),
    ...(patch.detailsSentAt !== undefined ? { detailsSentAt: patch.detailsSentAt } : {}),
    ...(patch.deletedAt !== undefined ? { deletedAt: patch.deletedAt } : {}),
    ...(patch.unlink || patch.deletedAt !== undefined ? { installationId: null, linkedAt: null } : {}),
    // Sending the details is no change to the licence itself.
    ...(patch.detailsSentAt !== undefined && Object.keys(patch).length === 1 ? {} : { updatedAt: now }),
  };
}
