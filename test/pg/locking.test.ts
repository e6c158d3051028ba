import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenPg, openPg } from "../../src/db/pg/open.ts";
import {
  activationRequests,
  auditEvents,
  clients,
  firms,
  installations,
  licences,
  notifications,
} from "../../src/db/pg/schema.ts";
import { type PgServer, startPostgres } from "../support/postgres.ts";

/**
 * The patterns of docs/architecture.md, "Rules on PostgreSQL", for the
 * units of work, with drizzle's node-postgres driver, under real concurrency
 * (a pool of ten connections, dozens of units at once): READ COMMITTED and a
 * lock on the row a decision is about. These become the storage contract
 * suite's races once the PostgreSQL store exists.
 */

const RC = { isolationLevel: "read committed" } as const;

describe("units of work on PostgreSQL", () => {
  let server: PgServer;
  let pg: OpenPg;
  const now = Date.UTC(2026, 11, 1);

  const newFirm = async (state: "active" | "not_requested" = "active") => {
    const [firm] = await pg.db
      .insert(firms)
      .values({ name: "Asesoría", activationState: state, createdAt: now })
      .returning();
    if (!firm) throw new Error("no firm");
    return firm.id;
  };
  const newClient = async (firmId: number, taxId: string) => {
    const [client] = await pg.db
      .insert(clients)
      .values({ firmId, taxId, name: `Cliente ${taxId}`, createdAt: now, updatedAt: now })
      .returning();
    if (!client) throw new Error("no client");
    return client.id;
  };

  beforeAll(async () => {
    server = await startPostgres({ database: "locking" });
    pg = await openPg(server.url, { poolSize: 10 });
  }, 180_000);
  afterAll(async () => {
    await pg?.close();
    await server?.stop();
  });

  it("the first decision wins: fifty approvals at once record one decision and one audit event", async () => {
    const firmId = await newFirm("not_requested");
    const [request] = await pg.db
      .insert(activationRequests)
      .values({ firmId, platform: "slack", requesterId: "U1", message: "m", status: "pending", createdAt: now })
      .returning();
    const requestId = request?.id ?? 0;
    const decide = (decider: string) =>
      pg.db.transaction(async (tx) => {
        const [req] = await tx
          .select()
          .from(activationRequests)
          .where(eq(activationRequests.id, requestId))
          .for("no key update");
        if (req?.status !== "pending") return { decided: false, by: req?.decidedBy };
        await tx
          .update(activationRequests)
          .set({ status: "approved", decidedBy: decider, decidedAt: now })
          .where(and(eq(activationRequests.id, requestId), eq(activationRequests.status, "pending")));
        await tx.update(firms).set({ activationState: "active" }).where(eq(firms.id, firmId));
        await tx.insert(auditEvents).values({
          firmId,
          action: "activation.approved",
          requestId,
          actorPlatform: "slack",
          actorId: decider,
          createdAt: now,
        });
        return { decided: true, by: decider };
      }, RC);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => decide(`S${i}`)));
    const winners = results.filter((r) => r.decided);
    expect(winners).toHaveLength(1);
    // Every loser is told who decided.
    expect(new Set(results.map((r) => r.by))).toEqual(new Set([winners[0]?.by]));
    const audited = await pg.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
    expect(audited).toHaveLength(1);
  });

  it("one pending request per firm: twenty requests at once, one created, the rest told it is pending", async () => {
    const firmId = await newFirm("not_requested");
    const ask = (who: string) =>
      pg.db.transaction(async (tx) => {
        const [firm] = await tx.select().from(firms).where(eq(firms.id, firmId)).for("no key update");
        if (firm?.activationState === "pending") return "alreadyPending";
        await tx
          .insert(activationRequests)
          .values({ firmId, platform: "teams", requesterId: who, message: "m", status: "pending", createdAt: now });
        await tx.update(firms).set({ activationState: "pending" }).where(eq(firms.id, firmId));
        return "created";
      }, RC);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(`A${i}`)));
    expect(results.filter((r) => r === "created")).toHaveLength(1);
    expect(results.filter((r) => r === "alreadyPending")).toHaveLength(19);
  });

  it("one licence per client and live_licences exact: creations and deletions at once behind the firm's lock, no deadlock", async () => {
    const firmId = await newFirm();
    const clientIds = await Promise.all(Array.from({ length: 10 }, (_, i) => newClient(firmId, `T${i}`)));
    let serial = 0;
    const create = (clientId: number) =>
      pg.db.transaction(async (tx) => {
        await tx.select({ id: firms.id }).from(firms).where(eq(firms.id, firmId)).for("no key update");
        const [live] = await tx
          .select({ id: licences.id })
          .from(licences)
          .where(and(eq(licences.clientId, clientId), isNull(licences.deletedAt)));
        if (live) return "clientHasLicence";
        await tx
          .insert(licences)
          .values({ firmId, clientId, number: `C${clientId}-${serial++}`, createdAt: now, updatedAt: now });
        return "created";
      }, RC);
    const remove = (clientId: number) =>
      pg.db.transaction(async (tx) => {
        await tx.select({ id: firms.id }).from(firms).where(eq(firms.id, firmId)).for("no key update");
        const gone = await tx
          .update(licences)
          .set({ deletedAt: now })
          .where(and(eq(licences.clientId, clientId), isNull(licences.deletedAt)))
          .returning({ id: licences.id });
        return gone.length ? "deleted" : "nothing";
      }, RC);
    // Three creations per client (two must lose) and, for half of the clients, a deletion in the same burst.
    const work = clientIds.flatMap((id, i) => [create(id), create(id), create(id), ...(i % 2 ? [remove(id)] : [])]);
    const results = await Promise.all(work);
    expect(results.filter((r) => r === "created").length).toBeGreaterThanOrEqual(10);
    const live = await pg.db
      .select({ n: sql<number>`count(*)::int` })
      .from(licences)
      .where(and(eq(licences.firmId, firmId), isNull(licences.deletedAt)));
    const perClient = await pg.db
      .select({ clientId: licences.clientId, n: sql<number>`count(*)::int` })
      .from(licences)
      .where(and(eq(licences.firmId, firmId), isNull(licences.deletedAt)))
      .groupBy(licences.clientId);
    expect(perClient.every((r) => r.n === 1)).toBe(true);
    const [firm] = await pg.db.select().from(firms).where(eq(firms.id, firmId));
    expect(firm?.liveLicences).toBe(live[0]?.n);
  });

  it("a number already used is skipped with ON CONFLICT DO NOTHING, and the unit goes on", async () => {
    const firmId = await newFirm();
    const first = await newClient(firmId, "N1");
    const second = await newClient(firmId, "N2");
    await pg.db.insert(licences).values({ firmId, clientId: first, number: "TAKEN", createdAt: now, updatedAt: now });
    await pg.db.update(licences).set({ deletedAt: now }).where(eq(licences.number, "TAKEN"));
    const candidates = ["TAKEN", "FRESH"];
    const created = await pg.db.transaction(async (tx) => {
      for (const number of candidates) {
        const [row] = await tx
          .insert(licences)
          .values({ firmId, clientId: second, number, createdAt: now, updatedAt: now })
          .onConflictDoNothing({ target: licences.number })
          .returning({ number: licences.number });
        if (row) return row.number;
      }
      return undefined;
    }, RC);
    expect(created).toBe("FRESH");
  });

  it("an installation binds once: twenty machines activating one licence at once, one bound", async () => {
    const firmId = await newFirm();
    const clientId = await newClient(firmId, "I1");
    const [licence] = await pg.db
      .insert(licences)
      .values({ firmId, clientId, number: "BIND-ONCE", createdAt: now, updatedAt: now })
      .returning();
    const activate = (machine: string) =>
      pg.db.transaction(async (tx) => {
        const [row] = await tx
          .select({ l: licences, c: clients })
          .from(licences)
          .innerJoin(clients, eq(clients.id, licences.clientId))
          .where(and(eq(licences.number, "BIND-ONCE"), isNull(licences.deletedAt)))
          .for("no key update", { of: licences });
        if (!row) return "NOT_FOUND";
        if (row.l.installationId !== null) return "ALREADY_LINKED";
        const [inst] = await tx
          .insert(installations)
          .values({ licenceId: row.l.id, installationKey: machine, tokenHash: `h-${machine}`, createdAt: now })
          .returning({ id: installations.id });
        await tx
          .update(licences)
          .set({ installationId: inst?.id ?? null, linkedAt: now })
          .where(eq(licences.id, row.l.id));
        return "ACTIVATED";
      }, RC);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => activate(`M${i}`)));
    expect(results.filter((r) => r === "ACTIVATED")).toHaveLength(1);
    expect(results.filter((r) => r === "ALREADY_LINKED")).toHaveLength(19);
    const bound = await pg.db
      .select()
      .from(installations)
      .where(eq(installations.licenceId, licence?.id ?? 0));
    expect(bound).toHaveLength(1);
  });

  it("lock strength: deactivations (client, then licence) and reports (licence, then a row referring to the client) at once never deadlock", async () => {
    const firmId = await newFirm();
    const clientId = await newClient(firmId, "D1");
    const [licence] = await pg.db
      .insert(licences)
      .values({ firmId, clientId, number: "NO-DEADLOCK", createdAt: now, updatedAt: now })
      .returning();
    const licenceId = licence?.id ?? 0;
    const toggle = (state: "active" | "deactivated") =>
      pg.db.transaction(async (tx) => {
        await tx.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId)).for("no key update");
        await tx.select({ id: licences.id }).from(licences).where(eq(licences.id, licenceId)).for("no key update");
        await tx.update(clients).set({ selfManaged: false, updatedAt: now }).where(eq(clients.id, clientId));
        await tx.update(licences).set({ state, updatedAt: now }).where(eq(licences.id, licenceId));
        return "changed";
      }, RC);
    let external = 0;
    const report = () =>
      pg.db.transaction(async (tx) => {
        const [l] = await tx.select().from(licences).where(eq(licences.id, licenceId)).for("share");
        if (l?.state !== "active") return "refused";
        // The foreign key on client_id takes FOR KEY SHARE on the client row.
        await tx.insert(notifications).values({
          firmId,
          clientId,
          externalId: `E${external++}`,
          organismo: "AEAT",
          asunto: "Requerimiento",
          fechaPuestaDisposicion: now,
          estado: "leida",
          createdAt: now,
        });
        return "accepted";
      }, RC);
    const work = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? toggle(i % 2 ? "active" : "deactivated") : report(),
    );
    const results = await Promise.all(work);
    expect(results.filter((r) => r === "changed")).toHaveLength(10);
    expect(results.filter((r) => r === "accepted" || r === "refused")).toHaveLength(20);
  });

  it("claims with FOR UPDATE SKIP LOCKED: two instances retrying at once never take the same request", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const firmId = await newFirm("not_requested");
      const [req] = await pg.db
        .insert(activationRequests)
        .values({ firmId, platform: "slack", requesterId: `R${i}`, message: "m", status: "pending", createdAt: now })
        .returning({ id: activationRequests.id });
      if (req) ids.push(req.id);
    }
    const claim = (instance: string) =>
      pg.db.transaction(async (tx) => {
        const free = tx
          .select({ id: activationRequests.id })
          .from(activationRequests)
          .where(
            and(
              eq(activationRequests.status, "pending"),
              isNull(activationRequests.supportRef),
              sql`${activationRequests.id} in (${sql.join(ids, sql`, `)})`,
            ),
          )
          .orderBy(activationRequests.id)
          .limit(4)
          .for("no key update", { skipLocked: true });
        return tx
          .update(activationRequests)
          .set({ supportRef: `claimed-by-${instance}` })
          .where(sql`${activationRequests.id} in ${free}`)
          .returning({ id: activationRequests.id });
      }, RC);
    const rounds = await Promise.all(["a", "b", "a", "b", "a", "b"].map(claim));
    const claimed = rounds.flat().map((r) => r.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort((x, y) => x - y)).toEqual(ids);
  });

  it("ping fails while the server is down and the pool recovers by itself when it is back", async () => {
    const firmId = await newFirm();
    await pg.ping();
    await server.halt();
    await expect(pg.ping()).rejects.toThrow();
    await server.resume();
    await pg.ping();
    // What was committed before is there, through every connection of the pool.
    const reads = await Promise.all(
      Array.from({ length: 10 }, () => pg.db.select({ id: firms.id }).from(firms).where(eq(firms.id, firmId))),
    );
    expect(reads.map((r) => r[0]?.id)).toEqual(Array(10).fill(firmId));
  }, 60_000);
});
