import { and, asc, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { audit, type Tx } from "./audit.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { Db } from "./open.ts";
import { rawRow, rowObject } from "./raw.ts";
import { refStatements } from "./refs.ts";
import { activationRequests, clients, firms, workspaces } from "./schema.ts";
import { seenRequestStatements } from "./seen-requests.ts";
import type { FirmReads, FirmStatements, FirmWrites } from "./store/firms.ts";
import type { Area } from "./store/index.ts";
import type { ActivationRequest, Firm, FirmRow } from "./types.ts";

export function toFirm(row: typeof firms.$inferSelect): Firm {
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
      .select({ f: firms, wsId: workspaces.id, wsName: workspaces.name })
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

/** The columns of firmOfWorkspace's row, in the order drizzle selects them: the firm's, then the workspace's id and name. */
const FIRM_KEYS = Object.keys(getTableColumns(firms)) as (keyof typeof firms.$inferSelect)[];

/**
 * The firms area on SQLite (docs/architecture.md, "Storage: SQLite"): today's
 * synchronous better-sqlite3 calls behind async methods. `db` is the write
 * connection (writes, statements, and reads inside a unit) or the read-only
 * one (reads outside units).
 */
export function sqliteFirms(db: Db): Area<FirmReads, FirmWrites, FirmStatements> {
  const q = firmQueries(db);
  // Every chat request starts with it (its firm): raw rows, mapped here (src/db/raw.ts).
  const firmOfWorkspace = rawRow(q.firmOfWorkspace, db);
  const workspaceFirm = (platform: string, externalId: string) => {
    const row = firmOfWorkspace({ platform, externalId });
    if (!row) return undefined;
    return {
      firm: toFirm(rowObject(FIRM_KEYS, row, 0)),
      workspaceId: row[FIRM_KEYS.length] as number,
      workspaceName: row[FIRM_KEYS.length + 1] as string | null,
    };
  };
  const toFirmRow = (f: typeof firms.$inferSelect): FirmRow => ({
    ...toFirm(f),
    workspaces: q.workspacesOfFirm.all({ firmId: f.id }),
    licences: f.liveLicences,
  });
  // A unit holds the database's write lock (BEGIN IMMEDIATE): a locking read is the plain read.
  const firmRow = (firmId: number) => {
    const row = q.firmById.get({ id: firmId });
    return row ? toFirm(row) : undefined;
  };

  const reads: FirmReads = {
    async workspaceFirm(platform, externalId) {
      return workspaceFirm(platform, externalId);
    },
    async findFirm(platform, externalId) {
      return workspaceFirm(platform, externalId)?.firm;
    },
    async getFirm(firmId) {
      return firmRow(firmId);
    },
    async getFirmRow(firmId) {
      const row = q.firmById.get({ id: firmId });
      return row ? toFirmRow(row) : undefined;
    },
    async listFirms(opts) {
      const cursor = decodeCursor("f", ["string", "int"], opts.after);
      const args = { limit: opts.limit + 1 };
      const rows = cursor ? q.firmPageAfter.all({ ...args, name: cursor[0], id: cursor[1] }) : q.firmPage.all(args);
      const items = rows.slice(0, opts.limit).map(toFirmRow);
      const last = items[items.length - 1];
      return rows.length > opts.limit && last ? { items, next: encodeCursor("f", [last.name, last.id]) } : { items };
    },
    async getActivationRequest(id) {
      return loadRequest(db, id);
    },
    async lastApprovedRequest(firmId) {
      const row = db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(and(eq(activationRequests.firmId, firmId), eq(activationRequests.status, "approved")))
        .orderBy(desc(activationRequests.id))
        .limit(1)
        .get();
      return row ? loadRequest(db, row.id) : undefined;
    },
    async listPendingRequests(limit) {
      const ids = db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(eq(activationRequests.status, "pending"))
        .orderBy(asc(activationRequests.id))
        .limit(limit)
        .all();
      return ids.map(({ id }) => loadRequest(db, id) as ActivationRequest);
    },
  };

  const writes: FirmWrites = {
    async audit(entry) {
      audit(db, entry);
    },
    async firmForUpdate(firmId) {
      return firmRow(firmId);
    },
    async requestForUpdate(id) {
      return loadRequest(db, id);
    },
    async insertFirm({ name, now }) {
      return toFirm(db.insert(firms).values({ name, createdAt: now }).returning().get());
    },
    async insertWorkspace(input) {
      const done = db
        .insert(workspaces)
        .values({ ...input, createdAt: input.now })
        .onConflictDoNothing()
        .run();
      return done.changes === 1;
    },
    async deleteFirm(firmId) {
      db.delete(firms).where(eq(firms.id, firmId)).run();
    },
    async renameWorkspace(workspaceId, name) {
      db.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId)).run();
    },
    async renameFirm(firmId, name) {
      db.update(firms).set({ name }).where(eq(firms.id, firmId)).run();
    },
    async setActivationState(firmId, state, now) {
      const row = db
        .update(firms)
        .set({ activationState: state, activationChangedAt: now })
        .where(eq(firms.id, firmId))
        .returning()
        .get();
      if (!row) throw new Error(`no firm ${firmId}`);
      return toFirm(row);
    },
    async insertActivationRequest(input) {
      return db
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
          supportClaimedAt: input.now,
          createdAt: input.now,
        })
        .returning({ id: activationRequests.id })
        .get().id;
    },
    async recordDecision(requestId, d) {
      const changed = db
        .update(activationRequests)
        .set({
          status: d.status,
          decidedBy: d.decider.id,
          decidedByName: d.decider.name ?? null,
          decidedByPlatform: d.decider.platform,
          decidedAt: d.now,
          reason: d.reason ?? null,
        })
        .where(and(eq(activationRequests.id, requestId), eq(activationRequests.status, "pending")))
        .run();
      return changed.changes === 1;
    },
    async clearSelfManaged(firmId, now) {
      return db
        .update(clients)
        .set({ selfManaged: false, selfManagedAt: null, updatedAt: now })
        .where(and(eq(clients.firmId, firmId), eq(clients.selfManaged, true)))
        .returning({ id: clients.id })
        .all()
        .map((c) => c.id);
    },
  };

  const claim = db.$client.prepare<[number, number, number], { id: number }>(
    "update activation_requests set support_claimed_at = ? where id in (" +
      "select id from activation_requests where status = 'pending' and support_ref is null " +
      "and (support_claimed_at is null or support_claimed_at < ?) order by id limit ?) returning id",
  );
  const statements: FirmStatements = {
    ...refStatements(db),
    ...seenRequestStatements(db),
    async setSupportRef(requestId, ref) {
      db.update(activationRequests)
        .set({ supportRef: ref, supportClaimedAt: null })
        .where(eq(activationRequests.id, requestId))
        .run();
    },
    async claimUnpostedRequests(now, staleBefore, limit) {
      // One statement on the write connection, so atomic among the instances sharing the file.
      const ids = claim
        .all(now, staleBefore, limit)
        .map((r) => r.id)
        .sort((a, b) => a - b);
      return ids.map((id) => loadRequest(db, id)).filter((r): r is ActivationRequest => r !== undefined);
    },
    async releaseSupportClaim(requestId) {
      db.update(activationRequests)
        .set({ supportClaimedAt: null })
        .where(and(eq(activationRequests.id, requestId), sql`${activationRequests.supportRef} is null`))
        .run();
    },
  };

  return { reads, writes, statements };
}
