import { and, asc, desc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { SEEN_PURGE_BATCH, SEEN_PURGE_EVERY_MS } from "../seen-requests.ts";
import type { FirmReads, FirmStatements, FirmWrites } from "../store/firms.ts";
import type { Area } from "../store/index.ts";
import type { ActivationRequest, Firm, FirmRow } from "../types.ts";
import {
  activationRequests,
  auditEvents,
  clients,
  firms,
  seenRequests,
  slackInstallations,
  storedRefs,
  workspaces,
} from "./schema.ts";
import type { PgConn } from "./store.ts";

function toFirm(row: typeof firms.$inferSelect): Firm {
  return {
    id: row.id,
    name: row.name,
    activationState: row.activationState,
    activationChangedAt: row.activationChangedAt,
  };
}

/**
 * The firms area on PostgreSQL (docs/architecture.md, "Storage: PostgreSQL").
 * `db` is the pool (reads and statements outside units) or a unit's
 * transaction. The `…ForUpdate` reads take `FOR NO KEY UPDATE` on their row,
 * in the lock order of docs/architecture.md, "Lock order": activation
 * request, then firm.
 */
export function pgFirms(db: PgConn): Area<FirmReads, FirmWrites, FirmStatements> {
  async function loadRequest(id: number, lock = false): Promise<ActivationRequest | undefined> {
    const query = db
      .select({ r: activationRequests, firmName: firms.name })
      .from(activationRequests)
      .innerJoin(firms, eq(firms.id, activationRequests.firmId))
      .where(eq(activationRequests.id, id));
    // Only the request is locked: the firm comes next in the lock order, when the unit updates it.
    const [row] = lock ? await query.for("no key update", { of: activationRequests }) : await query;
    if (!row) return undefined;
    const ws = await db
      .select({ platform: workspaces.platform, externalId: workspaces.externalId })
      .from(workspaces)
      .where(eq(workspaces.firmId, row.r.firmId))
      .orderBy(asc(workspaces.id));
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

  async function loadRequests(ids: number[]): Promise<ActivationRequest[]> {
    const out: ActivationRequest[] = [];
    for (const id of ids) {
      const r = await loadRequest(id);
      if (r) out.push(r);
    }
    return out;
  }

  async function toFirmRow(f: typeof firms.$inferSelect): Promise<FirmRow> {
    const ws = await db
      .select({ platform: workspaces.platform, externalId: workspaces.externalId })
      .from(workspaces)
      .where(eq(workspaces.firmId, f.id))
      .orderBy(asc(workspaces.id));
    return { ...toFirm(f), workspaces: ws, licences: f.liveLicences };
  }

  const workspaceFirm = async (platform: "slack" | "teams", externalId: string) => {
    const [row] = await db
      .select({ f: firms, wsId: workspaces.id, wsName: workspaces.name })
      .from(workspaces)
      .innerJoin(firms, eq(firms.id, workspaces.firmId))
      .where(and(eq(workspaces.platform, platform), eq(workspaces.externalId, externalId)));
    return row;
  };

  const reads: FirmReads = {
    async workspaceFirm(platform, externalId) {
      const row = await workspaceFirm(platform, externalId);
      return row ? { firm: toFirm(row.f), workspaceId: row.wsId, workspaceName: row.wsName } : undefined;
    },
    async findFirm(platform, externalId) {
      const row = await workspaceFirm(platform, externalId);
      return row ? toFirm(row.f) : undefined;
    },
    async getFirm(firmId) {
      const [row] = await db.select().from(firms).where(eq(firms.id, firmId));
      return row ? toFirm(row) : undefined;
    },
    async getFirmRow(firmId) {
      const [row] = await db.select().from(firms).where(eq(firms.id, firmId));
      return row ? await toFirmRow(row) : undefined;
    },
    async listFirms(opts) {
      const cursor = decodeCursor("f", ["string", "int"], opts.after);
      const rows = await db
        .select()
        .from(firms)
        .where(cursor ? sql`(${firms.name}, ${firms.id}) > (${cursor[0]}, ${cursor[1]})` : undefined)
        .orderBy(asc(firms.name), asc(firms.id))
        .limit(opts.limit + 1);
      const items: FirmRow[] = [];
      for (const row of rows.slice(0, opts.limit)) items.push(await toFirmRow(row));
      const last = items[items.length - 1];
      return rows.length > opts.limit && last ? { items, next: encodeCursor("f", [last.name, last.id]) } : { items };
    },
    async getActivationRequest(id) {
      return await loadRequest(id);
    },
    async lastApprovedRequest(firmId) {
      const [row] = await db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(and(eq(activationRequests.firmId, firmId), eq(activationRequests.status, "approved")))
        .orderBy(desc(activationRequests.id))
        .limit(1);
      return row ? await loadRequest(row.id) : undefined;
    },
    async listPendingRequests(limit) {
      const ids = await db
        .select({ id: activationRequests.id })
        .from(activationRequests)
        .where(eq(activationRequests.status, "pending"))
        .orderBy(asc(activationRequests.id))
        .limit(limit);
      return await loadRequests(ids.map((r) => r.id));
    },
  };

  const writes: FirmWrites = {
    async audit(entry) {
      await db.insert(auditEvents).values({
        firmId: entry.firmId,
        action: entry.action,
        actorPlatform: entry.actor.platform,
        actorId: entry.actor.id,
        licenceId: entry.licenceId ?? null,
        clientId: entry.clientId ?? null,
        requestId: entry.requestId ?? null,
        details: entry.details ? JSON.stringify(entry.details) : null,
        createdAt: entry.now,
      });
    },
    async firmForUpdate(firmId) {
      const [row] = await db.select().from(firms).where(eq(firms.id, firmId)).for("no key update");
      return row ? toFirm(row) : undefined;
    },
    async requestForUpdate(id) {
      return await loadRequest(id, true);
    },
    async insertFirm({ name, now }) {
      const [row] = await db.insert(firms).values({ name, createdAt: now }).returning();
      if (!row) throw new Error("insert into firms returned no row");
      return toFirm(row);
    },
    async insertWorkspace(input) {
      const rows = await db
        .insert(workspaces)
        .values({ ...input, createdAt: input.now })
        .onConflictDoNothing({ target: [workspaces.platform, workspaces.externalId] })
        .returning({ id: workspaces.id });
      return rows.length === 1;
    },
    async deleteFirm(firmId) {
      await db.delete(firms).where(eq(firms.id, firmId));
    },
    async renameWorkspace(workspaceId, name) {
      await db.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId));
    },
    async renameFirm(firmId, name) {
      await db.update(firms).set({ name }).where(eq(firms.id, firmId));
    },
    async setActivationState(firmId, state, now) {
      const [row] = await db
        .update(firms)
        .set({ activationState: state, activationChangedAt: now })
        .where(eq(firms.id, firmId))
        .returning();
      if (!row) throw new Error(`no firm ${firmId}`);
      return toFirm(row);
    },
    async insertActivationRequest(input) {
      const [row] = await db
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
        .returning({ id: activationRequests.id });
      if (!row) throw new Error("insert into activation_requests returned no row");
      return row.id;
    },
    async recordDecision(requestId, d) {
      const changed = await db
        .update(activationRequests)
        .set({
          status: d.status,
          decidedBy: d.decider.id,
          decidedByName: d.decider.name ?? null,
          decidedByPlatform: d.decider.platform,
          decidedAt: d.now,
          reason: d.reason ?? null,
        })
        .where(and(eq(activationRequests.id, requestId), eq(activationRequests.status, "pending")));
      return changed.rowCount === 1;
    },
    async clearSelfManaged(firmId, now) {
      const rows = await db
        .update(clients)
        .set({ selfManaged: false, selfManagedAt: null, updatedAt: now })
        .where(and(eq(clients.firmId, firmId), eq(clients.selfManaged, true)))
        .returning({ id: clients.id });
      return rows.map((c) => c.id).sort((a, b) => a - b);
    },
  };

  /** When this store last purged expired seen requests (each instance on its own clock). */
  let purgedAt = Number.NEGATIVE_INFINITY;
  const statements: FirmStatements = {
    async putRef(kind, key, value, now) {
      await db
        .insert(storedRefs)
        .values({ kind, key, value, updatedAt: now })
        .onConflictDoUpdate({ target: [storedRefs.kind, storedRefs.key], set: { value, updatedAt: now } });
    },
    async getRef(kind, key) {
      const [row] = await db
        .select({ value: storedRefs.value })
        .from(storedRefs)
        .where(and(eq(storedRefs.kind, kind), eq(storedRefs.key, key)));
      return row?.value;
    },
    async deleteRef(kind, key) {
      await db.delete(storedRefs).where(and(eq(storedRefs.kind, kind), eq(storedRefs.key, key)));
    },
    async saveSlackInstallation(key, value, now) {
      const row = {
        teamId: value.teamId ?? null,
        enterpriseId: value.enterpriseId ?? null,
        installation: value.installation,
        updatedAt: now,
      };
      await db
        .insert(slackInstallations)
        .values({ key, ...row })
        .onConflictDoUpdate({ target: slackInstallations.key, set: row });
    },
    async getSlackInstallation(key) {
      const [row] = await db
        .select({ v: slackInstallations.installation })
        .from(slackInstallations)
        .where(eq(slackInstallations.key, key));
      return row?.v;
    },
    async deleteSlackInstallation(key) {
      await db.delete(slackInstallations).where(eq(slackInstallations.key, key));
    },
    async rememberRequest(key, expiresAt, now) {
      if (now - purgedAt >= SEEN_PURGE_EVERY_MS || now < purgedAt) {
        purgedAt = now;
        // Bounded, and rows another instance is purging right now are skipped rather than waited for.
        await db
          .delete(seenRequests)
          .where(
            inArray(
              seenRequests.key,
              db
                .select({ key: seenRequests.key })
                .from(seenRequests)
                .where(lte(seenRequests.expiresAt, now))
                .limit(SEEN_PURGE_BATCH)
                .for("update", { skipLocked: true }),
            ),
          );
      }
      // One statement: a new key is inserted, an expired one taken over, a live one left alone (no row back).
      const rows = await db
        .insert(seenRequests)
        .values({ key, expiresAt })
        .onConflictDoUpdate({
          target: seenRequests.key,
          set: { expiresAt: sql`excluded.expires_at` },
          setWhere: lte(seenRequests.expiresAt, now),
        })
        .returning({ key: seenRequests.key });
      return rows.length === 1;
    },
    async setSupportRef(requestId, ref) {
      await db
        .update(activationRequests)
        .set({ supportRef: ref, supportClaimedAt: null })
        .where(eq(activationRequests.id, requestId));
    },
    async claimUnpostedRequests(now, staleBefore, limit) {
      // SKIP LOCKED: a request another instance is claiming at this moment is left to it, not waited for.
      const claimed = await db
        .update(activationRequests)
        .set({ supportClaimedAt: now })
        .where(
          inArray(
            activationRequests.id,
            db
              .select({ id: activationRequests.id })
              .from(activationRequests)
              .where(
                and(
                  eq(activationRequests.status, "pending"),
                  isNull(activationRequests.supportRef),
                  sql`(${activationRequests.supportClaimedAt} is null or ${activationRequests.supportClaimedAt} < ${staleBefore})`,
                ),
              )
              .orderBy(asc(activationRequests.id))
              .limit(limit)
              .for("no key update", { skipLocked: true }),
          ),
        )
        .returning({ id: activationRequests.id });
      return await loadRequests(claimed.map((r) => r.id).sort((a, b) => a - b));
    },
    async releaseSupportClaim(requestId) {
      await db
        .update(activationRequests)
        .set({ supportClaimedAt: null })
        .where(and(eq(activationRequests.id, requestId), isNull(activationRequests.supportRef)));
    },
  };

  return { reads, writes, statements };
}
