import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownMigrations } from "../../src/db/open.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

describe("the HTTP server", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.dispose());

  it("answers /healthz while the database answers", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      version: expect.any(String),
      migrationLevel: knownMigrations().length,
    });
  });

  it("answers unknown paths with a JSON 404, never a stack trace", async () => {
    const res = await fetch(`${app.url}/nope/../../etc/passwd`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ code: "NOT_FOUND" });
    expect(body).not.toMatch(/at .*\.ts:\d+/);
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});
