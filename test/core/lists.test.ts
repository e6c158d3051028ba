import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type LicenceRecord, openStore } from "../../src/db/index.ts";
import { knownMigrations } from "../../src/db/open.ts";
import {
  deleteLicence,
  getActivationStatus,
  getFirm,
  getHistory,
  listClients,
  listFirms,
  listLicences,
  listNotifications,
} from "../../src/handlers/index.ts";
import { advisor, supportAgent, tempDir, testDeps } from "../support/app.ts";
import { activateFirm, failure, newLicence } from "../support/fixtures.ts";

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/db/migrations");

/** Cursors a caller may send back instead of ours: none of them may fail, each reads as the first page. */
function foreignCursors(tag: string, real: string): string[] {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return [
    "garbage",
    "%%%",
    "",
    "x".repeat(5000),
    real.slice(0, -8),
    `${real}==`,
    `${real.slice(0, 4)}.${real.slice(4)}`,
    b64(["l", 1, "x"]),
    b64(["l", "Cliente", 1.5]),
    b64(["l", "Cliente", "1"]),
    b64(["l", "Cliente"]),
    ...[b64(["l", "Cliente", 1]), b64(["c", "Cliente", 1]), b64(["n", 1, 1]), b64(["f", "Firma", 1])].filter(
      (c) => !c.startsWith(b64([tag]).slice(0, 4)),
    ),
    b64({ name: "x" }),
    b64(null),
    b64(["l", "Cliente", 1, 2]),
    b64(["l", "\u0000", Number.MAX_SAFE_INTEGER + 2]),
    "1796000000000.5",
  ].filter((c) => c !== real);
}

describe("list pages", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  const a = advisor("T0LISTFIRM");
  beforeEach(async () => {
    deps = await testDeps();
    await activateFirm(deps, a);
  });
  afterEach(async () => await deps.dispose());

  it("read a tampered or foreign cursor as the first page, never as an error", async () => {
    for (const name of ["Delta", "Alfa", "Charlie", "Bravo"]) await newLicence(deps, a, { name });
    const licences = await listLicences(deps, a, { limit: 2 });
    const clients = await listClients(deps, a, { limit: 2 });
    expect(licences.next).toBeDefined();
    expect(clients.next).toBeDefined();
    for (const bad of foreignCursors("l", licences.next as string)) {
      expect((await listLicences(deps, a, { limit: 2, after: bad })).items.map((l) => l.client.name)).toEqual([
        "Alfa",
        "Bravo",
      ]);
    }
    for (const bad of foreignCursors("c", clients.next as string)) {
      expect((await listClients(deps, a, { limit: 2, after: bad })).items.map((c) => c.name)).toEqual([
        "Alfa",
        "Bravo",
      ]);
    }
    // Each list's own cursor moves on.
    expect((await listLicences(deps, a, { limit: 2, after: licences.next })).items.map((l) => l.client.name)).toEqual([
      "Charlie",
      "Delta",
    ]);
    // A licence cursor is not a client cursor.
    expect((await listClients(deps, a, { limit: 2, after: licences.next })).items.map((c) => c.name)).toEqual([
      "Alfa",
      "Bravo",
    ]);
  });

  it("page clients of the same name by id, with deleted licences hidden and the total kept as rows change", async () => {
    const made: LicenceRecord[] = [];
    for (let i = 0; i < 7; i++) made.push(await newLicence(deps, a, { name: "Mismo Nombre S.L." }));
    await deleteLicence(deps, a, { licenceId: made[3]?.id as number });
    const seen: number[] = [];
    let after: string | undefined;
    do {
      const page = await listLicences(deps, a, { after, limit: 2 });
      expect(page.total).toBe(6);
      seen.push(...page.items.map((l) => l.id));
      after = page.next;
    } while (after);
    expect(seen).toEqual(made.filter((_, i) => i !== 3).map((l) => l.id));
    const clients: number[] = [];
    after = undefined;
    do {
      const page = await listClients(deps, a, { after, limit: 3 });
      clients.push(...page.items.map((c) => c.id));
      after = page.next;
    } while (after);
    expect(clients).toEqual(made.map((l) => l.client.id));
  });

  it("page notifications newest first, one client's too, ties broken by the latest stored", async () => {
    const l1 = await newLicence(deps, a, { name: "Uno" });
    const l2 = await newLicence(deps, a, { name: "Dos" });
    const firmId = l1.firmId;
    const day = Date.UTC(2026, 9, 1, 12);
    const rows = Array.from({ length: 9 }, (_, i) => ({
      firmId,
      clientId: (i % 2 ? l2 : l1).client.id,
      externalId: `REF-${i}`,
      organismo: "AEAT",
      asunto: `Asunto ${i}`,
      // Three per day: the same date thrice.
      fechaPuestaDisposicion: day + Math.floor(i / 3) * 86_400_000,
      estado: "Pendiente",
    }));
    const now = deps.now();
    expect(await deps.store.unit("import", async (tx) => await tx.insertImportedNotifications(rows, now))).toBe(9);
    const walk = async (taxId?: string) => {
      const refs: string[] = [];
      let after: string | undefined;
      do {
        const page = await listNotifications(deps, a, { taxId, after, limit: 2 });
        refs.push(...page.items.map((n) => n.externalId));
        after = page.next;
      } while (after);
      return refs;
    };
    const newestFirst = ["REF-8", "REF-7", "REF-6", "REF-5", "REF-4", "REF-3", "REF-2", "REF-1", "REF-0"];
    expect(await walk()).toEqual(newestFirst);
    expect(await walk(l2.client.taxId)).toEqual(newestFirst.filter((r) => Number(r.slice(4)) % 2 === 1));
    const first = await listNotifications(deps, a, { limit: 2 });
    for (const bad of foreignCursors("n", first.next as string)) {
      expect((await listNotifications(deps, a, { limit: 2, after: bad })).items.map((n) => n.externalId)).toEqual([
        "REF-8",
        "REF-7",
      ]);
    }
  });

  it("show a history newest first, a deleted licence's included, and no other client's", async () => {
    const mine = await newLicence(deps, a, { name: "Historia S.L." });
    await newLicence(deps, a, { name: "Otra S.L." });
    await deleteLicence(deps, a, { licenceId: mine.id });
    const actions = (await getHistory(deps, a, { text: mine.number })).events.map((e) => e.action);
    expect(actions).toEqual(["licence.deleted", "licence.created", "client.created"]);
    const first = await getHistory(deps, a, { text: mine.number, limit: 2 });
    expect(first.events.map((e) => e.action)).toEqual(["licence.deleted", "licence.created"]);
    const rest = await getHistory(deps, a, { text: mine.client.taxId, limit: 2, after: first.next });
    expect(rest.events.map((e) => e.action)).toEqual(["client.created"]);
    expect(rest.next).toBeUndefined();
    expect((await getHistory(deps, a, { text: mine.number, limit: 2, after: "tampered" })).events).toEqual(
      first.events,
    );
  });
});

describe("support's firm list", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  beforeEach(async () => {
    deps = await testDeps();
  });
  afterEach(async () => await deps.dispose());

  it("pages every firm by name, with its live licences, and finds one firm by id", async () => {
    const names = Array.from({ length: 23 }, (_, i) => `Asesoría ${String(i).padStart(2, "0")}`);
    for (const [i, name] of [...names].reverse().entries()) {
      await getActivationStatus(deps, advisor(`T0PAGE${String(i).padStart(4, "0")}`, { workspaceName: name }));
    }
    const busy = advisor("T0PAGE0005", { workspaceName: names[17] });
    await activateFirm(deps, busy);
    const gone = await newLicence(deps, busy);
    await newLicence(deps, busy);
    await deleteLicence(deps, busy, { licenceId: gone.id });

    const support = supportAgent();
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listFirms(deps, support, { after, limit: 10 });
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((f) => f.name));
      after = page.next;
    } while (after);
    expect(seen).toEqual(names);
    expect((await listFirms(deps, support)).items).toHaveLength(20);

    const row = (await listFirms(deps, support, { limit: 50 })).items.find((f) => f.name === names[17]);
    expect(row).toMatchObject({ activationState: "active", licences: 1, workspaces: [{ externalId: "T0PAGE0005" }] });
    expect(await getFirm(deps, support, { firmId: row?.id as number })).toEqual(row);
    expect(await getFirm(deps, support, { firmId: 999_999 })).toBeUndefined();
    expect(await getFirm(deps, support, { firmId: Number.NaN })).toBeUndefined();
    expect((await listFirms(deps, support, { after: "tampered" })).items[0]?.name).toBe(names[0]);
  });

  it("is for support only, one firm too", async () => {
    const someone = advisor("T0NOTSUPPT");
    expect((await failure(async () => await listFirms(deps, someone))).code).toBe("FORBIDDEN");
    expect((await failure(async () => await getFirm(deps, someone, { firmId: 1 }))).code).toBe("FORBIDDEN");
  });
});

describe("migration 0002 on a database with data", () => {
  it("counts each firm's live licences from the rows already there, then keeps counting", async () => {
    const tmp = tempDir();
    try {
      // A database at level 2 (before this migration), from a copy of the migrations folder cut there.
      const old = join(tmp.dir, "migrations");
      cpSync(MIGRATIONS, old, { recursive: true });
      const journalPath = join(old, "meta/_journal.json");
      const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
      const level2 = journal.entries.filter((e) => e.tag < "0002");
      expect(level2).toHaveLength(2);
      writeFileSync(journalPath, JSON.stringify({ ...journal, entries: level2 }));
      const dbPath = join(tmp.dir, "licencias.db");
      const sqlite = new Database(dbPath);
      migrate(drizzle(sqlite), { migrationsFolder: old });
      const now = Date.UTC(2026, 0, 1);
      const firm = sqlite.prepare("insert into firms (name, activation_state, created_at) values (?, 'active', ?)");
      const client = sqlite.prepare(
        "insert into clients (firm_id, tax_id, name, created_at, updated_at) values (?, ?, ?, ?, ?)",
      );
      const licence = sqlite.prepare(
        "insert into licences (firm_id, client_id, number, created_at, updated_at, deleted_at) values (?, ?, ?, ?, ?, ?)",
      );
      const f1 = Number(firm.run("Uno", now).lastInsertRowid);
      const f2 = Number(firm.run("Dos", now).lastInsertRowid);
      const f3 = Number(firm.run("Tres", now).lastInsertRowid);
      let seq = 0;
      const add = (firmId: number, deleted: boolean) => {
        seq++;
        const c = client.run(firmId, `TAX${seq}`, `Cliente ${seq}`, now, now).lastInsertRowid;
        licence.run(firmId, c, `NUMBER${seq}`, now, now, deleted ? now : null);
        if (deleted) licence.run(firmId, c, `NUMBER${seq}B`, now, now, null);
      };
      for (let i = 0; i < 5; i++) add(f1, i % 2 === 0);
      add(f2, true);
      sqlite.close();

      const handle = await openStore({ path: dbPath });
      try {
        expect(handle.migrationLevel).toBe(knownMigrations().length);
        const { store } = handle;
        expect(await Promise.all([f1, f2, f3].map((id) => store.countLicences(id)))).toEqual([5, 1, 0]);
        expect((await store.getFirmRow(f1))?.licences).toBe(5);
        // The triggers go on counting, whoever writes the rows.
        const raw = new Database(dbPath);
        try {
          raw.prepare("update licences set deleted_at = ? where firm_id = ? and deleted_at is null").run(now, f2);
          raw.prepare("delete from licences where firm_id = ? and number = 'NUMBER1'").run(f1);
          raw.prepare("delete from licences where firm_id = ? and number = 'NUMBER1B'").run(f1);
        } finally {
          raw.close();
        }
        expect(await Promise.all([f1, f2, f3].map((id) => store.countLicences(id)))).toEqual([4, 0, 0]);
      } finally {
        await handle.close();
      }
    } finally {
      tmp.remove();
    }
  });
});
