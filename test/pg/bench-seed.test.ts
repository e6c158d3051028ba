import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { asc, eq, getTableColumns, getTableName, is, max } from "drizzle-orm";
import { drizzle as sqliteDrizzle } from "drizzle-orm/better-sqlite3";
import { drizzle as pgDrizzle } from "drizzle-orm/node-postgres";
import { PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Scale, seed } from "../../bench/seed.ts";
import { copyToPostgres } from "../../bench/seed-pg.ts";
import { migratePg } from "../../src/db/pg/migrate.ts";
import * as pgSchema from "../../src/db/pg/schema.ts";
import * as sqliteSchema from "../../src/db/schema.ts";
import { type PgServer, startPostgres } from "../support/postgres.ts";

/**
 * The bench measures both storages on the same rows: its PostgreSQL
 * database, loaded with triggers off and indexes dropped, ends up as a
 * migrated database with exactly the SQLite file's rows.
 */

const TINY: Scale = { big: 300, mid: 60, smallFirms: 3, small: 20, tokens: 10 };

describe("the bench's PostgreSQL copy of its SQLite rows", () => {
  let server: PgServer;
  let dir: string;
  let sqlitePath: string;
  let pool: pg.Pool;
  beforeAll(async () => {
    server = await startPostgres({ database: "bench" });
    dir = mkdtempSync(join(tmpdir(), "bench-seed-"));
    sqlitePath = join(dir, "bench.db");
    seed(sqlitePath, TINY);
    await migratePg(server.url);
    await copyToPostgres(sqlitePath, server.url);
    pool = new pg.Pool({ connectionString: server.url, max: 2 });
  }, 180_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds every row of every table, read through each schema alike", async () => {
    const sqlite = sqliteDrizzle({ client: new Database(sqlitePath, { readonly: true }) });
    const post = pgDrizzle({ client: pool });
    const pgTables = new Map<string, PgTable>();
    for (const t of Object.values(pgSchema) as unknown[]) if (is(t, PgTable)) pgTables.set(getTableName(t), t);
    let compared = 0;
    try {
      // As plain values: narrowed by `is`, each is a table whose columns are looked up by name.
      const tables: unknown[] = Object.values(sqliteSchema);
      for (const table of tables) {
        if (!is(table, SQLiteTable)) continue;
        const twin = pgTables.get(getTableName(table));
        if (!twin) throw new Error(`no PostgreSQL table ${getTableName(table)}`);
        const id = getTableColumns(table).id;
        const pgId = getTableColumns(twin).id;
        const fromSqlite = id ? sqlite.select().from(table).orderBy(asc(id)).all() : sqlite.select().from(table).all();
        const fromPg = pgId ? await post.select().from(twin).orderBy(asc(pgId)) : await post.select().from(twin);
        expect(fromPg, getTableName(table)).toEqual(fromSqlite);
        compared += fromSqlite.length;
      }
    } finally {
      sqlite.$client.close();
    }
    // firms, workspaces, clients, licences, audit events, notifications, installations.
    expect(compared).toBeGreaterThan(3 * (TINY.big + TINY.mid));
  });

  it("has the indexes of a freshly migrated database, and its statistics", async () => {
    const fresh = await server.createDatabase("fresh");
    await migratePg(fresh);
    const indexes = async (p: pg.Pool) =>
      (
        await p.query<{ indexname: string; indexdef: string }>(
          "select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname",
        )
      ).rows;
    const freshPool = new pg.Pool({ connectionString: fresh, max: 1 });
    try {
      const expected = await indexes(freshPool);
      expect(expected.map((i) => i.indexname)).toContain("clients_firm_name");
      expect(await indexes(pool)).toEqual(expected);
    } finally {
      await freshPool.end();
    }
    const analyzed = await pool.query<{ relname: string }>(
      "select relname from pg_stat_user_tables where relname = 'licences' and last_analyze is not null",
    );
    expect(analyzed.rows).toHaveLength(1);
  });

  it("goes on as the app's database: ids after the copied ones, live licences counted by the triggers", async () => {
    const db = pgDrizzle({ client: pool, schema: pgSchema });
    const [firm] = await db.select().from(pgSchema.firms).orderBy(asc(pgSchema.firms.id)).limit(1);
    if (!firm) throw new Error("no firm copied");
    expect(firm.liveLicences).toBe(TINY.big);
    const [highest] = await db.select({ id: max(pgSchema.clients.id) }).from(pgSchema.clients);
    const now = Date.now();
    const [client] = await db
      .insert(pgSchema.clients)
      .values({ firmId: firm.id, taxId: "B00000000Z", name: "Nuevo", createdAt: now, updatedAt: now })
      .returning();
    if (!client) throw new Error("no client inserted");
    expect(client.id).toBe((highest?.id ?? Number.NaN) + 1);
    await db.insert(pgSchema.licences).values({
      firmId: firm.id,
      clientId: client.id,
      number: "ZZZZZZZZZZZZZZZZZZZZ",
      createdAt: now,
      updatedAt: now,
    });
    const [after] = await db
      .select({ live: pgSchema.firms.liveLicences })
      .from(pgSchema.firms)
      .where(eq(pgSchema.firms.id, firm.id));
    expect(after?.live).toBe(TINY.big + 1);
  });
});
