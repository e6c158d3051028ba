import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import type { StoreHandle } from "../../src/db/index.ts";
import { generateLicenceNumber } from "../../src/domain/licence-number.ts";
import {
  activateInstallation,
  DEFAULT_RATE_LIMITS,
  type Deps,
  importNotifications,
  reportNotifications,
  validateInstallation,
} from "../../src/handlers/index.ts";
import { hashToken } from "../../src/handlers/installation-token.ts";
import { captureLogger } from "../support/app.ts";
import { newDni } from "../support/fixtures.ts";
import { openTestStore, type TestDatabase, testStorage } from "../support/storage.ts";

/**
 * The client app's storage contract (docs/architecture.md, "Tests on both
 * storages"), run by both vitest projects: the rules of the client API's
 * use cases under concurrency. On PostgreSQL the racers are split over two
 * stores (two pools), as two instances would be.
 */

/** Raw SQL on the test's database from another connection, as another process would write ("?" placeholders). */
interface Raw {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function rawConnection(database: TestDatabase): Promise<Raw> {
  if (database.kind === "postgres") {
    const client = new pg.Client({ connectionString: database.target });
    await client.connect();
    return {
      async query<T>(text: string, params: unknown[] = []) {
        let n = 0;
        const res = await client.query(
          text.replace(/\?/g, () => `$${++n}`),
          params,
        );
        return res.rows as T[];
      },
      close: () => client.end(),
    };
  }
  const db = new Database(database.target);
  db.pragma("busy_timeout = 5000");
  return {
    async query<T>(text: string, params: unknown[] = []) {
      const stmt = db.prepare(text);
      if (stmt.reader) return stmt.all(...params) as T[];
      stmt.run(...params);
      return [];
    },
    close: async () => {
      db.close();
    },
  };
}

const count = async (raw: Raw, text: string, params: unknown[] = []) =>
  Number((await raw.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${text}`, params))[0]?.n);

interface Seeded {
  firmId: number;
  clientId: number;
  licenceId: number;
  number: string;
  taxId: string;
  workspaceId: string;
}

let seq = 0;

/** An active firm (a Slack workspace) with a client and its licence, written as rows. */
async function seedLicence(raw: Raw, firm?: { firmId: number; workspaceId: string }): Promise<Seeded> {
  const now = Date.now();
  seq++;
  let firmId = firm?.firmId;
  const workspaceId = firm?.workspaceId ?? `T0CLIENTAPP${seq}${randomBytes(3).toString("hex").toUpperCase()}`;
  if (firmId === undefined) {
    const [f] = await raw.query<{ id: number }>(
      "INSERT INTO firms (name, activation_state, activation_changed_at, created_at) VALUES (?, 'active', ?, ?) RETURNING id",
      [`Asesoría ${seq}`, now, now],
    );
    firmId = Number(f?.id);
    await raw.query(
      "INSERT INTO workspaces (firm_id, platform, external_id, name, created_at) VALUES (?, 'slack', ?, ?, ?)",
      [firmId, workspaceId, `Asesoría ${seq}`, now],
    );
  }
  const taxId = newDni();
  const [c] = await raw.query<{ id: number }>(
    "INSERT INTO clients (firm_id, tax_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    [firmId, taxId, `Cliente ${seq} S.L.`, now, now],
  );
  const clientId = Number(c?.id);
  const number = generateLicenceNumber((n) => randomBytes(n));
  const [l] = await raw.query<{ id: number }>(
    "INSERT INTO licences (firm_id, client_id, number, state, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?) RETURNING id",
    [firmId, clientId, number, now, now],
  );
  return { firmId, clientId, licenceId: Number(l?.id), number, taxId, workspaceId };
}

function depsOn(handle: StoreHandle): Deps {
  let clock = Date.UTC(2026, 10, 2, 9, 0, 0);
  return {
    store: handle.store,
    now: () => clock++,
    randomBytes: (n) => randomBytes(n),
    logger: captureLogger().logger,
    support: { userIds: [] },
    watch: WATCH_DEFAULTS,
    notifiers: {},
  };
}

const notification = (id: string) => ({
  id,
  organismo: "AEAT",
  asunto: `Requerimiento ${id}`,
  fechaPuestaDisposicion: Date.UTC(2026, 9, 1, 12),
  estado: "Leída",
});

describe(`client app storage (${testStorage()})`, () => {
  let first: Awaited<ReturnType<typeof openTestStore>>;
  let second: StoreHandle;
  let raw: Raw;
  /** Deps on two stores of one database, as two instances (or two processes on one SQLite file) would have. */
  let a: Deps;
  let b: Deps;

  beforeEach(async () => {
    first = await openTestStore();
    second = await first.database.open();
    raw = await rawConnection(first.database);
    a = depsOn(first);
    b = depsOn(second);
  });
  afterEach(async () => {
    await raw.close();
    await second.close();
    await first.dispose();
  });

  const activate = (deps: Deps, s: Seeded, installationId: string) =>
    activateInstallation(deps, { licenceNumber: s.number, taxId: s.taxId, installationId });

  it("binds a licence once: of 20 machines activating at once, one is bound and 19 are ALREADY_LINKED, each audited", async () => {
    const s = await seedLicence(raw);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => activate(i % 2 ? b : a, s, `machine-${String(i).padStart(4, "0")}`)),
    );
    const codes = results.map((r) => r.code).sort();
    expect(codes.filter((c) => c === "ACTIVATED")).toHaveLength(1);
    expect(codes.filter((c) => c === "ALREADY_LINKED")).toHaveLength(19);
    expect(await count(raw, "installations WHERE licence_id = ?", [s.licenceId])).toBe(1);
    expect(await count(raw, "audit_events WHERE licence_id = ? AND action = 'installation.bound'", [s.licenceId])).toBe(
      1,
    );
    expect(
      await count(raw, "audit_events WHERE licence_id = ? AND action = 'installation.refused'", [s.licenceId]),
    ).toBe(19);
    const winner = results.find((r) => r.code === "ACTIVATED");
    if (winner?.code !== "ACTIVATED") throw new Error("no activation");
    const valid = await validateInstallation(
      a,
      DEFAULT_RATE_LIMITS,
      { address: "192.0.2.1" },
      winner.installationToken,
    );
    expect(valid.code).toBe("VALID");
  });

  it("gives the same machine a new token, and refuses the old one", async () => {
    const s = await seedLicence(raw);
    const one = await activate(a, s, "machine-same-0001");
    const two = await activate(b, s, "machine-same-0001");
    if (one.code !== "ACTIVATED" || two.code !== "ACTIVATED") throw new Error("not activated");
    expect(two.installationToken).not.toBe(one.installationToken);
    const subject = { address: "192.0.2.2" };
    expect((await validateInstallation(a, DEFAULT_RATE_LIMITS, subject, one.installationToken)).code).toBe("NOT_FOUND");
    expect((await validateInstallation(b, DEFAULT_RATE_LIMITS, subject, two.installationToken)).code).toBe("VALID");
    expect(await count(raw, "installations WHERE licence_id = ?", [s.licenceId])).toBe(1);
    expect(
      await count(raw, "audit_events WHERE licence_id = ? AND action = 'installation.reactivated'", [s.licenceId]),
    ).toBe(1);
    // Another machine still cannot take it.
    expect((await activate(a, s, "machine-other-0002")).code).toBe("ALREADY_LINKED");
  });

  it("answers NOT_FOUND for a wrong tax id, as for an unknown number, and audits the refusal", async () => {
    const s = await seedLicence(raw);
    const wrong = await activateInstallation(a, {
      licenceNumber: s.number,
      taxId: newDni(),
      installationId: "machine-0003",
    });
    expect(wrong).toEqual({ code: "NOT_FOUND" });
    const unknown = generateLicenceNumber((n) => randomBytes(n));
    expect(
      await activateInstallation(a, { licenceNumber: unknown, taxId: s.taxId, installationId: "machine-0003" }),
    ).toEqual({
      code: "NOT_FOUND",
    });
    expect(await count(raw, "installations WHERE licence_id = ?", [s.licenceId])).toBe(0);
    expect(
      await count(raw, "audit_events WHERE licence_id = ? AND action = 'installation.refused'", [s.licenceId]),
    ).toBe(1);
  });

  it("takes nothing from a report once the licence is deactivated, even while the deactivation is in flight", async () => {
    const s = await seedLicence(raw);
    const bound = await activate(a, s, "machine-race-0004");
    if (bound.code !== "ACTIVATED") throw new Error("not activated");
    if (first.database.kind === "postgres") {
      // Another instance's deactivation holds the licence row; the report must wait for it, then refuse.
      await raw.query("BEGIN");
      await raw.query("UPDATE licences SET state = 'deactivated', updated_at = ? WHERE id = ?", [
        Date.now(),
        s.licenceId,
      ]);
      const report = reportNotifications(b, bound.installationToken, { notifications: [notification("RACE-1")] });
      await waitForLockWait(first.database);
      await raw.query("COMMIT");
      expect(await report).toEqual({ code: "DEACTIVATED" });
    } else {
      // SQLite runs one writer at a time: a report after the deactivation's commit refuses.
      await raw.query("UPDATE licences SET state = 'deactivated', updated_at = ? WHERE id = ?", [
        Date.now(),
        s.licenceId,
      ]);
      expect(
        await reportNotifications(b, bound.installationToken, { notifications: [notification("RACE-1")] }),
      ).toEqual({
        code: "DEACTIVATED",
      });
    }
    expect(await count(raw, "notifications WHERE client_id = ?", [s.clientId])).toBe(0);
  });

  it("takes nothing from a report once the licence is unlinked", async () => {
    const s = await seedLicence(raw);
    const bound = await activate(a, s, "machine-unlink-0005");
    if (bound.code !== "ACTIVATED") throw new Error("not activated");
    const now = Date.now();
    await raw.query("UPDATE installations SET unlinked_at = ? WHERE licence_id = ?", [now, s.licenceId]);
    await raw.query("UPDATE licences SET installation_id = NULL, linked_at = NULL, updated_at = ? WHERE id = ?", [
      now,
      s.licenceId,
    ]);
    expect(await reportNotifications(a, bound.installationToken, { notifications: [notification("U-1")] })).toEqual({
      code: "UNLINKED",
    });
    expect(await count(raw, "notifications WHERE client_id = ?", [s.clientId])).toBe(0);
  });

  it("counts each of 20 simultaneous failures on one key, and starts a new window once it expired", async () => {
    const key = `addr:${randomBytes(8).toString("hex")}`;
    const now = Date.UTC(2026, 10, 2, 9);
    const windowMs = 15 * 60_000;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? second : first).store.recordFailure([key], now, windowMs)),
    );
    expect((await first.store.failureCounts([key], now + 100, windowMs)).get(key)).toEqual({
      windowStart: now,
      count: 20,
    });
    const later = now + windowMs + 1;
    await second.store.recordFailure([key], later, windowMs);
    expect((await first.store.failureCounts([key], later, windowMs)).get(key)).toEqual({
      windowStart: later,
      count: 1,
    });
    // An expired window reads as no failures at all.
    expect((await first.store.failureCounts([key], later + windowMs, windowMs)).has(key)).toBe(false);
  });

  it("looks up a token with its licence's standing and the caller's failure window, in one read", async () => {
    const s = await seedLicence(raw);
    const activated = await activate(a, s, "machine-lookup");
    if (activated.code !== "ACTIVATED") throw new Error(activated.code);
    const hash = hashToken(activated.installationToken);
    const key = `addr:${randomBytes(8).toString("hex")}`;
    const now = Date.UTC(2026, 10, 2, 9);

    const plain = await first.store.installationByToken(hash, key);
    expect(plain.window).toBeUndefined();
    expect(plain.found?.licence).toEqual({
      id: s.licenceId,
      firmId: s.firmId,
      clientId: s.clientId,
      state: "active",
      installationId: plain.found?.installation.id,
      deletedAt: null,
    });
    expect(plain.found?.installation).toMatchObject({ licenceId: s.licenceId, unlinkedAt: null });
    expect(plain.found?.firmState).toBe("active");

    await second.store.recordFailure([key], now, 15 * 60_000);
    await second.store.recordFailure([key], now + 1, 15 * 60_000);
    expect((await first.store.installationByToken(hash, key)).window).toEqual({ windowStart: now, count: 2 });
    // Another address's window is not this one's; no key, no window.
    expect((await first.store.installationByToken(hash, `${key}-other`)).window).toBeUndefined();
    expect((await first.store.installationByToken(hash, undefined)).window).toBeUndefined();
    // An unknown token: nothing (the use case reads the counters itself to decide that failure).
    expect(await first.store.installationByToken(hashToken("an-unknown-token-0000"), key)).toEqual({
      found: undefined,
      window: undefined,
    });

    await raw.query("UPDATE licences SET state = 'deactivated' WHERE id = ?", [s.licenceId]);
    await raw.query("UPDATE firms SET activation_state = 'revoked' WHERE id = ?", [s.firmId]);
    const changed = await first.store.installationByToken(hash, key);
    expect(changed.found?.licence.state).toBe("deactivated");
    expect(changed.found?.firmState).toBe("revoked");
  });

  it("keeps reports idempotent by the administration's id, under simultaneous reports too", async () => {
    const s = await seedLicence(raw);
    const bound = await activate(a, s, "machine-idem-0006");
    if (bound.code !== "ACTIVATED") throw new Error("not activated");
    const items = ["ID-1", "ID-2", "ID-3"].map(notification);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        reportNotifications(i % 2 ? b : a, bound.installationToken, { notifications: items }),
      ),
    );
    const created = results.map((r) => (r.code === "ACCEPTED" ? r.created : Number.NaN));
    expect(created.reduce((x, y) => x + y, 0)).toBe(3);
    expect(results.every((r) => r.code === "ACCEPTED" && r.updated === 0)).toBe(true);
    expect(await count(raw, "notifications WHERE client_id = ?", [s.clientId])).toBe(3);
    expect(await reportNotifications(a, bound.installationToken, { notifications: items })).toEqual({
      code: "ACCEPTED",
      created: 0,
      updated: 0,
    });
  });

  it("marks the firm's own notification of the client self-managed once, and leaves another client's alone", async () => {
    const s = await seedLicence(raw);
    const other = await seedLicence(raw, s);
    const now = Date.now();
    for (const [clientId, ref] of [
      [s.clientId, "OWN-1"],
      [other.clientId, "OTHER-1"],
    ] as const) {
      await raw.query(
        "INSERT INTO notifications (firm_id, client_id, external_id, organismo, asunto, fecha_puesta_disposicion, estado, created_at) VALUES (?, ?, ?, 'AEAT', 'Asunto', ?, 'Pendiente', ?)",
        [s.firmId, clientId, ref, now, now],
      );
    }
    const bound = await activate(a, s, "machine-mark-0007");
    if (bound.code !== "ACTIVATED") throw new Error("not activated");
    const items = ["OWN-1", "OTHER-1"].map(notification);
    expect(await reportNotifications(b, bound.installationToken, { notifications: items })).toEqual({
      code: "ACCEPTED",
      created: 0,
      updated: 1,
    });
    expect(await reportNotifications(a, bound.installationToken, { notifications: items })).toEqual({
      code: "ACCEPTED",
      created: 0,
      updated: 0,
    });
    const rows = await raw.query<{ external_id: string; client_id: number; self_managed: unknown; estado: string }>(
      "SELECT external_id, client_id, self_managed, estado FROM notifications WHERE firm_id = ? ORDER BY external_id",
      [s.firmId],
    );
    expect(rows.map((r) => [r.external_id, Number(r.client_id), Boolean(r.self_managed), r.estado])).toEqual([
      ["OTHER-1", other.clientId, false, "Pendiente"],
      ["OWN-1", s.clientId, true, "Leída"],
    ]);
  });

  it("imports a file in one unit: unknown clients reported by line, a second import changes nothing", async () => {
    const s = await seedLicence(raw);
    const csv = [
      "id;nif;organismo;asunto;fecha_puesta_disposicion;estado",
      `IMP-1;${s.taxId};AEAT;Uno;01/10/2026;Pendiente`,
      `IMP-2;${newDni()};DEHú;Dos;02/10/2026;Pendiente`,
      `IMP-3;${s.taxId};Seguridad Social;Tres;03/10/2026;Pendiente`,
    ].join("\n");
    const once = await importNotifications(a, { workspaceId: s.workspaceId, data: Buffer.from(csv) });
    expect([once.imported, once.unchanged, once.rejected]).toEqual([
      2,
      0,
      [{ line: 3, reason: "UNKNOWN_CLIENT", field: "nif" }],
    ]);
    const [again, racing] = await Promise.all([
      importNotifications(a, { workspaceId: s.workspaceId, data: Buffer.from(csv) }),
      importNotifications(b, { workspaceId: s.workspaceId, data: Buffer.from(csv) }),
    ]);
    expect([again.imported, again.unchanged, racing.imported, racing.unchanged]).toEqual([0, 2, 0, 2]);
    expect(await count(raw, "notifications WHERE firm_id = ?", [s.firmId])).toBe(2);
    expect(await count(raw, "audit_events WHERE firm_id = ? AND action = 'notifications.imported'", [s.firmId])).toBe(
      1,
    );
  });
});

/** Until a backend of the database waits for a row lock (the report behind the deactivation). */
async function waitForLockWait(database: TestDatabase): Promise<void> {
  // Its own connection: pg_stat_activity is read once per transaction.
  const watcher = await rawConnection(database);
  try {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const n = await count(
        watcher,
        "pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (n > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the report never waited for the deactivation's lock");
  } finally {
    await watcher.close();
  }
}
