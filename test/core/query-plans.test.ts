import { join } from "node:path";
import Database from "better-sqlite3";
import { fillPlaceholders, type Query } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAppQueries, VALIDATION_SQL } from "../../src/db/client-app.ts";
import { exportQueries } from "../../src/db/export.ts";
import { firmQueries } from "../../src/db/firms.ts";
import { licenceQueries } from "../../src/db/licences.ts";
import { type OpenDatabase, openDatabase } from "../../src/db/open.ts";
import { watchQueries } from "../../src/db/watch.ts";
import { tempDir } from "../support/app.ts";

/**
 * The plans SQLite picks for the prepared queries of src/db, on a migrated
 * database with rows and without statistics (no ANALYZE: the indexes must be
 * ones the planner is sure to use). The SQL is the stores' own, from drizzle.
 */

const WATCHED = ["licences", "clients", "notifications", "audit_events"];

/** Values for every placeholder name the queries use. */
const SAMPLE = {
  firmId: 1,
  clientId: 2,
  name: "Cliente 0005",
  id: 5,
  limit: 11,
  date: Date.UTC(2026, 5, 1),
  tokenHash: "hash-of-a-token",
  number: "ABCDEFGHJKMNPQRSTVWX",
  externalId: "T1",
  platform: "slack",
  limitKey: "addr:x",
  organismo: "AEAT",
  asunto: "Asunto",
  deadline: null,
  estado: "Leída",
  key: "addr:x",
  now: Date.UTC(2026, 5, 1),
  sentBefore: Date.UTC(2026, 5, 1),
  silentBefore: Date.UTC(2026, 5, 1),
  deadlineFrom: Date.UTC(2026, 5, 1),
  deadlineTo: Date.UTC(2026, 5, 4),
  fresh: 1,
};

let tmp: ReturnType<typeof tempDir>;
let handle: OpenDatabase;
/** A second connection to the same file, for the seed and EXPLAIN. */
let sqlite: Database.Database;

function seed(): void {
  const now = Date.UTC(2026, 0, 1);
  const firm = sqlite.prepare("insert into firms (name, activation_state, created_at) values (?, 'active', ?)");
  const ws = sqlite.prepare(
    "insert into workspaces (firm_id, platform, external_id, created_at) values (?, 'slack', ?, ?)",
  );
  const client = sqlite.prepare(
    "insert into clients (firm_id, tax_id, name, created_at, updated_at) values (?, ?, ?, ?, ?)",
  );
  const licence = sqlite.prepare(
    "insert into licences (firm_id, client_id, number, created_at, updated_at, deleted_at) values (?, ?, ?, ?, ?, ?)",
  );
  const notification = sqlite.prepare(
    "insert into notifications (firm_id, client_id, external_id, organismo, asunto, fecha_puesta_disposicion, estado, created_at) values (?, ?, ?, 'AEAT', 'Asunto', ?, 'Pendiente', ?)",
  );
  const audit = sqlite.prepare(
    "insert into audit_events (firm_id, action, licence_id, client_id, actor_platform, actor_id, created_at) values (?, ?, ?, ?, 'slack', 'U1', ?)",
  );
  sqlite.transaction(() => {
    let seq = 0;
    for (let f = 1; f <= 5; f++) {
      firm.run(`Firma ${f}`, now);
      ws.run(f, `T${f}`, now);
      for (let i = 0; i < 60; i++) {
        seq++;
        const c = Number(client.run(f, `TAX${seq}`, `Cliente ${String(i).padStart(4, "0")}`, now, now).lastInsertRowid);
        const l = Number(licence.run(f, c, `NUMBER${seq}`, now, now, i % 7 === 0 ? now : null).lastInsertRowid);
        notification.run(f, c, `REF-${seq}`, now - seq * 3_600_000, now);
        audit.run(f, "client.created", null, c, now);
        audit.run(f, "licence.created", l, c, now);
      }
    }
  })();
}

/** The plan's lines for one query, its placeholders filled. */
function plan(query: Query): string[] {
  const params = fillPlaceholders(query.params, SAMPLE);
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail);
}

function queries(): Record<string, Query> {
  const all = {
    ...licenceQueries(handle.db),
    ...clientAppQueries(handle.db),
    ...firmQueries(handle.db),
    ...exportQueries(handle.db),
    ...watchQueries(handle.db),
  };
  return {
    ...Object.fromEntries(Object.entries(all).map(([name, prepared]) => [name, prepared.getQuery()])),
    // Plain SQL, not drizzle's: the validation's lookup (src/db/client-app.ts).
    validationLookup: { sql: VALIDATION_SQL, params: [{ tokenHash: SAMPLE.tokenHash, limitKey: SAMPLE.limitKey }] },
  };
}

beforeAll(() => {
  tmp = tempDir();
  const path = join(tmp.dir, "licencias.db");
  handle = openDatabase(path);
  sqlite = new Database(path);
  seed();
});
afterAll(() => {
  sqlite.close();
  handle.close();
  tmp.remove();
});

describe("query plans", () => {
  it("cover every prepared query of the stores (the list is not a copy)", () => {
    expect(Object.keys(queries()).sort()).toEqual(
      [
        "licencePage",
        "licencePageAfter",
        "clientPage",
        "clientPageAfter",
        "liveLicences",
        "clientHistory",
        "clientHistoryAfter",
        "notificationPage",
        "notificationPageAfter",
        "notificationStats",
        "waitingCounts",
        "selfManagedCounts",
        "deactivatedCount",
        "clientNotificationPage",
        "clientNotificationPageAfter",
        "byToken",
        "byNumber",
        "validationLookup",
        "failureWindow",
        "touchInstallation",
        "markSelfManaged",
        "insertReported",
        "firmPage",
        "firmPageAfter",
        "firmById",
        "firmOfWorkspace",
        "workspacesOfFirm",
        "exportPage",
        "exportPageAfter",
        "watchUnactivated",
        "watchUnactivatedCount",
        "watchSilent",
        "watchSilentCount",
        "watchDeadlines",
        "watchDeadlinesCount",
        "watchAdvisors",
        "activeFirmsAfter",
      ].sort(),
    );
  });

  it("use an index for every table, with no scan of licences, clients, notifications or audit events and no sort", () => {
    const bad: string[] = [];
    for (const [name, query] of Object.entries(queries())) {
      const lines = plan(query);
      // An insert of values reads no table: it has no plan.
      if (!query.sql.startsWith("insert")) expect(lines.length, name).toBeGreaterThan(0);
      for (const line of lines) {
        if (line.includes("TEMP B-TREE")) bad.push(`${name}: ${line}`);
        const table = /^(?:SCAN|SEARCH) (\w+)/.exec(line)?.[1];
        if (!table) continue;
        if (line.startsWith("SCAN") && WATCHED.includes(table)) bad.push(`${name}: ${line}`);
        if (!/USING (?:COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line)) bad.push(`${name}: ${line}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("drive each list from the index that matches its filter and order", () => {
    const q = queries();
    const uses = (name: string, table: string, index: string) =>
      expect(
        plan(q[name] as Query).some((l) => new RegExp(`^SEARCH ${table} USING (COVERING )?INDEX ${index} `).test(l)),
        `${name} uses ${index}: ${plan(q[name] as Query).join(" | ")}`,
      ).toBe(true);
    // The licence list walks the clients by name and probes each one's live licence.
    uses("licencePage", "clients", "clients_firm_name");
    uses("licencePageAfter", "clients", "clients_firm_name");
    expect(plan(q.licencePage as Query)[0]).toMatch(/^SEARCH clients/);
    uses("clientPageAfter", "clients", "clients_firm_name");
    // Not the firm's whole trail (audit_firm), nor the firm's notifications for one client.
    uses("clientHistory", "audit_events", "audit_client_trail");
    uses("clientHistoryAfter", "audit_events", "audit_client_trail");
    uses("notificationPage", "notifications", "notifications_firm_date");
    uses("notificationPageAfter", "notifications", "notifications_firm_date");
    uses("clientNotificationPage", "notifications", "notifications_client_date");
    uses("notificationStats", "notifications", "notifications_client_date");
    // The dashboard's counts read only the rows they count (partial indexes of migration 0004).
    uses("waitingCounts", "licences", "licences_unactivated");
    uses("deactivatedCount", "licences", "licences_deactivated");
    uses("selfManagedCounts", "clients", "clients_self_managed");
    // A row's last contact is its current installation's: one primary-key lookup, never the licence's history.
    for (const name of ["licencePage", "licencePageAfter"]) {
      expect(plan(q[name] as Query).join(" | "), name).toMatch(/SEARCH installations USING INTEGER PRIMARY KEY/);
    }
    uses("clientNotificationPageAfter", "notifications", "notifications_client_date");
    uses("workspacesOfFirm", "workspaces", "workspaces_firm");
    // The export walks the clients by name too, probing each one's live licence and its installation.
    uses("exportPage", "clients", "clients_firm_name");
    uses("exportPageAfter", "clients", "clients_firm_name");
    expect(plan(q.exportPageAfter as Query)[0]).toMatch(/^SEARCH clients/);
    expect(plan(q.firmPage as Query).join(" | ")).toMatch(/firms USING INDEX firms_name/);
    // The daily watch reads only the rows its partial indexes hold (migration 0004).
    uses("watchUnactivated", "licences", "licences_unactivated");
    uses("watchUnactivatedCount", "licences", "licences_unactivated");
    uses("watchSilent", "clients", "clients_self_managed");
    uses("watchSilentCount", "clients", "clients_self_managed");
    uses("watchDeadlines", "notifications", "notifications_open_deadline");
    uses("watchDeadlinesCount", "notifications", "notifications_open_deadline");
    uses("watchAdvisors", "audit_events", "audit_client_trail");
  });

  it("fail on a plan that scans (the check itself works)", () => {
    const lines = plan({
      sql: "select * from notifications where estado = ? order by asunto",
      params: ["Pendiente"],
    });
    expect(lines.some((l) => l.startsWith("SCAN notifications"))).toBe(true);
    expect(lines.some((l) => l.includes("TEMP B-TREE"))).toBe(true);
  });
});
