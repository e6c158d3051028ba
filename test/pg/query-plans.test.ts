import { fillPlaceholders } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgLicenceQueries } from "../../src/db/pg/licences.ts";
import { type OpenPg, openPg } from "../../src/db/pg/open.ts";
import { freshPgDatabase } from "../support/storage.ts";

/**
 * The plans PostgreSQL picks for the prepared queries of its licence store
 * (src/db/pg/licences.ts), on a few thousand seeded rows after ANALYZE:
 * every list is a keyset walk over an index, never a scan of a whole table
 * (docs/architecture.md, "Storage: PostgreSQL"). The SQL is the store's own.
 */

const WATCHED = new Set(["licences", "clients", "audit_events", "notifications"]);
const FIRMS = 100;
const CLIENTS_PER_FIRM = 100;
const NOW = Date.UTC(2026, 11, 1);

/** Values for every placeholder the queries use: firm 7's lists, its "after" pages far into them (set once seeded). */
const SAMPLE = { firmId: 7, clientId: 0, name: "", id: 0, limit: 26, silentBefore: NOW };

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("PostgreSQL query plans of the licence store", () => {
  let database: { url: string; drop(): Promise<void> };
  let pg: OpenPg;

  beforeAll(async () => {
    database = await freshPgDatabase();
    pg = await openPg(database.url, { poolSize: 2 });
    // Seeding is bulk work: one connection without the application's statement timeout.
    const seeder = await pg.db.$client.connect();
    await seeder.query("SET statement_timeout = 0");
    const run = (text: string, values: unknown[] = []) => seeder.query(text, values);
    await run(
      "INSERT INTO firms (name, activation_state, created_at) SELECT 'Asesoría ' || f, 'active', $1 FROM generate_series(1, $2) f",
      [NOW, FIRMS],
    );
    await run(
      `INSERT INTO clients (firm_id, tax_id, name, self_managed, self_managed_at, created_at, updated_at)
       SELECT f.id, 'B' || lpad((f.id * 1000 + c)::text, 8, '0'), 'Cliente ' || lpad(c::text, 4, '0'),
              c % 3 = 0, CASE WHEN c % 3 = 0 THEN $1::bigint END, $1, $1
       FROM firms f, generate_series(1, $2) c`,
      [NOW, CLIENTS_PER_FIRM],
    );
    // Every client has a live licence but one in ten; one in five also has a deleted one.
    await run(
      `INSERT INTO licences (firm_id, client_id, number, state, details_sent_at, created_at, updated_at, deleted_at)
       SELECT firm_id, id, 'L' || lpad(id::text, 19, '0'), CASE WHEN id % 4 = 0 THEN 'deactivated' ELSE 'active' END,
              CASE WHEN id % 2 = 0 THEN $1::bigint END, $1, $1, NULL
       FROM clients WHERE id % 10 <> 0
       UNION ALL
       SELECT firm_id, id, 'X' || lpad(id::text, 19, '0'), 'active', NULL, $1, $1, $1
       FROM clients WHERE id % 5 = 0`,
      [NOW],
    );
    await run(
      `INSERT INTO audit_events (firm_id, action, client_id, licence_id, actor_platform, actor_id, created_at)
       SELECT c.firm_id, a.action, c.id, NULL, 'slack', 'U1', $1
       FROM clients c, (VALUES ('client.created'), ('licence.created'), ('licence.detailsSent')) a(action)`,
      [NOW],
    );
    await run(
      `INSERT INTO notifications (firm_id, client_id, external_id, organismo, asunto, fecha_puesta_disposicion, estado, created_at)
       SELECT c.firm_id, c.id, 'N' || c.id || '-' || n, 'AEAT', 'Asunto', $1::bigint + n, 'Leída', $1
       FROM clients c, generate_series(1, 2) n`,
      [NOW],
    );
    await run("ANALYZE");
    const deep = await run("SELECT id, name FROM clients WHERE firm_id = 7 ORDER BY name, id OFFSET 60 LIMIT 1");
    Object.assign(SAMPLE, { clientId: deep.rows[0].id, name: deep.rows[0].name, id: deep.rows[0].id });
    seeder.release();
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await database?.drop();
  });

  const queries = () => Object.entries(pgLicenceQueries(pg.db));

  async function explain(sql: string, params: unknown[]): Promise<PlanNode[]> {
    const { rows } = await pg.db.$client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const [{ Plan }] = rows[0]["QUERY PLAN"] as [{ Plan: PlanNode }];
    return nodes(Plan);
  }

  it("cover every prepared query of the store (the list is not a copy)", () => {
    expect(
      queries()
        .map(([name]) => name)
        .sort(),
    ).toEqual(
      [
        "clientHistory",
        "clientHistoryAfter",
        "clientPage",
        "clientPageAfter",
        "deactivatedCount",
        "licencePage",
        "licencePageAfter",
        "liveLicences",
        "notificationStats",
        "selfManagedCounts",
        "waitingCounts",
      ].sort(),
    );
  });

  it("scan no watched table whole: each query walks an index", async () => {
    const scans: Record<string, string[]> = {};
    for (const [name, prepared] of queries()) {
      const query = prepared.getQuery();
      const plan = await explain(query.sql, fillPlaceholders(query.params, SAMPLE));
      scans[name] = plan
        .filter((n) => n["Node Type"] === "Seq Scan" && WATCHED.has(n["Relation Name"] ?? ""))
        .map((n) => n["Relation Name"] ?? "");
    }
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((name) => [name, []])));
  });

  it("the lists use the indexes SQLite's plans name", async () => {
    const used = async (name: keyof ReturnType<typeof pgLicenceQueries>) => {
      const query = pgLicenceQueries(pg.db)[name].getQuery();
      return (await explain(query.sql, fillPlaceholders(query.params, SAMPLE))).flatMap((n) =>
        n["Index Name"] ? [n["Index Name"]] : [],
      );
    };
    expect(await used("licencePage")).toContain("clients_firm_name");
    expect(await used("licencePageAfter")).toContain("clients_firm_name");
    expect(await used("clientPageAfter")).toContain("clients_firm_name");
    expect(await used("clientHistoryAfter")).toContain("audit_client_trail");
    expect(await used("deactivatedCount")).toContain("licences_deactivated");
    expect(await used("waitingCounts")).toContain("licences_unactivated");
  });

  it("return what the store pages through: a deep page of firm 7 starts after its cursor", async () => {
    const rows = await pgLicenceQueries(pg.db).licencePageAfter.execute(SAMPLE);
    expect(rows.length).toBeGreaterThan(0);
    const after = (r: (typeof rows)[number]) =>
      r.c.name > SAMPLE.name || (r.c.name === SAMPLE.name && r.c.id > SAMPLE.id);
    expect(rows.every((r) => r.c.firmId === 7 && after(r))).toBe(true);
  });
});
