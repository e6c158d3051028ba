import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { Db } from "./open.ts";
import { clients, firms, installations, licences, notifications, rateLimits } from "./schema.ts";
import type {
  ClientAppReads,
  ClientAppStatements,
  ClientAppWrites,
  InstallationRow,
  LicenceStanding,
  TokenLookup,
} from "./store/client-app.ts";
import type { Area } from "./store/index.ts";
import type { FailureWindow, NotificationRow, Page } from "./types.ts";

const p = sql.placeholder;

/**
 * The client app's lookups and the notification list, prepared once per
 * database (see docs/architecture.md, Storage); test/core/query-plans.test.ts
 * checks the list's plans.
 */
export function clientAppQueries(db: Db) {
  /** Newest first: notifications_firm_date (firm_id, date) or notifications_client_date walked backwards. */
  const notificationPage = (byClient: boolean, after: boolean) =>
    db
      .select({ n: notifications, clientName: clients.name, clientTaxId: clients.taxId })
      .from(notifications)
      .innerJoin(clients, eq(clients.id, notifications.clientId))
      .where(
        and(
          byClient ? eq(notifications.clientId, p("clientId")) : undefined,
          eq(notifications.firmId, p("firmId")),
          after
            ? sql`(${notifications.fechaPuestaDisposicion}, ${notifications.id}) < (${p("date")}, ${p("id")})`
            : undefined,
        ),
      )
      .orderBy(desc(notifications.fechaPuestaDisposicion), desc(notifications.id))
      .limit(p("limit"))
      .prepare();
  return {
    notificationPage: notificationPage(false, false),
    notificationPageAfter: notificationPage(false, true),
    clientNotificationPage: notificationPage(true, false),
    clientNotificationPageAfter: notificationPage(true, true),
    byToken: db
      .select({ i: installations, l: licences, firmState: firms.activationState })
      .from(installations)
      .innerJoin(licences, eq(licences.id, installations.licenceId))
      .innerJoin(firms, eq(firms.id, licences.firmId))
      .where(eq(installations.tokenHash, p("tokenHash")))
      .prepare(),
    failureWindow: db
      .select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
      .from(rateLimits)
      .where(eq(rateLimits.key, p("key")))
      .prepare(),
    byNumber: db
      .select({ l: licences, c: clients, firmState: firms.activationState })
      .from(licences)
      .innerJoin(clients, eq(clients.id, licences.clientId))
      .innerJoin(firms, eq(firms.id, licences.firmId))
      .where(and(eq(licences.number, p("number")), isNull(licences.deletedAt)))
      .prepare(),
    /** Only that client's notification, and only once: another client's row with the same reference stays. */
    markSelfManaged: db
      .update(notifications)
      .set({ selfManaged: true, handledAt: sql`${p("now")}`, estado: sql`${p("estado")}` })
      .where(
        and(
          eq(notifications.firmId, p("firmId")),
          eq(notifications.externalId, p("externalId")),
          eq(notifications.clientId, p("clientId")),
          eq(notifications.selfManaged, false),
        ),
      )
      .prepare(),
    insertReported: db
      .insert(notifications)
      .values({
        firmId: p("firmId"),
        clientId: p("clientId"),
        externalId: p("externalId"),
        organismo: p("organismo"),
        asunto: p("asunto"),
        fechaPuestaDisposicion: p("date"),
        fechaMaxLectura: p("deadline"),
        estado: p("estado"),
        selfManaged: true,
        handledAt: p("now"),
        createdAt: p("now"),
      })
      .onConflictDoNothing()
      .prepare(),
    touchInstallation: db
      .update(installations)
      .set({ lastSeenAt: sql`${p("now")}` })
      .where(eq(installations.id, p("id")))
      .prepare(),
  };
}

type InstallationSelect = typeof installations.$inferSelect;
type LicenceSelect = typeof licences.$inferSelect;

export const toInstallationRow = (i: InstallationSelect): InstallationRow => ({
  id: i.id,
  licenceId: i.licenceId,
  installationKey: i.installationKey,
  lastSeenAt: i.lastSeenAt,
  unlinkedAt: i.unlinkedAt,
});

export const toLicenceStanding = (l: LicenceSelect): LicenceStanding => ({
  id: l.id,
  firmId: l.firmId,
  clientId: l.clientId,
  state: l.state,
  installationId: l.installationId,
  deletedAt: l.deletedAt,
});

const toTokenLookup = (row: { i: InstallationSelect; l: LicenceSelect; firmState: TokenLookup["firmState"] }) => ({
  installation: toInstallationRow(row.i),
  licence: toLicenceStanding(row.l),
  firmState: row.firmState,
});

/** The validation's lookup (below): the token's hash, and the rate-limit key of the caller's address. */
export const VALIDATION_SQL = `select i.id as iId, i.licence_id as iLicenceId, i.installation_key as iKey, i.last_seen_at as iSeen,
            i.unlinked_at as iUnlinked, l.id as lId, l.firm_id as lFirmId, l.client_id as lClientId,
            l.state as lState, l.installation_id as lInstallationId, l.deleted_at as lDeletedAt,
            f.activation_state as firmState, r.window_start as windowStart, r.count as failures
       from installations i
       join licences l on l.id = i.licence_id
       join firms f on f.id = l.firm_id
       left join rate_limits r on r.key = @limitKey
      where i.token_hash = @tokenHash`;

/** One row of the validation's lookup, flat, as SQLite gives it. */
interface ValidationRow {
  iId: number;
  iLicenceId: number;
  iKey: string;
  iSeen: number | null;
  iUnlinked: number | null;
  lId: number;
  lFirmId: number;
  lClientId: number;
  lState: LicenceStanding["state"];
  lInstallationId: number | null;
  lDeletedAt: number | null;
  firmState: TokenLookup["firmState"];
  windowStart: number | null;
  failures: number | null;
}

/**
 * The client app's validation, the busiest query of the product
 * (docs/architecture.md, Performance): the token's installation, licence and
 * firm state, with the failed-attempt window of the caller's address in the
 * same statement, so a known token needs no second query to learn whether its
 * address is locked out. One plain better-sqlite3 statement, prepared once,
 * selecting only what the answer needs: drizzle's row mapping of two whole
 * rows was a tenth of the request's time. test/store/client-app.test.ts
 * checks its answers on both storages, test/core/query-plans.test.ts its plan.
 */
function validationLookup(db: Db): ClientAppReads["installationByToken"] {
  const statement = db.$client.prepare<[{ tokenHash: string; limitKey: string | null }], ValidationRow>(VALIDATION_SQL);
  return async (tokenHash, limitKey) => {
    const row = statement.get({ tokenHash, limitKey: limitKey ?? null });
    if (!row) return { found: undefined, window: undefined };
    const window =
      row.windowStart !== null && row.failures !== null
        ? { windowStart: row.windowStart, count: row.failures }
        : undefined;
    const found: TokenLookup = {
      installation: {
        id: row.iId,
        licenceId: row.iLicenceId,
        installationKey: row.iKey,
        lastSeenAt: row.iSeen,
        unlinkedAt: row.iUnlinked,
      },
      licence: {
        id: row.lId,
        firmId: row.lFirmId,
        clientId: row.lClientId,
        state: row.lState,
        installationId: row.lInstallationId,
        deletedAt: row.lDeletedAt,
      },
      firmState: row.firmState,
    };
    return { found, window };
  };
}

/** The most values one statement binds: SQLite's limit is far above, PostgreSQL's is 65,535. */
export const BATCH = 500;

/**
 * The client-app area on SQLite (docs/architecture.md, "Storage: SQLite"):
 * today's prepared statements, each method synchronous inside; a unit holds
 * the write lock, so the `…ForUpdate`/`…ForShare` reads are the plain ones.
 */
export function clientAppArea(db: Db): Area<ClientAppReads, ClientAppWrites, ClientAppStatements> {
  const q = clientAppQueries(db);
  const validation = validationLookup(db);
  const byToken = async (tokenHash: string) => {
    const row = q.byToken.get({ tokenHash });
    return row ? toTokenLookup(row) : undefined;
  };
  return {
    reads: {
      async installationByToken(tokenHash, limitKey) {
        return validation(tokenHash, limitKey);
      },

      async installation(id) {
        const row = db.select().from(installations).where(eq(installations.id, id)).get();
        return row ? toInstallationRow(row) : undefined;
      },

      async clientIdsByTaxId(firmId, taxIds) {
        const known = new Map<string, number>();
        const unique = [...new Set(taxIds)];
        for (let i = 0; i < unique.length; i += BATCH) {
          const rows = db
            .select({ id: clients.id, taxId: clients.taxId })
            .from(clients)
            .where(and(eq(clients.firmId, firmId), inArray(clients.taxId, unique.slice(i, i + BATCH))))
            .all();
          for (const c of rows) known.set(c.taxId, c.id);
        }
        return known;
      },

      async listNotifications(firmId, opts) {
        const cursor = decodeCursor("n", ["number", "int"], opts.after);
        const args = { firmId, limit: opts.limit + 1, ...(cursor ? { date: cursor[0], id: cursor[1] } : {}) };
        const rows =
          opts.clientId === undefined
            ? (cursor ? q.notificationPageAfter : q.notificationPage).all(args)
            : (cursor ? q.clientNotificationPageAfter : q.clientNotificationPage).all({
                ...args,
                clientId: opts.clientId,
              });
        return notificationPage(rows, opts.limit);
      },

      async failureCounts(keys, now, windowMs) {
        const out = new Map<string, FailureWindow>();
        for (const key of keys) {
          const r = q.failureWindow.get({ key });
          if (r && now - r.windowStart < windowMs) out.set(key, r);
        }
        return out;
      },
    },

    writes: {
      async licenceByNumberForUpdate(number) {
        const row = q.byNumber.get({ number });
        return row
          ? { licence: toLicenceStanding(row.l), clientTaxId: row.c.taxId, firmState: row.firmState }
          : undefined;
      },

      installationByTokenForShare: byToken,

      async insertInstallation(row) {
        return db
          .insert(installations)
          .values({
            licenceId: row.licenceId,
            installationKey: row.installationKey,
            tokenHash: row.tokenHash,
            createdAt: row.now,
            lastSeenAt: row.now,
          })
          .returning({ id: installations.id })
          .get().id;
      },

      async linkLicence(licenceId, installationId, now) {
        db.update(licences)
          .set({ installationId, linkedAt: now, updatedAt: now })
          .where(eq(licences.id, licenceId))
          .run();
      },

      async renewInstallationToken(installationId, tokenHash, now) {
        db.update(installations).set({ tokenHash, lastSeenAt: now }).where(eq(installations.id, installationId)).run();
      },

      async insertReportedNotifications(rows, now) {
        const created = new Set<string>();
        for (const n of rows) {
          const res = q.insertReported.run({
            firmId: n.firmId,
            clientId: n.clientId,
            externalId: n.externalId,
            organismo: n.organismo,
            asunto: n.asunto,
            date: n.fechaPuestaDisposicion,
            deadline: n.fechaMaxLectura ?? null,
            estado: n.estado,
            now,
          });
          if (res.changes === 1) created.add(n.externalId);
        }
        return created;
      },

      async markNotificationSelfManaged(row, now) {
        return q.markSelfManaged.run({ ...row, now }).changes === 1;
      },

      async insertImportedNotifications(rows, now) {
        let imported = 0;
        for (const r of rows) {
          const res = db
            .insert(notifications)
            .values({
              firmId: r.firmId,
              clientId: r.clientId,
              externalId: r.externalId,
              organismo: r.organismo,
              asunto: r.asunto,
              fechaPuestaDisposicion: r.fechaPuestaDisposicion,
              fechaMaxLectura: r.fechaMaxLectura ?? null,
              estado: r.estado,
              createdAt: now,
            })
            .onConflictDoNothing()
            .run();
          imported += res.changes;
        }
        return imported;
      },
    },

    statements: {
      async touchInstallation(installationId, now) {
        q.touchInstallation.run({ id: installationId, now });
      },

      async recordFailure(keys, now, windowMs) {
        for (const key of keys) {
          db.insert(rateLimits)
            .values({ key, windowStart: now, count: 1 })
            .onConflictDoUpdate(failureUpsert(now, windowMs))
            .run();
        }
      },

      async purgeFailures(before) {
        db.delete(rateLimits).where(lt(rateLimits.windowStart, before)).run();
      },
    },
  };
}

/**
 * The counter's upsert, the same on both storages: a window that has
 * expired starts again at 1, else the count goes up by one. Both SET
 * expressions read the row as it was, and the row is locked by the
 * statement itself, so concurrent failures are all counted.
 */
export function failureUpsert(now: number, windowMs: number) {
  const expired = sql`${rateLimits.windowStart} <= ${now - windowMs}`;
  return {
    target: rateLimits.key,
    set: {
      count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
      windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${rateLimits.windowStart} END`,
    },
  };
}

/** A page of the notification list from `limit + 1` rows (the extra one says there is a next page). */
export function notificationPage(
  rows: { n: typeof notifications.$inferSelect; clientName: string; clientTaxId: string }[],
  limit: number,
): Page<NotificationRow> {
  const items: NotificationRow[] = rows.slice(0, limit).map(({ n, clientName, clientTaxId }) => ({
    id: n.id,
    externalId: n.externalId,
    clientId: n.clientId,
    clientName,
    clientTaxId,
    organismo: n.organismo,
    asunto: n.asunto,
    fechaPuestaDisposicion: n.fechaPuestaDisposicion,
    fechaMaxLectura: n.fechaMaxLectura,
    estado: n.estado,
    selfManaged: n.selfManaged,
    handledAt: n.handledAt,
  }));
  const last = items[items.length - 1];
  return rows.length > limit && last
    ? { items, next: encodeCursor("n", [last.fechaPuestaDisposicion, last.id]) }
    : { items };
}
