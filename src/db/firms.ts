import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { conflict, forbidden, notFound, ServiceError } from "../errors.ts";
import { audit, type Tx } from "./audit.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { Db } from "./open.ts";
import { activationRequests, clients, firms, workspaces } from "./schema.ts";
import type { ActivationRequest, AuditActor, Firm, FirmRow, Page, Platform } from "./types.ts";

function toFirm(row: typeof firms.$inferSelect): Firm {
  return {
    id: row.id,
    name: row.name,
    activationState: row.activationState,
    activationChangedAt: row.activationChangedAt,
  };
}

function loadRequest(tx: Tx, id: number): ActivationRequest | undefined {
  const row = tx
    .select({ r: activationRequests, firmName: firms.name })
    .from(activationRequests)
    .innerJoin(firms, eq(firms.id, activationRequests.firmId))
    .where(eq(activationRequests.id, id))
    .get();
  if (!row) return undefined;
  const ws = tx
    .select({ platform: workspaces.platform, externalId: workspaces.externalId })
    .from(workspaces)
    .where(eq(workspaces.firmId, row.r.firmId))
    .all();
  const { r } = row;
  return {
    id: r.id,
    firmId: r.firmId,
    firmName: row.firmName,
    firmWorkspaces: ws,
    platform: r.platform,
    requesterId: r.requesterId,
    requesterName: r.requesterName,
    requesterLocale: r.requesterLocale,
    message: r.message,
    status: r.status,
    decidedBy: r.decidedBy,
    decidedByName: r.decidedByName,
    decidedByPlatform: r.decidedByPlatform,
    decidedAt: r.decidedAt,
    reason: r.reason,
    supportRef: r.supportRef,
    requesterRef: r.requesterRef,
    createdAt: r.createdAt,
  };
}

const p = sql.placeholder;

/** Support's firm list, prepared once per database; test/core/query-plans.test.ts checks the plans. */
export function firmQueries(db: Db) {
  const firmPage = (after: boolean) =>
    db
      .select()
      .from(firms)
      .where(after ? sql`(${firms.name}, ${firms.id}) > (${p("name")}, ${p("id")})` : undefined)
      .orderBy(asc(firms.name), asc(firms.id))
      .limit(p("limit"))
      .prepare();
  return {
    firmPage: firmPage(false),
    firmPageAfter: firmPage(true),
    /** Every chat request's first query (firmOf): the firm of the verified workspace. */
    firmOfWorkspace: db
      .select({ f: firms, wsName: workspaces.name })
      .from(workspaces)
      .innerJoin(firms, eq(firms.id, workspaces.firmId))
      .where(and(eq(workspaces.platform, p("platform")), eq(workspaces.externalId, p("externalId"))))
      .prepare(),
    firmById: db
      .select()
      .from(firms)
      .where(eq(firms.id, p("id")))
      .prepare(),
    /** workspaces_firm (firm_id): one probe per firm of the page. */
    workspacesOfFirm: db
      .select({ platform: workspaces.platform, externalId: workspaces.externalId })
      .from(workspaces)
      .where(eq(workspaces.firmId, p("firmId")))
      .orderBy(asc(workspaces.id))
      .prepare(),
  };
}

export function firmStore(db: Db) {
  const q = firmQueries(db);
  const toFirmRow = (f: typeof firms.$inferSelect): FirmRow => ({
    ...toFirm(f),
    workspaces: q.workspacesOfFirm.all({ firmId: f.id }),
    licences: f.liveLicences,
  });
  return {
    /** The firm of a chat workspace, registered on first use. */
    resolveFirm(platform: Platform, externalId: string, name: string | undefined, now: number): Firm {
      // The common case reads only; the write lock is taken for a new workspace or a new name.
      const known = q.firmOfWorkspace.get({ platform, externalId });
      if (known && (!name || name === known.wsName)) return toFirm(known.f);
      return db.transaction(
        (tx) => {
          const found = tx
            .select({ f: firms, wsName: workspaces.name, wsId: workspaces.id })
            .from(workspaces)
            .innerJoin(firms, eq(firms.id, workspaces.firmId))
            .where(and(eq(workspaces.platform, platform), eq(workspaces.externalId, externalId)))
            .get();
          if (found) {
            if (name && name !== found.wsName) {
              tx.update(workspaces).set({ name }).where(eq(workspaces.id, found.wsId)).run();
              // The firm follows its workspace's name only while it has no name of its own:
              // a name typed in the activation form ("Nombre del despacho") is kept.
              if (found.f.name !== (found.wsName ?? externalId)) return toFirm(found.f);
              tx.update(firms).set({ name }).where(eq(firms.id, found.f.id)).run();
              return toFirm({ ...found.f, name });
            }
            return toFirm(found.f);
          }
          const firm = tx
            .insert(firms)
            .values({ name: name ?? externalId, createdAt: now })
            .returning()
            .get();
          tx.insert(workspaces)
            .values({ firmId: firm.id, platform, externalId, name: name ?? null, createdAt: now })
            .run();
          return toFirm(firm);
        },
        { behavior: "immediate" },
      );
    },

    /** Read-only lookup: the firm of a workspace, if it was ever registered. */
    findFirm(platform: Platform, externalId: string): Firm | undefined {
      const row = q.firmOfWorkspace.get({ platform, externalId });
      return row ? toFirm(row.f) : undefined;
    },

    getFirm(firmId: number): Firm | undefined {
      const row = db.select().from(firms).where(eq(firms.id, firmId)).get();
      return row ? toFirm(row) : undefined;
    },

    createActivationRequest(input: {
      firmId: number;
      platform: Platform;
      requesterId: string;
      requesterName?: string | undefined;
      requesterLocale: string;
      message: string;
      /** Renames the firm in the same transaction, when given. */
      firmName?: string | undefined;
      requesterRef?: string | undefined;
      now: number;
    }): ActivationRequest {
      return db.transaction(
        (tx) => {
          const firm = tx.select().from(firms).where(eq(firms.id, input.firmId)).get();
          if (!firm) throw notFound();
          if (firm.activationState === "active") throw conflict("activation.alreadyActive");
          if (firm.activationState === "pending") throw conflict("activation.alreadyPending");
          const req = tx
            .insert(activationRequests)
            .values({
              firmId: input.firmId,
              platform: input.platform,
              requesterId: input.requesterId,
              requesterName: input.requesterName ?? null,
              requesterLocale: input.requesterLocale,
              message: input.message,
              status: "pending",
              requesterRef: input.requesterRef ?? null,
              createdAt: input.now,
            })
            .returning({ id: activationRequests.id })
            .get();
          tx.update(firms)
            .set({
              activationState: "pending",
              activationChangedAt: input.now,
              ...(input.firmName ? { name: input.firmName } : {}),
            })
            .where(eq(firms.id, input.firmId))
            .run();
          audit(tx, {
            firmId: input.firmId,
            action: "activation.requested",
            actor: { platform: input.platform, id: input.requesterId },
            requestId: req.id,
            now: input.now,
          });
          return loadRequest(tx, req.id) as ActivationRequest;
        },
        { behavior: "immediate" },
      );
    },

    getActivationRequest(id: number): ActivationRequest | undefined {
      return loadRequest(db, id);
    },

    /** The request that activated the firm (its requester is told about a revocation). */
    lastApprovedRequest(firmId: number): ActivationRequest | undefined {
      const row = db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(and(eq(activationRequests.firmId, firmId), eq(activationRequests.status, "approved")))
        .orderBy(desc(activationRequests.id))
        .limit(1)
        .get();
      return row ? loadRequest(db, row.id) : undefined;
    },

    setSupportRef(requestId: number, ref: string): void {
      db.update(activationRequests).set({ supportRef: ref }).where(eq(activationRequests.id, requestId)).run();
    },

    listPendingRequests(limit: number): ActivationRequest[] {
      const ids = db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(eq(activationRequests.status, "pending"))
        .orderBy(asc(activationRequests.id))
        .limit(limit)
        .all();
      return ids.map(({ id }) => loadRequest(db, id) as ActivationRequest);
    },

    /** Pending requests never shown in the support channel (it was unreachable then). */
    listUnpostedRequests(): ActivationRequest[] {
      const ids = db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(and(eq(activationRequests.status, "pending"), isNull(activationRequests.supportRef)))
        .orderBy(asc(activationRequests.id))
        .all();
      return ids.map(({ id }) => loadRequest(db, id) as ActivationRequest);
    },

    /**
     * Records a decision. The first one wins: a later one gets ALREADY_DECIDED
     * with who decided and when.
     */
    decideActivationRequest(input: {
      requestId: number;
      approve: boolean;
      reason?: string | undefined;
      decider: { platform: Platform; id: string; name?: string | undefined };
      now: number;
    }): ActivationRequest {
      return db.transaction(
        (tx) => {
          const req = loadRequest(tx, input.requestId);
          if (!req) throw notFound("activation.requestNotFound");
          if (req.status !== "pending") {
            throw new ServiceError("ALREADY_DECIDED", "activation.alreadyDecided", {
              details: {
                status: req.status,
                decidedBy: req.decidedBy,
                decidedByName: req.decidedByName,
                decidedByPlatform: req.decidedByPlatform,
                decidedAt: req.decidedAt,
              },
            });
          }
          if (req.platform === input.decider.platform && req.requesterId === input.decider.id) {
            throw forbidden("activation.ownRequest");
          }
          const status = input.approve ? "approved" : "rejected";
          const changed = tx
            .update(activationRequests)
            .set({
              status,
              decidedBy: input.decider.id,
              decidedByName: input.decider.name ?? null,
              decidedByPlatform: input.decider.platform,
              decidedAt: input.now,
              reason: input.reason ?? null,
            })
            .where(and(eq(activationRequests.id, req.id), eq(activationRequests.status, "pending")))
            .run();
          if (changed.changes !== 1) throw conflict("activation.alreadyDecided");
          tx.update(firms)
            .set({ activationState: input.approve ? "active" : "rejected", activationChangedAt: input.now })
            .where(eq(firms.id, req.firmId))
            .run();
          audit(tx, {
            firmId: req.firmId,
            action: input.approve ? "activation.approved" : "activation.rejected",
            actor: input.decider,
            requestId: req.id,
            now: input.now,
            ...(input.reason ? { details: { reason: input.reason } } : {}),
          });
          return loadRequest(tx, req.id) as ActivationRequest;
        },
        { behavior: "immediate" },
      );
    },

    /** Support ends an active firm's feature (contract ended). */
    revokeFirm(input: {
      firmId: number;
      actor: AuditActor;
      reason?: string | undefined;
      now: number;
    }): Firm & { selfManagedCleared: number } {
      return db.transaction(
        (tx) => {
          const firm = tx.select().from(firms).where(eq(firms.id, input.firmId)).get();
          if (!firm) throw notFound("activation.firmNotFound");
          if (firm.activationState !== "active") throw conflict("activation.notActive");
          const updated = tx
            .update(firms)
            .set({ activationState: "revoked", activationChangedAt: input.now })
            .where(eq(firms.id, firm.id))
            .returning()
            .get();
          audit(tx, {
            firmId: firm.id,
            action: "activation.revoked",
            actor: input.actor,
            now: input.now,
            ...(input.reason ? { details: { reason: input.reason } } : {}),
          });
          // The clients' apps stop validating: nobody may be left believing they watch their own mailboxes.
          const cleared = tx
            .update(clients)
            .set({ selfManaged: false, selfManagedAt: null, updatedAt: input.now })
            .where(and(eq(clients.firmId, firm.id), eq(clients.selfManaged, true)))
            .returning({ id: clients.id })
            .all();
          for (const c of cleared) {
            audit(tx, {
              firmId: firm.id,
              action: "client.selfManagedCleared",
              actor: input.actor,
              clientId: c.id,
              details: { cause: "activation.revoked" },
              now: input.now,
            });
          }
          return { ...toFirm(updated), selfManagedCleared: cleared.length };
        },
        { behavior: "immediate" },
      );
    },

    /** Firms by name with their workspaces and live licences, for support; keyset-paged. */
    listFirms(opts: { after?: string | undefined; limit: number }): Page<FirmRow> {
      const cursor = decodeCursor("f", ["string", "int"], opts.after);
      const args = { limit: opts.limit + 1 };
      const rows = cursor ? q.firmPageAfter.all({ ...args, name: cursor[0], id: cursor[1] }) : q.firmPage.all(args);
      const items = rows.slice(0, opts.limit).map(toFirmRow);
      const last = items[items.length - 1];
      return rows.length > opts.limit && last ? { items, next: encodeCursor("f", [last.name, last.id]) } : { items };
    },

    /** One firm as support's list shows it. */
    getFirmRow(firmId: number): FirmRow | undefined {
      const row = q.firmById.get({ id: firmId });
      return row ? toFirmRow(row) : undefined;
    },
  };
}
