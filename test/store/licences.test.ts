import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditActor,
  type ClientInput,
  type LicenceRecord,
  openStore,
  type Store,
  type StoreHandle,
} from "../../src/db/index.ts";
import { ServiceError } from "../../src/errors.ts";
import { applySelfManaged, issueLicence, recordDetailsSent, transitionLicence } from "../../src/handlers/index.ts";
import { failure, newDni } from "../support/fixtures.ts";
import { openTestStore, type TestDatabase } from "../support/storage.ts";

/**
 * The licences area's storage contract (docs/architecture.md, "Tests on both
 * storages"): the rules of the licence use cases, through their units of
 * work, on this run's storage, including races between units.
 */

const NOW = Date.UTC(2026, 11, 1, 9);
const ACTOR: AuditActor = { platform: "slack", id: "UADVISOR1" };

/** Rows the area does not write (firms, installations), written as SQL on the database itself. */
async function sqlOn(database: TestDatabase, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (database.kind === "postgres") {
    const client = new pg.Client({ connectionString: database.target });
    await client.connect();
    try {
      let i = 0;
      return (
        await client.query(
          text.replace(/\?/g, () => `$${++i}`),
          params,
        )
      ).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(database.target);
  try {
    const stmt = db.prepare(text);
    if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
    stmt.run(...params);
    return [];
  } finally {
    db.close();
  }
}

let seq = 0;
/** A number never offered before in this file (any 20 characters: the store does not check the format). */
const freshNumber = () => `T${String(++seq).padStart(19, "0")}`;

describe("licences storage", () => {
  let handle: Awaited<ReturnType<typeof openTestStore>>;
  let store: Store;
  let firmId: number;
  let other: StoreHandle;

  async function newFirm(state = "active"): Promise<number> {
    const [row] = await sqlOn(
      handle.database,
      "INSERT INTO firms (name, activation_state, created_at) VALUES (?, ?, ?) RETURNING id",
      [`Asesoría ${++seq}`, state, NOW],
    );
    return Number(row?.id);
  }

  const client = (extra: Partial<ClientInput> = {}): ClientInput => ({
    taxId: newDni(),
    name: "Ferretería López S.L.",
    ...extra,
  });

  const create = (firm: number, data: ClientInput, newNumber: () => string = freshNumber, on: Store = store) =>
    issueLicence(on, { firmId: firm, client: data, actor: ACTOR, newNumber, now: NOW });
  /** The i-th of many racing units: every other one through a second store, as a second instance would be. */
  const instance = (i: number) => (i % 2 ? other.store : store);

  /** Binds the licence to an installation, as the client app's activation would. */
  async function link(licence: LicenceRecord): Promise<void> {
    const [row] = await sqlOn(
      handle.database,
      "INSERT INTO installations (licence_id, installation_key, token_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
      [licence.id, `machine-${licence.id}`, `hash-${licence.id}-${++seq}`, NOW, NOW],
    );
    await sqlOn(handle.database, "UPDATE licences SET installation_id = ?, linked_at = ? WHERE id = ?", [
      Number(row?.id),
      NOW,
      licence.id,
    ]);
  }

  beforeAll(async () => {
    handle = await openTestStore();
    store = handle.store;
    firmId = await newFirm();
    // A second instance, its pool wide enough that 50 racing units never wait for a connection (only for locks).
    other = await openStore(
      handle.database.kind === "postgres"
        ? { path: "", database: { url: handle.database.target, poolSize: 40 } }
        : { path: handle.database.target },
    );
  });
  afterAll(async () => {
    await other?.close();
    await handle?.dispose();
  });

  it("creates the client and its licence, audited, and refuses a second live licence for the client", async () => {
    const data = client({ email: "ana@ferreteria.example.com" });
    const licence = await create(firmId, data);
    expect(licence).toMatchObject({ state: "active", linked: false, client: { taxId: data.taxId } });
    expect(await store.findLicence(firmId, { number: licence.number })).toEqual(licence);
    const again = await failure(() => create(firmId, data));
    expect([again.code, again.messageId]).toEqual(["CONFLICT", "licence.clientHasLicence"]);
    const trail = await store.history(firmId, licence.client.id, 10);
    expect(trail.map((e) => e.action)).toEqual(["licence.created", "client.created"]);
  });

  it("refuses a firm whose feature is not active, and writes nothing", async () => {
    const pending = await newFirm("pending");
    const data = client();
    const err = await failure(() => create(pending, data));
    expect(err.code).toBe("FEATURE_NOT_ACTIVE");
    expect(await store.getClientByTaxId(pending, data.taxId)).toBeUndefined();
    expect(await store.countLicences(pending)).toBe(0);
  });

  it("20 creations at once for one client: one licence, 19 CONFLICT", async () => {
    const data = client();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => create(firmId, data, freshNumber, instance(i))),
    );
    const created = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const err of refused) {
      expect(err).toBeInstanceOf(ServiceError);
      expect((err as ServiceError).messageId).toBe("licence.clientHasLicence");
    }
    const row = await store.getClientByTaxId(firmId, data.taxId);
    expect(row?.licence?.id).toBe(created[0]?.status === "fulfilled" ? created[0].value.id : -1);
  });

  it("50 creations at once across ten firms, each number offered twice: 50 licences, 50 numbers", async () => {
    const firms = await Promise.all(Array.from({ length: 10 }, () => newFirm()));
    let offered = 0;
    const base = seq;
    seq += 100;
    // Every candidate is handed out twice, so creations keep meeting numbers another one took.
    const twice = () => `D${String(base + Math.floor(offered++ / 2)).padStart(19, "0")}`;
    const licences = await Promise.all(
      Array.from({ length: 50 }, (_, i) => create(firms[i % 10] ?? firmId, client(), twice, other.store)),
    );
    expect(new Set(licences.map((l) => l.number)).size).toBe(50);
    expect(offered).toBeGreaterThan(50);
    for (const f of firms) expect(await store.countLicences(f)).toBe(5);
  });

  it("delete, then create again for the client: a new number; the old one is never given again and still found", async () => {
    const data = client();
    const first = await create(firmId, data);
    const deleted = await transitionLicence(store, "delete", firmId, { licenceId: first.id }, ACTOR, NOW);
    expect(deleted.licence.number).toBe(first.number);
    expect(await store.findLicence(firmId, { licenceId: first.id })).toBeUndefined();
    const offers = [first.number, freshNumber()];
    const second = await create(firmId, data, () => offers.shift() ?? freshNumber());
    expect(second.number).not.toBe(first.number);
    expect(second.number).toBe(`T${String(seq).padStart(19, "0")}`);
    expect(await store.findAnyLicenceByNumber(firmId, first.number)).toEqual({
      licenceId: first.id,
      clientId: first.client.id,
    });
    const actions = (await store.history(firmId, first.client.id, 20)).map((e) => e.action);
    expect(actions).toEqual([
      "licence.created",
      "client.updated",
      "licence.deleted",
      "licence.created",
      "client.created",
    ]);
  });

  it("the live count follows creations and deletions, not deactivations", async () => {
    const firm = await newFirm();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await create(firm, client()));
    expect(await store.countLicences(firm)).toBe(3);
    await transitionLicence(store, "deactivate", firm, { licenceId: made[0]?.id ?? 0 }, ACTOR, NOW);
    expect(await store.countLicences(firm)).toBe(3);
    await transitionLicence(store, "delete", firm, { licenceId: made[1]?.id ?? 0 }, ACTOR, NOW);
    expect(await store.countLicences(firm)).toBe(2);
    const counts = await store.handoverCounts(firm, NOW);
    expect(counts).toMatchObject({ live: 2, active: 1, deactivated: 1, toSend: 1, toInstall: 0 });
    await Promise.all([
      ...Array.from({ length: 6 }, () => create(firm, client())),
      transitionLicence(store, "delete", firm, { licenceId: made[2]?.id ?? 0 }, ACTOR, NOW),
    ]);
    expect(await store.countLicences(firm)).toBe(7);
    expect((await store.listLicences(firm, { limit: 50 })).items).toHaveLength(7);
  });

  it("lists each licence exactly as it reads one: self-managed, linked and plain alike", async () => {
    const firm = await newFirm();
    const plain = await create(firm, client({ name: "A Plain S.L.", email: "a@example.com", phone: "600000001" }));
    const linked = await create(firm, client({ name: "B Linked S.L.", contactPerson: "Ana", notes: "nota" }));
    await link(linked);
    const managed = await create(firm, client({ name: "C Managed S.L." }));
    await link(managed);
    await applySelfManaged(store, { firmId: firm, taxId: managed.client.taxId, value: true, actor: ACTOR, now: NOW });

    const listed = (await store.listLicences(firm, { limit: 10 })).items;
    const read = await Promise.all([plain, linked, managed].map((l) => store.findLicence(firm, { licenceId: l.id })));
    expect(listed).toEqual(read);
    expect(listed.map((l) => [l.linked, l.client.selfManaged])).toEqual([
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(listed[2]?.client.selfManagedAt).toBe(NOW);
    expect(listed[1]?.lastContactAt).toBe(NOW);
  });

  it("a read outside a unit never sees the unit's change before it commits, and sees it right after", async () => {
    // On SQLite, reads run on the write connection only while it has no transaction open (src/db/sqlite.ts).
    const firm = await newFirm();
    const licence = await create(firm, client({ name: "Antes S.L." }));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let changed: () => void = () => {};
    const written = new Promise<void>((resolve) => {
      changed = resolve;
    });
    const unit = store.unit("renameForTest", async (tx) => {
      await tx.updateClient(licence.client.id, { name: "Después S.L." }, NOW);
      changed();
      await gate;
    });
    await written;
    const outside = async () => ({
      listed: (await store.listLicences(firm, { limit: 10 })).items.map((l) => l.client.name),
      found: (await store.findLicence(firm, { licenceId: licence.id }))?.client.name,
      client: (await store.getClient(firm, licence.client.id))?.name,
    });
    expect(await outside()).toEqual({ listed: ["Antes S.L."], found: "Antes S.L.", client: "Antes S.L." });
    release();
    await unit;
    expect(await outside()).toEqual({ listed: ["Después S.L."], found: "Después S.L.", client: "Después S.L." });
  });

  it("deactivating clears the self-managed tick, audited; reactivating does not set it back", async () => {
    const licence = await create(firmId, client());
    const ticked = await applySelfManaged(store, {
      firmId,
      taxId: licence.client.taxId,
      value: true,
      actor: ACTOR,
      now: NOW,
    });
    expect(ticked).toMatchObject({ changed: true, client: { selfManaged: true, selfManagedAt: NOW } });
    const off = await transitionLicence(store, "deactivate", firmId, { number: licence.number }, ACTOR, NOW + 1);
    expect(off.selfManagedCleared).toBe(true);
    expect(off.licence).toMatchObject({ state: "deactivated", client: { selfManaged: false, selfManagedAt: null } });
    expect(
      (await failure(() => transitionLicence(store, "deactivate", firmId, { number: licence.number }, ACTOR, NOW)))
        .messageId,
    ).toBe("licence.alreadyDeactivated");
    const tick = await failure(() =>
      applySelfManaged(store, { firmId, taxId: licence.client.taxId, value: true, actor: ACTOR, now: NOW }),
    );
    expect(tick.messageId).toBe("client.selfManagedNeedsLicence");
    const on = await transitionLicence(store, "reactivate", firmId, { taxId: licence.client.taxId }, ACTOR, NOW + 2);
    expect(on).toMatchObject({
      selfManagedCleared: false,
      licence: { state: "active", client: { selfManaged: false } },
    });
    const actions = (await store.history(firmId, licence.client.id, 10)).map((e) => e.action);
    expect(actions.slice(0, 4)).toEqual([
      "licence.reactivated",
      "licence.deactivated",
      "client.selfManagedCleared",
      "client.selfManagedSet",
    ]);
  });

  it("a deactivation and a self-managed tick racing never both win", async () => {
    // One firm per pair, so nothing but the client and licence rows orders the two units.
    const firms = await Promise.all(Array.from({ length: 12 }, () => newFirm()));
    const licences = await Promise.all(firms.map((f) => create(f, client())));
    await Promise.all(
      licences.map((l) =>
        Promise.allSettled([
          transitionLicence(store, "deactivate", l.firmId, { licenceId: l.id }, ACTOR, NOW),
          applySelfManaged(other.store, {
            firmId: l.firmId,
            taxId: l.client.taxId,
            value: true,
            actor: ACTOR,
            now: NOW,
          }),
        ]),
      ),
    );
    for (const l of licences) {
      const row = await store.getClientByTaxId(l.firmId, l.client.taxId);
      expect(row?.licence?.state).toBe("deactivated");
      expect(row?.selfManaged).toBe(false);
    }
  });

  it("unlink frees the installation and keeps the tick; delete frees it and clears the tick", async () => {
    const licence = await create(firmId, client());
    await applySelfManaged(store, { firmId, taxId: licence.client.taxId, value: true, actor: ACTOR, now: NOW });
    expect(
      (await failure(() => transitionLicence(store, "unlink", firmId, { licenceId: licence.id }, ACTOR, NOW)))
        .messageId,
    ).toBe("licence.notLinked");
    await link(licence);
    expect(await store.findLicence(firmId, { licenceId: licence.id })).toMatchObject({
      linked: true,
      lastContactAt: NOW,
    });
    const unlinked = await transitionLicence(store, "unlink", firmId, { licenceId: licence.id }, ACTOR, NOW + 5);
    expect(unlinked).toMatchObject({
      selfManagedCleared: false,
      licence: { linked: false, client: { selfManaged: true } },
    });
    const live = await sqlOn(
      handle.database,
      "SELECT id FROM installations WHERE licence_id = ? AND unlinked_at IS NULL",
      [licence.id],
    );
    expect(live).toHaveLength(0);
    await link(licence);
    const deleted = await transitionLicence(store, "delete", firmId, { licenceId: licence.id }, ACTOR, NOW + 6);
    expect(deleted.selfManagedCleared).toBe(true);
    const still = await sqlOn(
      handle.database,
      "SELECT id FROM installations WHERE licence_id = ? AND unlinked_at IS NULL",
      [licence.id],
    );
    expect(still).toHaveLength(0);
    expect(
      (await failure(() => transitionLicence(store, "delete", firmId, { licenceId: licence.id }, ACTOR, NOW))).code,
    ).toBe("NOT_FOUND");
  });

  it("reactivation needs an active firm; the self-managed tick too", async () => {
    const firm = await newFirm();
    const licence = await create(firm, client());
    await transitionLicence(store, "deactivate", firm, { licenceId: licence.id }, ACTOR, NOW);
    await sqlOn(handle.database, "UPDATE firms SET activation_state = 'revoked' WHERE id = ?", [firm]);
    const err = await failure(() =>
      transitionLicence(store, "reactivate", firm, { licenceId: licence.id }, ACTOR, NOW),
    );
    expect(err.code).toBe("FEATURE_NOT_ACTIVE");
    const tick = await failure(() =>
      applySelfManaged(store, { firmId: firm, taxId: licence.client.taxId, value: true, actor: ACTOR, now: NOW }),
    );
    expect(tick.code).toBe("FEATURE_NOT_ACTIVE");
  });

  it("details sent: recorded with the audit row; a deleted or another firm's licence is NOT_FOUND", async () => {
    const licence = await create(firmId, client());
    const sent = await recordDetailsSent(store, firmId, { licenceId: licence.id }, ACTOR, NOW + 9);
    expect(sent.detailsSentAt).toBe(NOW + 9);
    expect((await store.history(firmId, licence.client.id, 1))[0]?.action).toBe("licence.detailsSent");
    const other = await newFirm();
    expect((await failure(() => recordDetailsSent(store, other, { licenceId: licence.id }, ACTOR, NOW))).code).toBe(
      "NOT_FOUND",
    );
    expect(await store.findLicence(other, { licenceId: licence.id })).toBeUndefined();
    expect(await store.getClient(other, licence.client.id)).toBeUndefined();
  });

  it("lists page by keyset: every licence and client once, in name order; history newest first", async () => {
    const firm = await newFirm();
    const names = ["Delta", "alfa", "Beta", "Beta", "Gamma", "Épsilon", "Zeta"];
    const made = [];
    for (const name of names) made.push(await create(firm, client({ name })));
    const bare = await sqlOn(
      handle.database,
      "INSERT INTO clients (firm_id, tax_id, name, self_managed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      [firm, newDni(), "Sin licencia", handle.database.kind === "postgres" ? false : 0, NOW, NOW],
    );
    const walk = async <T>(page: (after?: string) => Promise<{ items: T[]; next?: string }>) => {
      const all: T[] = [];
      let after: string | undefined;
      do {
        const p = await page(after);
        expect(p.items.length).toBeLessThanOrEqual(2);
        all.push(...p.items);
        after = p.next;
      } while (after);
      return all;
    };
    const licences = await walk((after) => store.listLicences(firm, { after, limit: 2 }));
    const sorted = [...names].sort();
    expect(licences.map((l) => l.client.name)).toEqual(sorted);
    // Each page size is its own statement on SQLite (the limit written into the SQL): every size walks the same list.
    for (let size = 1; size <= names.length + 1; size++) {
      const pages: number[] = [];
      const seen: number[] = [];
      let after: string | undefined;
      do {
        const page = await store.listLicences(firm, { after, limit: size });
        pages.push(page.items.length);
        seen.push(...page.items.map((l) => l.id));
        after = page.next;
      } while (after);
      expect(seen, `pages of ${size}`).toEqual(licences.map((l) => l.id));
      expect(
        pages.slice(0, -1).every((n) => n === size),
        `pages of ${size}`,
      ).toBe(true);
    }
    const clients = await walk((after) => store.listClients(firm, { after, limit: 2 }));
    expect(clients.map((c) => c.name)).toEqual([...names, "Sin licencia"].sort());
    expect(clients.find((c) => c.id === Number(bare[0]?.id))?.licence).toBeNull();
    const found = await walk((after) => store.searchClients(firm, "beta", { after, limit: 2 }));
    expect(found.map((c) => c.name)).toEqual(["Beta", "Beta"]);

    const target = made[0];
    if (!target) throw new Error("no licence");
    for (let i = 0; i < 3; i++) await recordDetailsSent(store, firm, { licenceId: target.id }, ACTOR, NOW + i);
    const trail = await walk((after) => store.historyPage(firm, target.client.id, { after, limit: 2 }));
    expect(trail.map((e) => e.action)).toEqual([
      "licence.detailsSent",
      "licence.detailsSent",
      "licence.detailsSent",
      "licence.created",
      "client.created",
    ]);
    expect(trail.map((e) => e.id)).toEqual([...trail.map((e) => e.id)].sort((a, b) => b - a));
  });

  it("a bulk issue's counts are one audit row of the firm", async () => {
    const firm = await newFirm();
    const counts = { lines: 3, created: 2, refused: 1, failed: 0 };
    await store.recordBulkCreated({ firmId: firm, actor: ACTOR, now: NOW, counts });
    const rows = await sqlOn(handle.database, "SELECT action, details FROM audit_events WHERE firm_id = ?", [firm]);
    expect(rows).toEqual([{ action: "licence.bulkCreated", details: JSON.stringify(counts) }]);
  });
});
