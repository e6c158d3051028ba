import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownPgMigrations, migratePg } from "../../src/db/pg/migrate.ts";
import { fold } from "../../src/db/search.ts";
import { type PgServer, startPostgres } from "../support/postgres.ts";

/**
 * The PostgreSQL migrations (src/db/pg/migrations) on a real server: they
 * apply once however many instances start at once, and the hand-written
 * parts (live_licences triggers, fold() and its indexes) do what SQLite's do.
 */

describe("PostgreSQL migrations", () => {
  let server: PgServer;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startPostgres({ database: "migrated" });
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
  }, 180_000);
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  it("apply all, then nothing the second time", async () => {
    const level = knownPgMigrations().length;
    expect(await migratePg(server.url)).toEqual({ applied: level, level });
    expect(await migratePg(server.url)).toEqual({ applied: 0, level });
    const rows = await client.query("select hash from drizzle.__drizzle_migrations");
    expect(rows.rowCount).toBe(level);
  });

  it("apply once when four instances start at the same moment (the advisory lock)", async () => {
    const url = await server.createDatabase("racing");
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((pool) => migratePg(pool)));
      const level = knownPgMigrations().length;
      expect(results.map((r) => r.applied).sort()).toEqual([0, 0, 0, level]);
      expect(results.every((r) => r.level === level)).toBe(true);
      const applied = await pools[0]?.query("select count(*)::int as n from drizzle.__drizzle_migrations");
      expect(applied?.rows[0]).toEqual({ n: level });
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("refuse a database migrated further than this code knows", async () => {
    const url = await server.createDatabase("newer");
    await migratePg(url);
    const newer = new pg.Client({ connectionString: url });
    await newer.connect();
    try {
      await newer.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', $1)", [
        Date.UTC(2099, 0, 1),
      ]);
    } finally {
      await newer.end();
    }
    await expect(migratePg(url)).rejects.toThrow(/newer than this version knows/);
  });

  it("keep firms.live_licences with every insert, soft delete, undelete, move and delete of a licence", async () => {
    const now = Date.now();
    const firm = async (name: string) =>
      (
        await client.query<{ id: number }>("insert into firms (name, created_at) values ($1, $2) returning id", [
          name,
          now,
        ])
      ).rows[0]?.id;
    const a = await firm("Asesoría A");
    const b = await firm("Asesoría B");
    const clientId = (
      await client.query<{ id: number }>(
        "insert into clients (firm_id, tax_id, name, created_at, updated_at) values ($1, 'B12345674', 'Cliente', $2, $2) returning id",
        [a, now],
      )
    ).rows[0]?.id;
    const live = async () =>
      (
        await client.query<{ id: number; live_licences: number }>(
          "select id, live_licences from firms where id in ($1, $2) order by id",
          [a, b],
        )
      ).rows.map((r) => r.live_licences);
    const licence = (
      await client.query<{ id: number }>(
        "insert into licences (firm_id, client_id, number, created_at, updated_at) values ($1, $2, 'N1', $3, $3) returning id",
        [a, clientId, now],
      )
    ).rows[0]?.id;
    expect(await live()).toEqual([1, 0]);
    await client.query("update licences set state = 'deactivated' where id = $1", [licence]);
    expect(await live()).toEqual([1, 0]);
    await client.query("update licences set deleted_at = $2 where id = $1", [licence, now]);
    expect(await live()).toEqual([0, 0]);
    await client.query("update licences set deleted_at = $2 where id = $1", [licence, now + 1]);
    expect(await live()).toEqual([0, 0]);
    await client.query("update licences set deleted_at = null where id = $1", [licence]);
    expect(await live()).toEqual([1, 0]);
    await client.query("update licences set firm_id = $2 where id = $1", [licence, b]);
    expect(await live()).toEqual([0, 1]);
    await client.query("delete from licences where id = $1", [licence]);
    expect(await live()).toEqual([0, 0]);
    // A licence inserted already deleted (db:copy of an old one) counts for nobody.
    await client.query(
      "insert into licences (firm_id, client_id, number, created_at, updated_at, deleted_at) values ($1, $2, 'N2', $3, $3, $3)",
      [a, clientId, now],
    );
    expect(await live()).toEqual([0, 0]);
  });

  it("keep the rules' unique indexes: one pending request per firm, one live licence per client, numbers once", async () => {
    const now = Date.now();
    const firmId = (
      await client.query<{ id: number }>("insert into firms (name, created_at) values ('C', $1) returning id", [now])
    ).rows[0]?.id;
    const request = () =>
      client.query(
        "insert into activation_requests (firm_id, platform, requester_id, message, status, created_at) values ($1, 'slack', 'U1', 'm', 'pending', $2)",
        [firmId, now],
      );
    await request();
    await expect(request()).rejects.toMatchObject({ code: "23505", constraint: "activation_requests_one_pending" });
    const clientId = (
      await client.query<{ id: number }>(
        "insert into clients (firm_id, tax_id, name, created_at, updated_at) values ($1, 'X', 'Y', $2, $2) returning id",
        [firmId, now],
      )
    ).rows[0]?.id;
    const licence = (number: string) =>
      client.query(
        "insert into licences (firm_id, client_id, number, created_at, updated_at) values ($1, $2, $3, $4, $4)",
        [firmId, clientId, number, now],
      );
    await licence("L1");
    await expect(licence("L2")).rejects.toMatchObject({ code: "23505", constraint: "licences_one_per_client" });
    await client.query("update licences set deleted_at = $1 where number = 'L1'", [now]);
    // The deleted licence's number is never reused; another number is fine.
    await expect(licence("L1")).rejects.toMatchObject({ code: "23505", constraint: "licences_number_unique" });
    await licence("L3");
  });

  it("fold() is SQLite's fold(): accents and case ignored, ñ and ü included", async () => {
    const spanish = [
      "GARCÍA LÓPEZ, S.L.",
      "Muñoz Ibáñez",
      "Peñíscola Güell",
      "ÁÉÍÓÚ áéíóú Ññ Üü Çç",
      "Asesoría Lluís Martí i Fàbregas",
      "Nº 1ª planta",
      "b-1234 5674",
      "correo@Ejemplo.ES",
    ];
    const rows = await client.query<{ folded: string }>("select public.fold(v) as folded from unnest($1::text[]) v", [
      spanish,
    ]);
    expect(rows.rows.map((r) => r.folded)).toEqual(spanish.map(fold));
    // Known differences, outside Spanish: unaccent also spells out ligatures and ß, which NFD keeps.
    const other = await client.query<{ folded: string }>("select public.fold('Straße Æon') as folded");
    expect(other.rows[0]?.folded).toBe("strasse aeon");
    expect(fold("Straße Æon")).toBe("straße æon");
  });

  it("the search's fold(column) LIKE walks the trigram indexes", async () => {
    await client.query("set enable_seqscan = off");
    try {
      const plan = async (where: string) =>
        (await client.query<{ "QUERY PLAN": string }>(`explain select id from clients where ${where}`)).rows
          .map((r) => r["QUERY PLAN"])
          .join("\n");
      expect(await plan("public.fold(name) like '%garcia%'")).toContain("clients_name_fold");
      expect(await plan("public.fold(coalesce(email, '')) like '%ejemplo%'")).toContain("clients_email_fold");
      expect(await plan("public.fold(tax_id) like '%b1234%'")).toContain("clients_tax_id_fold");
    } finally {
      await client.query("reset enable_seqscan");
    }
  });
});
