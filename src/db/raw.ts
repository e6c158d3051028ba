import type Database from "better-sqlite3";
import { fillPlaceholders, Placeholder } from "drizzle-orm";
import type { Db } from "./open.ts";

/**
 * Prepared drizzle queries run as plain better-sqlite3 rows (arrays): the
 * same SQL, compiled once, without drizzle's row mapping, which cost the hot
 * reads as much as SQLite itself (docs/architecture.md, Performance). The
 * caller maps each row by column position (`rowObject`), in the order
 * drizzle selects the columns, and decodes what drizzle would decode (a 0/1
 * boolean); the query's SQL, and so its plan test, stay drizzle's.
 */
type DrizzleQuery = { getQuery(): { sql: string; params: unknown[] } };

/** The largest page a caller may ask of `rawPage` (a page's limit is one more than its size). */
const MAX_INLINED_LIMIT = 1_000;

/**
 * A keyset page's rows, as arrays, with its `limit ?` placeholder written
 * into the SQL as a number: one statement per limit asked (a handful: the
 * pages' sizes are fixed), each prepared once. SQLite ran the licence list
 * in twice the time with the limit as a bound parameter, with the same plan
 * (docs/architecture.md, Performance). The query must end with a `limit`
 * placeholder named "limit".
 */
export function rawPage(query: DrizzleQuery, db: Db): (values: Record<string, unknown>) => unknown[][] {
  const { sql: text, params } = query.getQuery();
  const last = params[params.length - 1];
  if (!/ limit \?$/.test(text) || !(last instanceof Placeholder) || last.name !== "limit") {
    throw new Error("rawPage needs a query ending in limit(placeholder('limit'))");
  }
  const head = text.slice(0, -1);
  const rest = params.slice(0, -1);
  const statements = new Map<number, Database.Statement>();
  return (values) => {
    const limit = values.limit;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_INLINED_LIMIT) {
      throw new Error(`a page's limit must be an integer from 1 to ${MAX_INLINED_LIMIT}`);
    }
    let statement = statements.get(limit);
    if (!statement) {
      statement = db.$client.prepare(`${head}${limit}`).raw(true);
      statements.set(limit, statement);
    }
    return statement.all(...fillPlaceholders(rest, values)) as unknown[][];
  };
}

/** The query's first row, as an array, or undefined. */
export function rawRow(query: DrizzleQuery, db: Db): (values: Record<string, unknown>) => unknown[] | undefined {
  const { sql: text, params } = query.getQuery();
  const statement = db.$client.prepare(text).raw(true);
  return (values) => statement.get(...fillPlaceholders(params, values)) as unknown[] | undefined;
}

/** The row object of `keys`, from `row` at `offset`: what drizzle's mapping makes, without its machinery. */
export function rowObject<T>(keys: readonly (keyof T)[], row: unknown[], offset: number): T {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = row[offset + i];
  return out as T;
}
