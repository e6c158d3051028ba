import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "../../src/db/open.ts";
import { type OpenPg, openPg } from "../../src/db/pg/open.ts";
import * as pgSchema from "../../src/db/pg/schema.ts";
import { pgSearchReads } from "../../src/db/pg/search.ts";
import * as schema from "../../src/db/schema.ts";
import { searchReads } from "../../src/db/search.ts";
import type { ClientRow, Page } from "../../src/db/types.ts";
import { type PgServer, startPostgres } from "../support/postgres.ts";

/**
 * `buscar` gives the same rows, in the same order, page for page, on SQLite
 * and on PostgreSQL, from the same data written through each schema.
 */

const NOW = Date.UTC(2026, 11, 1);
const FIRMS = [
  { id: 1, name: "Asesoría Uno", activationState: "active" as const, createdAt: NOW },
  { id: 2, name: "Asesoría Dos", activationState: "active" as const, createdAt: NOW },
];
const NAMES = [
  "García López, S.L.",
  "GARCIA MARTÍN",
  "Muñoz Ibáñez",
  "Peñíscola Güell",
  "Álvarez 100% Natural",
  "Zeta_Underscore",
  "garcía (minúsculas)",
  "Otra García de otra firma",
];
const CLIENTS = NAMES.map((name, i) => ({
  id: i + 1,
  firmId: i === NAMES.length - 1 ? 2 : 1,
  taxId: `B${String(1234567 + i)}${"ABCDEFGH"[i]}`,
  name,
  email: i % 2 ? `contacto${i}@garcía.es` : null,
  createdAt: NOW,
  updatedAt: NOW,
}));
const LICENCES = [
  { id: 1, firmId: 1, clientId: 1, number: "AAAAABBBBBCCCCCDDDDD", createdAt: NOW, updatedAt: NOW },
  { id: 2, firmId: 1, clientId: 3, number: "EEEEEFFFFFGGGGGHHHHH", createdAt: NOW, updatedAt: NOW, deletedAt: NOW },
  { id: 3, firmId: 1, clientId: 3, number: "JJJJJKKKKKMMMMMNNNNN", createdAt: NOW, updatedAt: NOW },
];

describe("buscar on both storages", () => {
  let server: PgServer;
  let pg: OpenPg;
  let sqlite: OpenDatabase;
  beforeAll(async () => {
    server = await startPostgres({ database: "search" });
    pg = await openPg(server.url, { poolSize: 2 });
    sqlite = openDatabase(":memory:");
    sqlite.db.insert(schema.firms).values(FIRMS).run();
    sqlite.db.insert(schema.clients).values(CLIENTS).run();
    sqlite.db.insert(schema.licences).values(LICENCES).run();
    await pg.db.insert(pgSchema.firms).values(FIRMS);
    await pg.db.insert(pgSchema.clients).values(CLIENTS);
    await pg.db.insert(pgSchema.licences).values(LICENCES);
  }, 180_000);
  afterAll(async () => {
    sqlite?.close();
    await pg?.close();
    await server?.stop();
  });

  /** Every page of a search, two rows a page. */
  async function allPages(
    search: (after: string | undefined) => Page<ClientRow> | Promise<Page<ClientRow>>,
  ): Promise<{ pages: ClientRow[][]; cursors: string[] }> {
    const pages: ClientRow[][] = [];
    const cursors: string[] = [];
    let after: string | undefined;
    do {
      const page = await search(after);
      pages.push(page.items);
      after = page.next;
      if (after) cursors.push(after);
    } while (after && pages.length < 20);
    return { pages, cursors };
  }

  it.each([
    "garcia",
    "GARCÍA",
    "muñoz",
    "MUNOZ",
    "guell",
    "100%",
    "_",
    "b-1234 567",
    "b12345",
    "ejemplo-que-no-está",
    "@garcía.es",
  ])("%s", async (text) => {
    const lite = searchReads(sqlite.db);
    const post = pgSearchReads(pg.db);
    const fromSqlite = await allPages((after) => lite.searchClients(1, text, { after, limit: 2 }));
    const fromPg = await allPages((after) => post.searchClients(1, text, { after, limit: 2 }));
    expect(fromPg).toEqual(fromSqlite);
    // Firm 2's client never shows up for firm 1.
    expect(fromPg.pages.flat().some((c) => c.firmId !== 1)).toBe(false);
  });

  it("finds what the SQLite search finds for the Spanish cases that matter", async () => {
    const post = pgSearchReads(pg.db);
    const names = (await post.searchClients(1, "garcia", { limit: 10 })).items.map((c) => c.name);
    // By name, bytewise as in SQLite; two match only by their e-mail (garcía.es).
    expect(names).toEqual([
      "GARCIA MARTÍN",
      "García López, S.L.",
      "Peñíscola Güell",
      "Zeta_Underscore",
      "garcía (minúsculas)",
    ]);
    const withLicence = (await post.searchClients(1, "muñoz", { limit: 10 })).items;
    expect(withLicence.map((c) => c.licence?.number)).toEqual(["JJJJJKKKKKMMMMMNNNNN"]);
  });
});
