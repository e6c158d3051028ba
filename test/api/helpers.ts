import Database from "better-sqlite3";
import pg from "pg";
import { type AppOverrides, startApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Actor, createLicence, type Deps, type LicenceRecord } from "../../src/handlers/index.ts";
import { advisor, captureLogger, type TestApp } from "../support/app.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";
import { testDatabase } from "../support/storage.ts";

/** What the client API tests need on top of the test app: its database. */
export interface ApiTestApp extends TestApp {
  database: {
    /** The SQLite file or the PostgreSQL URL (databaseSnapshot reads either). */
    target: string;
    /** `{ DATABASE_PATH }` or `{ DATABASE_URL }`: another process (the import command) on the same database. */
    env: Record<string, string>;
  };
}

/**
 * The whole application, as startTestApp starts it, with the support channel
 * configured (so tests can approve firms) and one trusted proxy hop (so each
 * test can act from its own client address through X-Forwarded-For). The
 * database is this run's storage (testDatabase()), removed by `dispose`; a
 * test that restarts the app passes the same TestDatabase's `env` to both.
 */
export async function startApiApp(
  options: { env?: Record<string, string>; overrides?: AppOverrides } = {},
): Promise<ApiTestApp> {
  const given = options.env?.DATABASE_URL || options.env?.DATABASE_PATH;
  const own = given ? undefined : await testDatabase();
  const env = { ...own?.env, ...options.env };
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "debug",
    SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01",
    TRUST_PROXY: "1",
    ...env,
  });
  const { logger, lines } = captureLogger();
  const running = await startApp(config, { logger, ...options.overrides });
  const target = env.DATABASE_URL || env.DATABASE_PATH || "";
  return {
    ...running,
    database: { target, env: env.DATABASE_URL ? { DATABASE_URL: target } : { DATABASE_PATH: target } },
    logLines: lines,
    dispose: async () => {
      await running.stop();
      await own?.dispose();
    },
  };
}

let addressSeq = 0;

/** A client address not used before in this process (one per test keeps rate limits apart). */
export function newAddress(): string {
  addressSeq++;
  return `198.18.${Math.floor(addressSeq / 250)}.${(addressSeq % 250) + 1}`;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** The desktop app's side of the conversation, from one client address. */
export function clientApp(baseUrl: string, address = newAddress()) {
  const send = async (
    path: string,
    init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<ApiAnswer> => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method: init.method ?? "POST",
      headers: { "x-forwarded-for": address, ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { unparsed: text };
    }
    return { status: res.status, headers: res.headers, body };
  };
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    send(path, { body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    address,
    send,
    json,
    activate: (input: { licenceNumber: string; taxId: string; installationId: string }) => json("/activations", input),
    validate: (token: string) => send("/validations", { headers: bearer(token) }),
    report: (token: string, notifications: unknown[]) => json("/notifications", { notifications }, bearer(token)),
  };
}

let firmSeq = 0;

/** A firm whose Solución para PYMES support approved; returns one of its advisors. */
export async function activeFirm(deps: Deps, workspaceId = `T0APIFIRM${++firmSeq}`) {
  const actor = advisor(workspaceId);
  await activateFirm(deps, actor);
  return actor;
}

/** A valid DNI not used before in this process. */
export const newTaxId = newDni;

export async function issueLicence(deps: Deps, actor: Actor, taxId = newTaxId()): Promise<LicenceRecord> {
  return await createLicence(deps, actor, { taxId, name: `Cliente ${taxId.slice(0, 4)} S.L.` });
}

let installationSeq = 0;
export function newInstallationId(): string {
  installationSeq++;
  return `sha256-machine-${installationSeq.toString().padStart(6, "0")}`;
}

/** Activates a fresh licence from a fresh installation; returns what the tests need. */
export async function boundLicence(app: { url: string; deps: Deps }, actor: Actor) {
  const licence = await issueLicence(app.deps, actor);
  const installationId = newInstallationId();
  const client = clientApp(app.url);
  const res = await client.activate({ licenceNumber: licence.number, taxId: licence.client.taxId, installationId });
  if (res.body.code !== "ACTIVATED") throw new Error(`activation failed: ${JSON.stringify(res.body)}`);
  return { licence, installationId, client, token: res.body.installationToken as string };
}

/**
 * Every row of every table, to prove a request changed nothing: the SQLite
 * file or the PostgreSQL database (`target`), tables by name, rows by
 * primary key, values as SQLite holds them (booleans 0/1, int8 as numbers),
 * so the two storages give equal snapshots of equal data.
 */
export async function databaseSnapshot(target: string): Promise<Record<string, unknown[]>> {
  return /^postgres(ql)?:\/\//.test(target) ? await pgSnapshot(target) : sqliteSnapshot(target);
}

function sqliteSnapshot(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
      )
      .all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      const keys = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; pk: number }[])
        .filter((c) => c.pk > 0)
        .sort((x, y) => x.pk - y.pk)
        .map((c) => `"${c.name}"`);
      out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY ${keys.join(", ") || "rowid"}`).all();
    }
    return out;
  } finally {
    db.close();
  }
}

async function pgSnapshot(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({
    connectionString: url,
    // int8 (the ms timestamps) as numbers, as SQLite gives them.
    types: { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) },
  });
  await client.connect();
  try {
    const tables = await client.query<{ name: string; keys: string[] }>(
      `SELECT c.relname AS name,
              array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.n) AS keys
         FROM pg_class c
         JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = 'public'
         LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE c.relkind = 'r'
        ORDER BY c.relname COLLATE "C"`,
    );
    const out: Record<string, unknown[]> = {};
    for (const { name, keys } of tables.rows) {
      const order = keys.length > 0 ? keys.map((k) => `"${k}"`).join(", ") : "ctid";
      const rows = await client.query(`SELECT * FROM "${name}" ORDER BY ${order}`);
      out[name] = rows.rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : v])),
      );
    }
    return out;
  } finally {
    await client.end();
  }
}
