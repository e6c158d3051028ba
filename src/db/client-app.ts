import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { audit } from "./audit.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { Db } from "./open.ts";
import { clients, firms, installations, licences, notifications, rateLimits } from "./schema.ts";
import type {
  ActivationOutcome,
  FailureWindow,
  NotificationInput,
  NotificationRow,
  Page,
  ReportOutcome,
  ValidationOutcome,
} from "./types.ts";

const CLIENT_APP = (installationKey: string) => ({ platform: "client_app" as const, id: installationKey });

const LAST_SEEN_RESOLUTION_MS = 60 * 60_000;

type ClientAppQueries = ReturnType<typeof clientAppQueries>;

type Refusal = { code: Exclude<ValidationOutcome["code"], "VALID"> };

/** The installation of a token and its licence, when the licence validates; else why not. */
function findByToken(
  q: ClientAppQueries,
  tokenHash: string,
): { i: typeof installations.$inferSelect; l: typeof licences.$inferSelect } | Refusal {
  // A prepared statement of the database runs inside a transaction too: the connection is the same.
  return decide(q.byToken.get({ tokenHash }));
}

function decide(
  row: { i: typeof installations.$inferSelect; l: typeof licences.$inferSelect; firmState: string } | undefined,
): { i: typeof installations.$inferSelect; l: typeof licences.$inferSelect } | Refusal {
  if (!row || row.l.deletedAt !== null) return { code: "NOT_FOUND" };
  if (row.i.unlinkedAt !== null || row.l.installationId !== row.i.id) return { code: "UNLINKED" };
  if (row.firmState !== "active") return { code: "FEATURE_DISABLED" };
  if (row.l.state === "deactivated") return { code: "DEACTIVATED" };
  return { i: row.i, l: row.l };
}

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
    /**
     * The validation's lookup, with the failed-attempt window of the caller's
     * address in the same statement: a known token needs no second query to
     * learn whether its address is locked out.
     */
    byTokenWithWindow: db
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
      .leftJoin(rateLimits, eq(rateLimits.key, p("limitKey")))
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
    notificationByExternalId: db
      .select({ id: notifications.id, clientId: notifications.clientId, selfManaged: notifications.selfManaged })
      .from(notifications)
      .where(and(eq(notifications.firmId, p("firmId")), eq(notifications.externalId, p("externalId"))))
      .prepare(),
    markSelfManaged: db
      .update(notifications)
      .set({ selfManaged: true, handledAt: sql`${p("now")}`, estado: sql`${p("estado")}` })
      .where(eq(notifications.id, p("id")))
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
      .prepare(),
    touchInstallation: db
      .update(installations)
      .set({ lastSeenAt: sql`${p("now")}` })
      .where(eq(installations.id, p("id")))
      .prepare(),
  };
}

export function clientAppStore(db: Db) {
  const q = clientAppQueries(db);
  return {
    /**
     * Binds a licence to an installation. A wrong tax id is NOT_FOUND, like an
     * unknown number, so a caller never learns which part was wrong.
     */
    activateInstallation(input: {
      number: string;
      taxId: string;
      installationKey: string;
      tokenHash: string;
      now: number;
    }): ActivationOutcome {
      return db.transaction(
        (tx) => {
          const row = q.byNumber.get({ number: input.number });
          if (!row) return { code: "NOT_FOUND" };
          const actor = CLIENT_APP(input.installationKey);
          const refuse = (code: "NOT_FOUND" | "DEACTIVATED" | "ALREADY_LINKED" | "FEATURE_DISABLED") => {
            audit(tx, {
              firmId: row.l.firmId,
              action: "installation.refused",
              actor,
              licenceId: row.l.id,
              clientId: row.c.id,
              details: { code },
              now: input.now,
            });
            return { code } as const;
          };
          if (row.c.taxId !== input.taxId) return refuse("NOT_FOUND");
          if (row.firmState !== "active") return refuse("FEATURE_DISABLED");
          if (row.l.state === "deactivated") return refuse("DEACTIVATED");
          if (row.l.installationId !== null) {
            const current = tx.select().from(installations).where(eq(installations.id, row.l.installationId)).get();
            if (current && current.installationKey !== input.installationKey) return refuse("ALREADY_LINKED");
            if (current) {
              // The same machine activating again gets a fresh token; the old one stops working.
              tx.update(installations)
                .set({ tokenHash: input.tokenHash, lastSeenAt: input.now })
                .where(eq(installations.id, current.id))
                .run();
              audit(tx, {
                firmId: row.l.firmId,
                action: "installation.reactivated",
                actor,
                licenceId: row.l.id,
                clientId: row.c.id,
                now: input.now,
              });
              return { code: "ACTIVATED", licenceId: row.l.id };
            }
          }
          const inst = tx
            .insert(installations)
            .values({
              licenceId: row.l.id,
              installationKey: input.installationKey,
              tokenHash: input.tokenHash,
              createdAt: input.now,
              lastSeenAt: input.now,
            })
            .returning({ id: installations.id })
            .get();
          tx.update(licences)
            .set({ installationId: inst.id, linkedAt: input.now, updatedAt: input.now })
            .where(eq(licences.id, row.l.id))
            .run();
          audit(tx, {
            firmId: row.l.firmId,
            action: "installation.bound",
            actor,
            licenceId: row.l.id,
            clientId: row.c.id,
            now: input.now,
          });
          return { code: "ACTIVATED", licenceId: row.l.id };
        },
        { behavior: "immediate" },
      );
    },

    /**
     * The licence of an installation token, and (when the token is known) the
     * failed-attempt window of `limitKey` read by the same statement.
     */
    validateInstallation(
      tokenHash: string,
      now: number,
      limitKey?: string,
    ): { outcome: ValidationOutcome; window?: FailureWindow | undefined } {
      const row = q.byTokenWithWindow.get({ tokenHash, limitKey: limitKey ?? null });
      const window =
        row?.windowStart != null && row.failures != null
          ? { windowStart: row.windowStart, count: row.failures }
          : undefined;
      const found = decide(row);
      if ("code" in found) return { outcome: found, window };
      // A write per validation would serialise every app behind the write lock: once an hour is enough.
      if (found.i.lastSeenAt === null || now - found.i.lastSeenAt > LAST_SEEN_RESOLUTION_MS) {
        q.touchInstallation.run({ id: found.i.id, now });
      }
      return {
        outcome: { code: "VALID", firmId: found.l.firmId, licenceId: found.l.id, clientId: found.l.clientId },
        window,
      };
    },

    /**
     * Notifications the client handled itself, with its installation token:
     * the token is checked in the same transaction as the write, so a licence
     * deactivated or unlinked meanwhile takes nothing. Idempotent by the
     * administration's id; returns how many were new.
     */
    reportNotifications(input: { tokenHash: string; items: NotificationInput[]; now: number }): ReportOutcome {
      return db.transaction(
        (tx) => {
          const found = findByToken(q, input.tokenHash);
          if ("code" in found) return found;
          const firmId = found.l.firmId;
          const clientId = found.l.clientId;
          let created = 0;
          let updated = 0;
          for (const n of input.items) {
            const existing = q.notificationByExternalId.get({ firmId, externalId: n.externalId });
            if (existing) {
              // Another client's notification with the same reference is left alone.
              if (existing.clientId === clientId && !existing.selfManaged) {
                q.markSelfManaged.run({ id: existing.id, now: input.now, estado: n.estado });
                updated++;
              }
              continue;
            }
            q.insertReported.run({
              firmId,
              clientId,
              externalId: n.externalId,
              organismo: n.organismo,
              asunto: n.asunto,
              date: n.fechaPuestaDisposicion,
              deadline: n.fechaMaxLectura ?? null,
              estado: n.estado,
              now: input.now,
            });
            created++;
          }
          if (created + updated > 0) {
            audit(tx, {
              firmId,
              action: "notifications.reported",
              actor: CLIENT_APP(found.i.installationKey),
              licenceId: found.l.id,
              clientId,
              details: { created, updated },
              now: input.now,
            });
          }
          return { code: "ACCEPTED", created, updated };
        },
        { behavior: "immediate" },
      );
    },

    /** The firm's own notifications from a file; rows whose client is unknown are returned. */
    importNotifications(input: {
      firmId: number;
      rows: (NotificationInput & { taxId: string; line: number })[];
      now: number;
    }): { imported: number; unchanged: number; unknownClient: number[] } {
      return db.transaction(
        (tx) => {
          const taxIds = [...new Set(input.rows.map((r) => r.taxId))];
          const known = new Map<string, number>();
          for (let i = 0; i < taxIds.length; i += 500) {
            for (const c of tx
              .select({ id: clients.id, taxId: clients.taxId })
              .from(clients)
              .where(and(eq(clients.firmId, input.firmId), inArray(clients.taxId, taxIds.slice(i, i + 500))))
              .all()) {
              known.set(c.taxId, c.id);
            }
          }
          let imported = 0;
          let unchanged = 0;
          const unknownClient: number[] = [];
          for (const r of input.rows) {
            const clientId = known.get(r.taxId);
            if (clientId === undefined) {
              unknownClient.push(r.line);
              continue;
            }
            const res = tx
              .insert(notifications)
              .values({
                firmId: input.firmId,
                clientId,
                externalId: r.externalId,
                organismo: r.organismo,
                asunto: r.asunto,
                fechaPuestaDisposicion: r.fechaPuestaDisposicion,
                fechaMaxLectura: r.fechaMaxLectura ?? null,
                estado: r.estado,
                createdAt: input.now,
              })
              .onConflictDoNothing()
              .run();
            if (res.changes === 1) imported++;
            else unchanged++;
          }
          if (imported > 0) {
            audit(tx, {
              firmId: input.firmId,
              action: "notifications.imported",
              actor: { platform: "cli", id: "import" },
              details: { imported },
              now: input.now,
            });
          }
          return { imported, unchanged, unknownClient };
        },
        { behavior: "immediate" },
      );
    },

    /** Newest first (then the latest stored first), keyset-paged by (date, id). */
    listNotifications(
      firmId: number,
      opts: { clientId?: number | undefined; after?: string | undefined; limit: number },
    ): Page<NotificationRow> {
      const cursor = decodeCursor("n", ["number", "int"], opts.after);
      const args = { firmId, limit: opts.limit + 1, ...(cursor ? { date: cursor[0], id: cursor[1] } : {}) };
      const rows =
        opts.clientId === undefined
          ? (cursor ? q.notificationPageAfter : q.notificationPage).all(args)
          : (cursor ? q.clientNotificationPageAfter : q.clientNotificationPage).all({
              ...args,
              clientId: opts.clientId,
            });
      const items: NotificationRow[] = rows.slice(0, opts.limit).map(({ n, clientName, clientTaxId }) => ({
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
      return rows.length > opts.limit && last
        ? { items, next: encodeCursor("n", [last.fechaPuestaDisposicion, last.id]) }
        : { items };
    },

    /** Failed attempts in the current window for each key, with when that window started. */
    failureCounts(keys: string[], now: number, windowMs: number): Map<string, FailureWindow> {
      const out = new Map<string, FailureWindow>();
      for (const key of keys) {
        const r = q.failureWindow.get({ key });
        if (r && now - r.windowStart < windowMs) out.set(key, r);
      }
      return out;
    },

    /** Counts one failed attempt against each key (fixed window). */
    recordFailure(keys: string[], now: number, windowMs: number): void {
      db.transaction(
        (tx) => {
          for (const key of keys) {
            const r = tx.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
            if (!r || now - r.windowStart >= windowMs) {
              tx.insert(rateLimits)
                .values({ key, windowStart: now, count: 1 })
                .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart: now, count: 1 } })
                .run();
            } else {
              tx.update(rateLimits)
                .set({ count: r.count + 1 })
                .where(eq(rateLimits.key, key))
                .run();
            }
          }
          // Old windows are garbage.
          tx.delete(rateLimits)
            .where(lt(rateLimits.windowStart, now - 2 * windowMs))
            .run();
        },
        { behavior: "immediate" },
      );
    },
  };
}
