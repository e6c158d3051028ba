import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoreHandle } from "../../src/db/index.ts";
import { ServiceError } from "../../src/errors.ts";
import {
  type ActivationRequest,
  type Actor,
  type Deps,
  decideActivation,
  listFirms,
  postPendingRequests,
  rememberRequest,
  requestActivation,
  resolveFirm,
  revokeActivation,
} from "../../src/handlers/index.ts";
import { SUPPORT_CLAIM_STALE_MS } from "../../src/handlers/post-pending-requests.ts";
import { advisor, supportAgent, testDeps } from "../support/app.ts";
import { raceProcesses } from "../support/process-race.ts";
import type { TestDatabase } from "../support/storage.ts";

/**
 * The firms area's storage contract (docs/architecture.md, "Tests on both
 * storages"), on the project's storage: each race runs through the use case
 * on two stores of one database (two connections, or two pools), as two
 * instances would.
 */

/** Runs one SQL statement on the test's database, whichever storage it is ($1, $2… as placeholders). */
async function query(database: TestDatabase, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (database.kind === "postgres") {
    const client = new pg.Client({ connectionString: database.target });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(database.target);
  try {
    const stmt = db.prepare(text.replace(/\$(\d+)/g, "@p$1"));
    const named = Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]));
    if (stmt.reader) return stmt.all(named) as Record<string, unknown>[];
    stmt.run(named);
    return [];
  } finally {
    db.close();
  }
}

const codeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === "rejected" && r.reason instanceof ServiceError ? r.reason.code : undefined;

describe("firms storage", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let other: StoreHandle;
  /** The same use-case dependencies on a second store: another instance. */
  let deps2: Deps;

  beforeEach(async () => {
    deps = await testDeps();
    other = await deps.database.open();
    deps2 = { ...deps, store: other.store };
  });
  afterEach(async () => {
    await other.close();
    await deps.dispose();
  });

  /** Both instances, alternately. */
  const either = (i: number) => (i % 2 === 0 ? deps : deps2);

  it("registers one firm per workspace under 20 concurrent first requests", async () => {
    const firms = await Promise.all(
      Array.from({ length: 20 }, (_, i) => resolveFirm(either(i), "slack", "T0CONCUR01", "Asesoría Concurrente")),
    );
    expect(new Set(firms.map((f) => f.id)).size).toBe(1);
    const listed = (await listFirms(deps, supportAgent(), { limit: 50 })).items;
    expect(listed.map((f) => [f.name, f.workspaces])).toEqual([
      ["Asesoría Concurrente", [{ platform: "slack", externalId: "T0CONCUR01" }]],
    ]);
  });

  it("follows the workspace's name only while the firm has none of its own", async () => {
    const first = await resolveFirm(deps, "slack", "T0RENAME01", "Viejo Nombre");
    expect((await resolveFirm(deps2, "slack", "T0RENAME01", "Nuevo Nombre")).name).toBe("Nuevo Nombre");
    // A name typed in the activation form is the firm's own: a later workspace rename leaves it.
    await requestActivation(deps, advisor("T0RENAME01", { workspaceName: "Nuevo Nombre" }), {
      message: "hola",
      firmName: "Despacho Propio",
    });
    const renamed = await resolveFirm(deps2, "slack", "T0RENAME01", "Otro Nombre");
    expect(renamed).toMatchObject({ id: first.id, name: "Despacho Propio" });
    expect((await deps.store.findFirm("slack", "T0RENAME01"))?.name).toBe("Despacho Propio");
  });

  it("keeps at most one pending request per firm under concurrency", async () => {
    await resolveFirm(deps, "slack", "T0PENDING1", "Asesoría Pendiente");
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        requestActivation(either(i), advisor("T0PENDING1", { workspaceName: "Asesoría Pendiente" }), {
          message: `petición ${i}`,
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === "CONFLICT")).toHaveLength(9);
    expect(await deps.store.listPendingRequests(50)).toHaveLength(1);
    expect((await deps.store.findFirm("slack", "T0PENDING1"))?.activationState).toBe("pending");
  });

  it("records exactly one of 50 concurrent decisions; the 49 others are told who decided and when", async () => {
    const req = await requestActivation(deps, advisor("T0FIFTY001"), { message: "carrera" });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        decideActivation(
          either(i),
          supportAgent({ userId: `U0SUPP${i}`, userName: `Agente ${i}` }),
          i % 3 === 0
            ? { requestId: req.id, decision: "reject", reason: "no" }
            : { requestId: req.id, decision: "approve" },
        ),
      ),
    );
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    const winner = won[0] as ActivationRequest;
    const lost = results.filter((r) => codeOf(r) === "ALREADY_DECIDED") as PromiseRejectedResult[];
    expect(lost).toHaveLength(49);
    for (const r of lost) {
      expect((r.reason as ServiceError).details).toMatchObject({
        status: winner.status,
        decidedBy: winner.decidedBy,
        decidedByName: winner.decidedByName,
        decidedAt: winner.decidedAt,
      });
    }
    const stored = await other.store.getActivationRequest(req.id);
    expect(stored).toMatchObject({ status: winner.status, decidedBy: winner.decidedBy });
    expect((await deps.store.getFirm(req.firmId))?.activationState).toBe(
      winner.status === "approved" ? "active" : "rejected",
    );
    const audited = await query(
      deps.database,
      "select count(*) as n from audit_events where request_id = $1 and action in ('activation.approved', 'activation.rejected')",
      [req.id],
    );
    expect(Number(audited[0]?.n)).toBe(1);
  });

  it("refuses a decision on one's own request, and keeps the request pending", async () => {
    const a = advisor("T0OWNREQ01");
    const req = await requestActivation(deps, a, { message: "hola" });
    const self = { ...a, channelId: "CSUPPORT01" } satisfies Actor;
    const [own] = await Promise.allSettled([decideActivation(deps, self, { requestId: req.id, decision: "approve" })]);
    expect(codeOf(own as PromiseSettledResult<unknown>)).toBe("FORBIDDEN");
    expect((await deps.store.getActivationRequest(req.id))?.status).toBe("pending");
  });

  it("revokes only an active firm, clearing and auditing every self-managed tick in the same unit", async () => {
    const req = await requestActivation(deps, advisor("T0REVOKE02"), { message: "hola" });
    await decideActivation(deps, supportAgent(), { requestId: req.id, decision: "approve" });
    const now = deps.now();
    for (const [taxId, ticked] of [
      ["12345678Z", true],
      ["87654321X", true],
      ["B12345674", false],
    ] as const) {
      await query(
        deps.database,
        `insert into clients (firm_id, tax_id, name, self_managed, self_managed_at, created_at, updated_at)
         values ($1, $2, $3, ${ticked ? "true" : "false"}, $4, $5, $5)`,
        [req.firmId, taxId, `Cliente ${taxId}`, ticked ? now : null, now],
      );
    }
    const results = await Promise.allSettled([
      revokeActivation(deps, supportAgent(), { firmId: req.firmId, reason: "fin de contrato" }),
      revokeActivation(deps2, supportAgent(), { firmId: req.firmId }),
    ]);
    const done = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ activationState: "revoked", selfManagedCleared: 2 });
    expect(results.filter((r) => codeOf(r) === "CONFLICT")).toHaveLength(1);
    const ticks = await query(deps.database, "select count(*) as n from clients where firm_id = $1 and self_managed", [
      req.firmId,
    ]);
    expect(Number(ticks[0]?.n)).toBe(0);
    const audited = await query(
      deps.database,
      "select action, count(*) as n from audit_events where firm_id = $1 and action in ('activation.revoked', 'client.selfManagedCleared') group by action order by action",
      [req.firmId],
    );
    expect(audited.map((r) => [r.action, Number(r.n)])).toEqual([
      ["activation.revoked", 1],
      ["client.selfManagedCleared", 2],
    ]);
  });

  it("posts each unposted request once when two instances run the retry at once", async () => {
    const posts: number[] = [];
    let reachable = false;
    const desk = {
      postRequest: async (r: ActivationRequest) => {
        if (!reachable) return undefined;
        posts.push(r.id);
        // Slow enough for both instances' retries to be in flight together.
        await new Promise((done) => setTimeout(done, 5));
        return `ref-${r.id}`;
      },
      showDecision: async () => {},
    };
    deps.supportDesk = desk;
    deps2.supportDesk = desk;
    const made: number[] = [];
    for (let i = 0; i < 25; i++) {
      made.push(
        (await requestActivation(either(i), advisor(`T0RETRY${String(i).padStart(3, "0")}`), { message: "x" })).id,
      );
    }
    expect(posts).toEqual([]);
    reachable = true;
    const [a, b] = await Promise.all([postPendingRequests(deps), postPendingRequests(deps2)]);
    expect((a ?? 0) + (b ?? 0)).toBe(25);
    expect([...posts].sort((x, y) => x - y)).toEqual(made);
    for (const id of made) expect((await deps.store.getActivationRequest(id))?.supportRef).toBe(`ref-${id}`);
    expect(await postPendingRequests(deps2)).toBe(0);
  });

  it("leaves a request its creator claimed alone for two minutes, then takes it over", async () => {
    let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps.now = () => clock;
    deps2.now = () => clock;
    const posted: number[] = [];
    deps2.supportDesk = {
      postRequest: async (r) => {
        posted.push(r.id);
        return `ref-${r.id}`;
      },
      showDecision: async () => {},
    };
    const firm = await resolveFirm(deps, "slack", "T0CRASHED1", "Asesoría Caída");
    // The creator's unit committed (the request claimed by it), and the instance died before posting.
    const id = await deps.store.unit("requestActivation", async (tx) => {
      const requestId = await tx.insertActivationRequest({
        firmId: firm.id,
        platform: "slack",
        requesterId: "U0CRASHED1",
        requesterLocale: "es",
        message: "hola",
        now: clock,
      });
      await tx.setActivationState(firm.id, "pending", clock);
      return requestId;
    });
    clock += SUPPORT_CLAIM_STALE_MS - 1_000;
    expect(await postPendingRequests(deps2)).toBe(0);
    clock += 2_000;
    expect(await postPendingRequests(deps2)).toBe(1);
    expect(posted).toEqual([id]);
    expect(await postPendingRequests(deps2)).toBe(0);
  });

  it("remembers a key once across two instances", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => rememberRequest(either(i), "click:same", 5_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await rememberRequest(deps2, "click:other", 5_000)).toBe(true);
  });

  it("keeps stored references and Slack installations: the last write wins", async () => {
    await deps.store.putRef("teams.personal", "k", "uno", 1);
    await other.store.putRef("teams.personal", "k", "dos", 2);
    expect(await deps.store.getRef("teams.personal", "k")).toBe("dos");
    await other.store.deleteRef("teams.personal", "k");
    expect(await deps.store.getRef("teams.personal", "k")).toBeUndefined();
    await deps.store.saveSlackInstallation("T:T0INSTALL1", { teamId: "T0INSTALL1", installation: "{}" }, 1);
    await other.store.saveSlackInstallation("T:T0INSTALL1", { teamId: "T0INSTALL1", installation: '{"v":2}' }, 2);
    expect(await deps.store.getSlackInstallation("T:T0INSTALL1")).toBe('{"v":2}');
    await deps.store.deleteSlackInstallation("T:T0INSTALL1");
    expect(await other.store.getSlackInstallation("T:T0INSTALL1")).toBeUndefined();
  });
});

describe("two support clicks at once, from two processes", () => {
  it("record exactly one decision", { timeout: 60_000 }, async () => {
    const deps = await testDeps();
    try {
      const req = await requestActivation(deps, advisor("T0PROCRACE"), { message: "carrera" });
      const decide = (user: string, decision: string) => (go: string) => [
        deps.database.target,
        String(req.id),
        user,
        decision,
        go,
      ];
      const both = raceProcesses("decide-worker.ts", [decide("U0RACER001", "approve"), decide("U0RACER002", "reject")]);
      const outcomes = (await both).map((o) => JSON.parse(o) as { ok?: string; error?: string });
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(outcomes.filter((o) => o.error === "ALREADY_DECIDED")).toHaveLength(1);
      const stored = await deps.store.getActivationRequest(req.id);
      expect(stored?.status).toBe(outcomes.find((o) => o.ok)?.ok);
      const audited = await query(
        deps.database,
        "select count(*) as n from audit_events where request_id = $1 and action in ('activation.approved', 'activation.rejected')",
        [req.id],
      );
      expect(Number(audited[0]?.n)).toBe(1);
    } finally {
      await deps.dispose();
    }
  });
});
