import { and, asc, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { conflict, notFound, ServiceError } from "../errors.ts";
import { audit, type Tx } from "./audit.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { Db } from "./open.ts";
import { auditEvents, clients, firms, installations, licences, notifications } from "./schema.ts";
import type { AuditActor, AuditEvent, ClientInput, ClientRecord, ClientRow, LicenceRecord, Page } from "./types.ts";

const MAX_NUMBER_ATTEMPTS = 8;

function toClient(c: typeof clients.$inferSelect): ClientRecord {
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
function toLicence(
  l: typeof licences.$inferSelect,
  c: typeof clients.$inferSelect,
  lastSeenAt: number | null = null,
): LicenceRecord {
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
export function toClientRow(
  c: typeof clients.$inferSelect,
  l: typeof licences.$inferSelect | null | undefined,
): ClientRow {
  return {
    ...toClient(c),
    licence: l ? { id: l.id, number: l.number, state: l.state, linked: l.installationId !== null } : null,
  };
}

/** A licence's current installation: one primary-key lookup per licence. */
const currentInstallation = eq(installations.id, licences.installationId);

export type LicenceRef = { licenceId: number } | { number: string } | { taxId: string };

function findLive(tx: Tx, firmId: number, ref: LicenceRef) {
  const cond =
    "licenceId" in ref
      ? eq(licences.id, ref.licenceId)
      : "number" in ref
        ? eq(licences.number, ref.number)
        : eq(clients.taxId, ref.taxId);
  return tx
    .select({ l: licences, c: clients, seen: installations.lastSeenAt })
    .from(licences)
    .innerJoin(clients, eq(clients.id, licences.clientId))
    .leftJoin(installations, currentInstallation)
    .where(and(eq(licences.firmId, firmId), isNull(licences.deletedAt), cond))
    .get();
}

function requireLive(tx: Tx, firmId: number, ref: LicenceRef) {
  const row = findLive(tx, firmId, ref);
  if (!row) throw notFound("licence.notFound");
  return row;
}

function requireActiveFirm(tx: Tx, firmId: number): void {
  const firm = tx.select({ state: firms.activationState }).from(firms).where(eq(firms.id, firmId)).get();
  if (firm?.state !== "active") throw new ServiceError("FEATURE_NOT_ACTIVE", "activation.notActive");
}

function unlinkInstallations(tx: Tx, licenceId: number, now: number): void {
  tx.update(installations)
    .set({ unlinkedAt: now })
    .where(and(eq(installations.licenceId, licenceId), isNull(installations.unlinkedAt)))
    .run();
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

export interface LicenceChange {
  licence: LicenceRecord;
  /** The client stopped self-managing because of this change. */
  selfManagedCleared: boolean;
}

export function licenceStore(db: Db) {
  const q = licenceQueries(db);

  function historyPage(
    firmId: number,
    clientId: number,
    opts: { after?: string | undefined; limit: number },
  ): Page<AuditEvent> {
    const cursor = decodeCursor("h", ["int"], opts.after);
    const args = { clientId, firmId, limit: opts.limit + 1 };
    const rows = cursor ? q.clientHistoryAfter.all({ ...args, id: cursor[0] }) : q.clientHistory.all(args);
    const items = rows.slice(0, opts.limit).map((r) => ({
      id: r.id,
      action: r.action,
      actorPlatform: r.actorPlatform,
      actorId: r.actorId,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
      createdAt: r.createdAt,
    }));
    const last = items[items.length - 1];
    return rows.length > opts.limit && last ? { items, next: encodeCursor("h", [last.id]) } : { items };
  }

  function transition(
    firmId: number,
    ref: LicenceRef,
    actor: AuditActor,
    now: number,
    change: (
      tx: Tx,
      row: { l: typeof licences.$inferSelect; c: typeof clients.$inferSelect; seen: number | null },
    ) => {
      action: string;
      patch: Partial<typeof licences.$inferInsert>;
      clearSelfManaged?: boolean;
      unlink?: boolean;
    },
  ): LicenceChange {
    return db.transaction(
      (tx) => {
        const row = requireLive(tx, firmId, ref);
        const { action, patch, clearSelfManaged, unlink } = change(tx, row);
        const l = tx
          .update(licences)
          .set({ ...patch, updatedAt: now })
          .where(eq(licences.id, row.l.id))
          .returning()
          .get();
        if (unlink) unlinkInstallations(tx, row.l.id, now);
        const cleared = Boolean(clearSelfManaged && row.c.selfManaged);
        let c = row.c;
        if (cleared) {
          c = tx
            .update(clients)
            .set({ selfManaged: false, selfManagedAt: null, updatedAt: now })
            .where(eq(clients.id, row.c.id))
            .returning()
            .get();
          audit(tx, {
            firmId,
            action: "client.selfManagedCleared",
            actor,
            licenceId: row.l.id,
            clientId: row.c.id,
            now,
          });
        }
        audit(tx, { firmId, action, actor, licenceId: row.l.id, clientId: row.c.id, now });
        return { licence: toLicence(l, c, row.seen), selfManagedCleared: cleared };
      },
      { behavior: "immediate" },
    );
  }

  return {
    /**
     * Creates the client's licence, creating or updating the client by tax
     * id. `newNumber` is asked again while it returns a number already used.
     */
    createLicence(input: {
      firmId: number;
      client: ClientInput;
      actor: AuditActor;
      newNumber: () => string;
      now: number;
    }): LicenceRecord {
      return db.transaction(
        (tx) => {
          requireActiveFirm(tx, input.firmId);
          const { now, actor, firmId } = input;
          const fields = {
            name: input.client.name,
            contactPerson: input.client.contactPerson ?? null,
            email: input.client.email ?? null,
            phone: input.client.phone ?? null,
            notes: input.client.notes ?? null,
          };
          let client = tx
            .select()
            .from(clients)
            .where(and(eq(clients.firmId, firmId), eq(clients.taxId, input.client.taxId)))
            .get();
          if (client) {
            const existing = tx
              .select({ id: licences.id })
              .from(licences)
              .where(and(eq(licences.clientId, client.id), isNull(licences.deletedAt)))
              .get();
            if (existing) {
              throw new ServiceError("CONFLICT", "licence.clientHasLicence", {
                fields: [{ field: "taxId", message: "licence.clientHasLicence" }],
              });
            }
            client = tx
              .update(clients)
              .set({ ...fields, updatedAt: now })
              .where(eq(clients.id, client.id))
              .returning()
              .get();
            audit(tx, { firmId, action: "client.updated", actor, clientId: client.id, now });
          } else {
            client = tx
              .insert(clients)
              .values({ firmId, taxId: input.client.taxId, ...fields, createdAt: now, updatedAt: now })
              .returning()
              .get();
            audit(tx, { firmId, action: "client.created", actor, clientId: client.id, now });
          }
          let number: string | undefined;
          for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS && !number; attempt++) {
            const candidate = input.newNumber();
            const taken = tx.select({ id: licences.id }).from(licences).where(eq(licences.number, candidate)).get();
            if (!taken) number = candidate;
          }
          if (!number) throw conflict("licence.numberExhausted");
          const l = tx
            .insert(licences)
            .values({ firmId, clientId: client.id, number, state: "active", createdAt: now, updatedAt: now })
            .returning()
            .get();
          audit(tx, { firmId, action: "licence.created", actor, licenceId: l.id, clientId: client.id, now });
          return toLicence(l, client);
        },
        { behavior: "immediate" },
      );
    },

    findLicence(firmId: number, ref: LicenceRef): LicenceRecord | undefined {
      const row = findLive(db, firmId, ref);
      return row ? toLicence(row.l, row.c, row.seen) : undefined;
    },

    /** Live licences ordered by client name (then client id: one live licence per client), keyset-paged. */
    listLicences(firmId: number, opts: { after?: string | undefined; limit: number }): Page<LicenceRecord> {
      const cursor = decodeCursor("l", ["string", "int"], opts.after);
      const args = { firmId, limit: opts.limit + 1 };
      const rows = cursor
        ? q.licencePageAfter.all({ ...args, name: cursor[0], id: cursor[1] })
        : q.licencePage.all(args);
      const items = rows.slice(0, opts.limit).map((r) => toLicence(r.l, r.c, r.seen));
      const last = items[items.length - 1];
      return rows.length > opts.limit && last
        ? { items, next: encodeCursor("l", [last.client.name, last.client.id]) }
        : { items };
    },

    /** The dashboard's counts of a firm's licences by where their handover stands. */
    handoverCounts(
      firmId: number,
      silentBefore: number,
    ): {
      live: number;
      active: number;
      deactivated: number;
      toSend: number;
      toInstall: number;
      selfManaged: number;
      silent: number;
    } {
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

    /** How many notifications the client's app reported, and the date of the latest (the ficha's last step). */
    notificationStats(firmId: number, clientId: number): { count: number; latestAt: number | null } {
      const row = q.notificationStats.get({ firmId, clientId });
      return { count: row?.count ?? 0, latestAt: row?.latestAt ?? null };
    },

    /** The firm's live licences, as the triggers of migration 0002 keep it: no count over the firm. */
    countLicences(firmId: number): number {
      return q.liveLicences.get({ firmId })?.n ?? 0;
    },

    deactivateLicence(firmId: number, ref: LicenceRef, actor: AuditActor, now: number): LicenceChange {
      return transition(firmId, ref, actor, now, (_tx, row) => {
        if (row.l.state === "deactivated") throw conflict("licence.alreadyDeactivated");
        return { action: "licence.deactivated", patch: { state: "deactivated" }, clearSelfManaged: true };
      });
    },

    reactivateLicence(firmId: number, ref: LicenceRef, actor: AuditActor, now: number): LicenceChange {
      return transition(firmId, ref, actor, now, (tx, row) => {
        requireActiveFirm(tx, firmId);
        if (row.l.state === "active") throw conflict("licence.alreadyActive");
        return { action: "licence.reactivated", patch: { state: "active" } };
      });
    },

    unlinkLicence(firmId: number, ref: LicenceRef, actor: AuditActor, now: number): LicenceChange {
      return transition(firmId, ref, actor, now, (_tx, row) => {
        if (row.l.installationId === null) throw conflict("licence.notLinked");
        return { action: "licence.unlinked", patch: { installationId: null, linkedAt: null }, unlink: true };
      });
    },

    deleteLicence(firmId: number, ref: LicenceRef, actor: AuditActor, now: number): LicenceChange {
      return transition(firmId, ref, actor, now, () => ({
        action: "licence.deleted",
        patch: { deletedAt: now, installationId: null, linkedAt: null },
        clearSelfManaged: true,
        unlink: true,
      }));
    },

    /** The licence whose details are being sent, with that recorded in the audit trail. */
    recordDetailsSent(firmId: number, ref: LicenceRef, actor: AuditActor, now: number): LicenceRecord {
      return db.transaction(
        (tx) => {
          const row = requireLive(tx, firmId, ref);
          tx.update(licences).set({ detailsSentAt: now }).where(eq(licences.id, row.l.id)).run();
          audit(tx, { firmId, action: "licence.detailsSent", actor, licenceId: row.l.id, clientId: row.c.id, now });
          return toLicence({ ...row.l, detailsSentAt: now }, row.c, row.seen);
        },
        { behavior: "immediate" },
      );
    },

    getClientByTaxId(firmId: number, taxId: string): ClientRow | undefined {
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

    getClient(firmId: number, clientId: number): ClientRecord | undefined {
      const c = db
        .select()
        .from(clients)
        .where(and(eq(clients.firmId, firmId), eq(clients.id, clientId)))
        .get();
      return c ? toClient(c) : undefined;
    },

    /**
     * "Gestiona sus propias notificaciones": can only be set while the client
     * has an active licence; clearing is always allowed.
     */
    setSelfManaged(input: { firmId: number; taxId: string; value: boolean; actor: AuditActor; now: number }): {
      client: ClientRecord;
      changed: boolean;
    } {
      return db.transaction(
        (tx) => {
          const c = tx
            .select()
            .from(clients)
            .where(and(eq(clients.firmId, input.firmId), eq(clients.taxId, input.taxId)))
            .get();
          if (!c) throw notFound("client.notFound");
          if (input.value) {
            requireActiveFirm(tx, input.firmId);
            const l = tx
              .select({ state: licences.state })
              .from(licences)
              .where(and(eq(licences.clientId, c.id), isNull(licences.deletedAt)))
              .get();
            if (l?.state !== "active") {
              throw new ServiceError("CONFLICT", "client.selfManagedNeedsLicence", {
                fields: [{ field: "selfManaged", message: "client.selfManagedNeedsLicence" }],
              });
            }
          }
          if (c.selfManaged === input.value) return { client: toClient(c), changed: false };
          const updated = tx
            .update(clients)
            .set({ selfManaged: input.value, selfManagedAt: input.value ? input.now : null, updatedAt: input.now })
            .where(eq(clients.id, c.id))
            .returning()
            .get();
          audit(tx, {
            firmId: input.firmId,
            action: input.value ? "client.selfManagedSet" : "client.selfManagedCleared",
            actor: input.actor,
            clientId: c.id,
            now: input.now,
          });
          return { client: toClient(updated), changed: true };
        },
        { behavior: "immediate" },
      );
    },

    /** Clients ordered by name, with their live licence, keyset-paged. */
    listClients(firmId: number, opts: { after?: string | undefined; limit: number }): Page<ClientRow> {
      const cursor = decodeCursor("c", ["string", "int"], opts.after);
      const args = { firmId, limit: opts.limit + 1 };
      const rows = cursor ? q.clientPageAfter.all({ ...args, name: cursor[0], id: cursor[1] }) : q.clientPage.all(args);
      const items = rows.slice(0, opts.limit).map(({ c, l }) => toClientRow(c, l));
      const last = items[items.length - 1];
      return rows.length > opts.limit && last ? { items, next: encodeCursor("c", [last.name, last.id]) } : { items };
    },

    /** The audit trail of a client and its licences (deleted ones included), newest first. */
    history(firmId: number, clientId: number, limit: number): AuditEvent[] {
      return historyPage(firmId, clientId, { limit }).items;
    },

    /** The same trail, keyset-paged by event id. */
    historyPage,

    /** One bulk issue's counts in the audit trail (each licence has its own `licence.created` already). */
    recordBulkCreated(input: {
      firmId: number;
      actor: AuditActor;
      now: number;
      counts: { lines: number; created: number; refused: number; failed: number };
    }): void {
      audit(db, {
        firmId: input.firmId,
        action: "licence.bulkCreated",
        actor: input.actor,
        now: input.now,
        details: input.counts,
      });
    },

    /** A licence number ever issued (deleted ones included), to look a deleted licence's client up. */
    findAnyLicenceByNumber(firmId: number, number: string): { licenceId: number; clientId: number } | undefined {
      return db
        .select({ licenceId: licences.id, clientId: licences.clientId })
        .from(licences)
        .where(and(eq(licences.firmId, firmId), eq(licences.number, number)))
        .get();
    },
  };
}
