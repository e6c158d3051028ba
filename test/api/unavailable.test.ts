import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/handlers/index.ts";
import { type ApiTestApp, activeFirm, clientApp, issueLicence, newInstallationId, startApiApp } from "./helpers.ts";

let app: ApiTestApp;
let firm: Actor;

beforeAll(async () => {
  app = await startApiApp();
  firm = await activeFirm(app.deps);
});
afterAll(async () => {
  await app.dispose();
});

/**
 * Another process holding what the activation needs: SQLite's write lock,
 * or the licence's row on PostgreSQL, until `release`.
 */
async function holdTheLock(target: string, licenceId: number): Promise<{ release(): Promise<void> }> {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query("BEGIN");
    await client.query("SELECT id FROM licences WHERE id = $1 FOR UPDATE", [licenceId]);
    return {
      release: async () => {
        await client.query("ROLLBACK");
        await client.end();
      },
    };
  }
  const db = new Database(target);
  db.exec("BEGIN IMMEDIATE");
  return {
    release: async () => {
      db.exec("ROLLBACK");
      db.close();
    },
  };
}

describe("a database that does not answer in time", () => {
  it("is 503 UNAVAILABLE with Retry-After, no stack; the same request works once it answers", async () => {
    const licence = await issueLicence(app.deps, firm);
    const input = { licenceNumber: licence.number, taxId: licence.client.taxId, installationId: newInstallationId() };
    const client = clientApp(app.url);
    const lock = await holdTheLock(app.database.target, licence.id);
    let busy: Awaited<ReturnType<typeof client.activate>>;
    try {
      busy = await client.activate(input);
    } finally {
      await lock.release();
    }
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(busy.body).toEqual({ code: "UNAVAILABLE", message: expect.any(String) });
    expect(JSON.stringify(busy.body)).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|Error:/);
    expect(app.logLines.join("\n")).not.toContain("client api: unexpected error");

    const again = await client.activate(input);
    expect(again.status).toBe(200);
    expect(again.body.code).toBe("ACTIVATED");
  }, 20_000);
});
