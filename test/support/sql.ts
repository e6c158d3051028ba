import Database from "better-sqlite3";
import pg from "pg";

/** Plain SQL on a test database of either storage, for seeding rows and reading what no store method reads. */
export interface SqlConnection {
  /** The rows of a query; `?` placeholders, in order. Raw values: PostgreSQL's int8 come back as strings. */
  all<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** The first column of the first row (`INSERT … RETURNING id`), as a number. */
  one(query: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * A connection of its own to `target` (a SQLite file or a PostgreSQL URL,
 * as TestDatabase.target gives it), beside the app's stores. SQL written for
 * both: `?` placeholders, `true`/`false`, `RETURNING`.
 */
export async function openSql(target: string): Promise<SqlConnection> {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    const numbered = (query: string) => {
      let n = 0;
      return query.replace(/\?/g, () => `$${++n}`);
    };
    const all = async <T>(query: string, params: unknown[] = []) =>
      (await client.query(numbered(query), params)).rows as T[];
    return {
      all,
      one: async (query, params) => Number(Object.values((await all(query, params))[0] ?? {})[0]),
      close: () => client.end(),
    };
  }
  const sqlite = new Database(target, { fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  const all = async <T>(query: string, params: unknown[] = []) => {
    const statement = sqlite.prepare(query);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  };
  return {
    all,
    one: async (query, params) => Number(Object.values((await all(query, params))[0] ?? {})[0]),
    close: async () => {
      sqlite.close();
    },
  };
}
