import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, clientApp, startApiApp } from "./helpers.ts";

let app: ApiTestApp;

beforeAll(async () => {
  app = await startApiApp();
});
afterAll(async () => {
  await app.dispose();
});

const committed = () =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../../docs/openapi.json"), "utf8")) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
  };

describe("GET /api/v1/openapi.json", () => {
  it("serves exactly the committed docs/openapi.json (regenerate: see src/api/openapi.ts)", async () => {
    const res = await clientApp(app.url).send("/openapi.json", { method: "GET" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body).toEqual(committed());
  });

  it("describes every endpoint and every outcome code", () => {
    const doc = committed();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(["/activations", "/notifications", "/openapi.json", "/validations"]);
    const codes = (schema: string) => doc.components.schemas[schema]?.properties?.code?.enum;
    expect(codes("ActivationResult")).toEqual([
      "ACTIVATED",
      "NOT_FOUND",
      "DEACTIVATED",
      "ALREADY_LINKED",
      "FEATURE_DISABLED",
    ]);
    expect(codes("ValidationResult")).toEqual(["VALID", "UNLINKED", "DEACTIVATED", "NOT_FOUND", "FEATURE_DISABLED"]);
    expect(codes("Error")).toEqual(
      expect.arrayContaining(["INVALID_JSON", "INVALID_INPUT", "PAYLOAD_TOO_LARGE", "UNAUTHORIZED", "RATE_LIMITED"]),
    );
  });
});
