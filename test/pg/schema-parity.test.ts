import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.ts";
import { migratePg } from "../../src/db/pg/migrate.ts";
import { type PgServer, startPostgres } from "../support/postgres.ts";

/**
 * Both schemas, as their migrations leave a database, describe the same
 * tables: the same columns (with compatible types, the same NOT NULLs and
 * defaults, the same primary keys), the same indexes (columns, unique,
 * partial predicate) and the same foreign keys. A change to one schema
 * without the other fails here (docs/architecture.md, "Two schemas").
 */

interface Column {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  pk: boolean;
}
interface IndexShape {
  columns: string[];
  unique: boolean;
  where: string | null;
}
interface Shape {
  columns: Record<string, Record<string, Column>>;
  /** Named indexes ("create index"), by table and name. */
  indexes: Record<string, Record<string, IndexShape>>;
  /** SQLite's automatic unique indexes (UNIQUE in a column's DDL); drizzle names its own instead. */
  uniques: Record<string, string[][]>;
  foreignKeys: string[];
}

/** A predicate written either way: `status = 'pending'` and `(status = 'pending'::text)` are the same. */
// A boolean is 1 in SQLite and true in PostgreSQL: the same predicate.
const predicate = (text: string) =>
  text
    .replace(/::text/g, "")
    .replace(/= true\b/gi, "= 1")
    .replace(/[()`"]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

/** SQLite types as drizzle writes them → the PostgreSQL types the PostgreSQL schema must use for them. */
const COMPATIBLE: Record<string, string[]> = {
  integer: ["integer", "bigint", "boolean"],
  text: ["text"],
};

function sqliteShape(): Shape {
  const { db, close } = openDatabase(":memory:");
  const sqlite = db.$client;
  try {
    const shape: Shape = { columns: {}, indexes: {}, uniques: {}, foreignKeys: [] };
    const tables = sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'",
      )
      .all() as { name: string }[];
    for (const { name: table } of tables) {
      const columns = sqlite.pragma(`table_info(${table})`) as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }[];
      shape.columns[table] = Object.fromEntries(
        columns.map((c) => [
          c.name,
          {
            type: c.type.toLowerCase(),
            notNull: c.notnull === 1 || c.pk > 0,
            hasDefault: c.dflt_value !== null,
            pk: c.pk > 0,
          },
        ]),
      );
      const indexes = sqlite.pragma(`index_list(${table})`) as {
        name: string;
        unique: number;
        origin: string;
        partial: number;
      }[];
      for (const index of indexes) {
        if (index.origin === "pk") continue;
        const columnsOf = (sqlite.pragma(`index_info(${index.name})`) as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        if (index.origin === "u") {
          shape.uniques[table] = [...(shape.uniques[table] ?? []), columnsOf].sort();
          continue;
        }
        const ddl = (sqlite.prepare("select sql from sqlite_master where name = ?").get(index.name) as { sql: string })
          .sql;
        const where = index.partial ? predicate(ddl.replace(/^.*\bWHERE\b/is, "")) : null;
        shape.indexes[table] = {
          ...shape.indexes[table],
          [index.name]: { columns: columnsOf, unique: index.unique === 1, where },
        };
      }
      const fks = sqlite.pragma(`foreign_key_list(${table})`) as { table: string; from: string; to: string }[];
      for (const fk of fks) shape.foreignKeys.push(`${table}.${fk.from} -> ${fk.table}.${fk.to}`);
    }
    shape.foreignKeys.sort();
    return shape;
  } finally {
    close();
  }
}

async function pgShape(client: pg.Client): Promise<Shape> {
  const shape: Shape = { columns: {}, indexes: {}, uniques: {}, foreignKeys: [] };
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
  }>(
    "select table_name, column_name, data_type, is_nullable, column_default, is_identity " +
      "from information_schema.columns where table_schema = 'public'",
  );
  const pks = await client.query<{ table: string; column: string }>(
    `select cl.relname as table, a.attname as column from pg_constraint c
       join pg_class cl on cl.oid = c.conrelid join pg_namespace n on n.oid = cl.relnamespace
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
     where c.contype = 'p' and n.nspname = 'public'`,
  );
  const isPk = new Set(pks.rows.map((r) => `${r.table}.${r.column}`));
  for (const c of columns.rows) {
    const pk = isPk.has(`${c.table_name}.${c.column_name}`);
    shape.columns[c.table_name] = {
      ...shape.columns[c.table_name],
      [c.column_name]: {
        type: c.data_type,
        notNull: c.is_nullable === "NO",
        // An identity column is SQLite's INTEGER PRIMARY KEY: no default there either.
        hasDefault: c.column_default !== null,
        pk,
      },
    };
  }
  const indexes = await client.query<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    expression: boolean;
    predicate: string | null;
    columns: string[];
  }>(
    `select t.relname as table, i.relname as name, ix.indisunique as unique, ix.indisprimary as primary,
            ix.indexprs is not null as expression, pg_get_expr(ix.indpred, ix.indrelid) as predicate,
            array(select a.attname::text from unnest(ix.indkey) with ordinality k(attnum, n)
                  join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns
       from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class t on t.oid = ix.indrelid
       join pg_namespace ns on ns.oid = t.relnamespace
      where ns.nspname = 'public'`,
  );
  for (const index of indexes.rows) {
    if (index.primary || index.expression) continue; // primary keys are compared by column; expression indexes below
    // A column's .unique() is a named unique index in SQLite and a unique constraint (with that name) here.
    shape.indexes[index.table] = {
      ...shape.indexes[index.table],
      [index.name]: {
        columns: index.columns,
        unique: index.unique,
        where: index.predicate ? predicate(index.predicate) : null,
      },
    };
  }
  const fks = await client.query<{ fk: string }>(
    `select cl.relname || '.' || a.attname || ' -> ' || fcl.relname || '.' || fa.attname as fk
       from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_class fcl on fcl.oid = c.confrelid
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
       join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[1]
      where c.contype = 'f'`,
  );
  shape.foreignKeys = fks.rows.map((r) => r.fk).sort();
  return shape;
}

describe("the SQLite and PostgreSQL schemas", () => {
  let server: PgServer;
  let client: pg.Client;
  let sqlite: Shape;
  let postgres: Shape;
  beforeAll(async () => {
    server = await startPostgres({ database: "parity" });
    await migratePg(server.url);
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    sqlite = sqliteShape();
    postgres = await pgShape(client);
  }, 180_000);
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  it("have the same tables and columns, with compatible types", () => {
    expect(Object.keys(postgres.columns).sort()).toEqual(Object.keys(sqlite.columns).sort());
    for (const [table, columns] of Object.entries(sqlite.columns)) {
      const other = postgres.columns[table] ?? {};
      expect(Object.keys(other).sort(), table).toEqual(Object.keys(columns).sort());
      for (const [name, column] of Object.entries(columns)) {
        const theirs = other[name];
        expect(COMPATIBLE[column.type], `${table}.${name}: ${column.type}`).toContain(theirs?.type);
        expect({ ...theirs, type: column.type }, `${table}.${name}`).toEqual(column);
      }
    }
  });

  it("have the same indexes, unique constraints and foreign keys", () => {
    expect(postgres.indexes).toEqual(sqlite.indexes);
    expect(postgres.uniques).toEqual(sqlite.uniques);
    expect(postgres.foreignKeys).toEqual(sqlite.foreignKeys);
  });

  it("PostgreSQL adds only the search's trigram indexes and the live_licences triggers", async () => {
    const expressions = await client.query<{ name: string; def: string }>(
      "select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and indexdef like '%gin%' order by 1",
    );
    expect(expressions.rows.map((r) => r.name)).toEqual([
      "clients_email_fold",
      "clients_name_fold",
      "clients_tax_id_fold",
    ]);
    const triggers = await client.query<{ name: string }>(
      "select tgname as name from pg_trigger where not tgisinternal order by 1",
    );
    const sqliteTriggers = openDatabase(":memory:");
    try {
      const names = sqliteTriggers.db.$client
        .prepare("select name from sqlite_master where type = 'trigger' order by name")
        .all() as { name: string }[];
      expect(triggers.rows.map((r) => r.name)).toEqual(names.map((r) => r.name));
    } finally {
      sqliteTriggers.close();
    }
  });
});
