import { fillPlaceholders } from "drizzle-orm";
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

/** Every row of the query, as arrays. */
export function rawRows(query: DrizzleQuery, db: Db): (values: Record<string, unknown>) => unknown[][] {
  const { sql: text, params } = query.getQuery();
  const statement = db.$client.prepare(text).raw(true);
  return (values) => statement.all(...fillPlaceholders(params, values)) as unknown[][];
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
