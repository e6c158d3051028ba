import { join } from "node:path";
import Database from "better-sqlite3";
import { type AppOverrides, startApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Actor, createLicence, type Deps, type LicenceRecord } from "../../src/handlers/index.ts";
import { advisor, captureLogger, type TestApp, tempDir } from "../support/app.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";

/** What the client API tests need on top of the test app: where its database file is. */
export interface ApiTestApp extends TestApp {
  dbPath: string;
}

/**
 * The whole application, as startTestApp starts it, with the support channel
 * configured (so tests can approve firms) and one trusted proxy hop (so each
 * test can act from its own client address through X-Forwarded-For).
 */
export async function startApiApp(
  options: { dbPath?: string; env?: Record<string, string>; overrides?: AppOverrides } = {},
): Promise<ApiTestApp> {
  const tmp = options.dbPath ? undefined : tempDir();
  const dbPath = options.dbPath ?? join((tmp as { dir: string }).dir, "licencias.db");
  const config = loadConfig({
    PORT: "0",
    DATABASE_PATH: dbPath,
    LOG_LEVEL: "debug",
    SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01",
    TRUST_PROXY: "1",
    ...options.env,
  });
  const { logger, lines } = captureLogger();
  const running = await startApp(config, { logger, ...options.overrides });
  return {
    ...running,
    dbPath,
    logLines: lines,
    dispose: async () => {
      await running.stop();
      tmp?.remove();
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

/** Every row of every table, to prove a request changed nothing. */
export function databaseSnapshot(dbPath: string): Record<string, unknown[]> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    const out: Record<string, unknown[]> = {};
    for (const { name } of tables) out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    return out;
  } finally {
    db.close();
  }
}
