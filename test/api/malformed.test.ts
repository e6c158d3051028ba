import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, activeFirm, boundLicence, clientApp, databaseSnapshot, startApiApp } from "./helpers.ts";

let app: ApiTestApp;
let token: string;
let validActivation: { licenceNumber: string; taxId: string; installationId: string };

beforeAll(async () => {
  app = await startApiApp();
  const firm = await activeFirm(app.deps);
  const bound = await boundLicence(app, firm);
  token = bound.token;
  validActivation = {
    licenceNumber: bound.licence.number,
    taxId: bound.licence.client.taxId,
    installationId: bound.installationId,
  };
});
afterAll(async () => {
  await app.dispose();
});

const notification = {
  id: "AEAT-1",
  organismo: "AEAT",
  asunto: "Requerimiento",
  fechaPuestaDisposicion: "03/11/2026",
  estado: "Leída",
};

interface Case {
  name: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  status?: number;
  code?: string;
}

const JSON_TYPE = { "content-type": "application/json" };
const json = (name: string, value: unknown, extra: Partial<Case> = {}): Case => ({
  name,
  body: JSON.stringify(value),
  headers: JSON_TYPE,
  ...extra,
});

/** Malformed requests every endpoint must refuse with a 4xx. */
function commonCases(limitBytes: number): Case[] {
  return [
    { name: "invalid JSON", body: '{"licenceNumber": ', headers: JSON_TYPE, status: 400, code: "INVALID_JSON" },
    { name: "a JSON primitive", body: '"hello"', headers: JSON_TYPE, status: 400, code: "INVALID_JSON" },
    json("an array", [], { status: 400, code: "INVALID_INPUT" }),
    json("null", null, { status: 400 }),
    { name: "plain text", body: "hello", headers: { "content-type": "text/plain" }, status: 415 },
    { name: "a form", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415 },
    // A Uint8Array body makes fetch send no Content-Type at all.
    { name: "no content type", body: new TextEncoder().encode("{}"), headers: {}, status: 415 },
    {
      name: "a charset other than UTF-8",
      body: "{}",
      headers: { "content-type": "application/json; charset=latin1" },
      status: 415,
    },
    {
      name: "an unknown content encoding",
      body: "{}",
      headers: { ...JSON_TYPE, "content-encoding": "x-unknown" },
      status: 415,
    },
    {
      name: "a corrupt gzip body",
      body: "not gzip at all",
      headers: { ...JSON_TYPE, "content-encoding": "gzip" },
      status: 400,
    },
    {
      name: "a body over the limit",
      body: JSON.stringify({ padding: "x".repeat(limitBytes + 10) }),
      headers: JSON_TYPE,
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
    {
      name: "a gzip bomb (small on the wire, over the limit inflated)",
      body: gzipSync(Buffer.from(JSON.stringify({ padding: " ".repeat(limitBytes * 4) }))),
      headers: { ...JSON_TYPE, "content-encoding": "gzip" },
      status: 413,
    },
    {
      name: "a huge body (5 MB)",
      body: `{"a":"${"y".repeat(5 * 1024 * 1024)}"}`,
      headers: JSON_TYPE,
      status: 413,
    },
    {
      name: "deep nesting",
      body: `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
      headers: JSON_TYPE,
      status: 400,
    },
    json("__proto__ smuggling", JSON.parse('{"__proto__": {"admin": true}}'), { status: 400 }),
  ];
}

const endpoints: { path: string; auth: boolean; limit: number; cases: () => Case[] }[] = [
  {
    path: "/activations",
    auth: false,
    limit: 64 * 1024,
    cases: () => [
      { name: "no body", headers: JSON_TYPE, status: 400, code: "INVALID_JSON" },
      json("wrong types", { licenceNumber: 1, taxId: [], installationId: {} }, { status: 400, code: "INVALID_INPUT" }),
      json("missing fields", { licenceNumber: validActivation.licenceNumber }, { status: 400 }),
      json("an unknown field", { ...validActivation, admin: true }, { status: 400, code: "INVALID_INPUT" }),
      json("an over-long tax id", { ...validActivation, taxId: "9".repeat(33) }, { status: 400 }),
      json(
        "an installation id with odd characters",
        { ...validActivation, installationId: "abc def <ghi>" },
        {
          status: 400,
        },
      ),
      json("a short installation id", { ...validActivation, installationId: "abc" }, { status: 400 }),
      {
        name: "invalid UTF-8",
        body: Buffer.concat([
          Buffer.from(
            `{"licenceNumber":"${validActivation.licenceNumber}","taxId":"${validActivation.taxId}","installationId":"`,
          ),
          Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47]),
          Buffer.from('"}'),
        ]),
        headers: JSON_TYPE,
        status: 400,
      },
    ],
  },
  {
    path: "/validations",
    auth: true,
    limit: 64 * 1024,
    cases: () => [
      json(
        "an unknown field",
        { licenceNumber: validActivation.licenceNumber },
        { status: 400, code: "INVALID_INPUT" },
      ),
      json("wrong type", { valid: true }, { status: 400 }),
    ],
  },
  {
    path: "/notifications",
    auth: true,
    limit: 1024 * 1024,
    cases: () => [
      { name: "no body", headers: JSON_TYPE, status: 400, code: "INVALID_JSON" },
      json("an empty object", {}, { status: 400, code: "INVALID_INPUT" }),
      json("no notifications", { notifications: [] }, { status: 400 }),
      json("not a list", { notifications: "AEAT-1" }, { status: 400 }),
      json(
        "wrong types",
        { notifications: [{ ...notification, id: 7, fechaPuestaDisposicion: true }] },
        { status: 400 },
      ),
      json("an unknown top-level field", { notifications: [notification], licenceNumber: "x" }, { status: 400 }),
      json("an unknown field in an item", { notifications: [{ ...notification, nif: "12345678Z" }] }, { status: 400 }),
      json("a missing estado", { notifications: [{ ...notification, estado: undefined }] }, { status: 400 }),
      json("a blank id", { notifications: [{ ...notification, id: "   " }] }, { status: 400 }),
      json(
        "a bad date",
        { notifications: [{ ...notification, fechaPuestaDisposicion: "31/04/2026" }] },
        { status: 400 },
      ),
      json("an over-long subject", { notifications: [{ ...notification, asunto: "a".repeat(1001) }] }, { status: 400 }),
      json(
        "too many notifications",
        { notifications: Array.from({ length: 501 }, (_, i) => ({ ...notification, id: `N-${i}` })) },
        { status: 400 },
      ),
      // One bad item refuses the whole report: nothing of it is stored.
      json(
        "one bad item among good ones",
        { notifications: [notification, { ...notification, id: "" }] },
        { status: 400 },
      ),
    ],
  },
];

describe("malformed input to every endpoint", () => {
  for (const endpoint of endpoints) {
    it(`${endpoint.path}: every malformed request gets a coded 4xx and the database is unchanged`, async () => {
      const before = await databaseSnapshot(app.database.target);
      expect(before.licences).toHaveLength(1);
      expect(before.installations).toHaveLength(1);
      const client = clientApp(app.url);
      for (const c of [...endpoint.cases(), ...commonCases(endpoint.limit)]) {
        const headers = { ...c.headers, ...(endpoint.auth ? { authorization: `Bearer ${token}` } : {}) };
        const res = await client.send(endpoint.path, { headers, ...(c.body !== undefined ? { body: c.body } : {}) });
        const label = `${endpoint.path}: ${c.name} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        expect(res.status, label).toBeGreaterThanOrEqual(400);
        expect(res.status, label).toBeLessThan(500);
        if (c.status) expect(res.status, label).toBe(c.status);
        if (c.code) expect(res.body.code, label).toBe(c.code);
        expect(res.body, label).toEqual(
          expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
        );
        expect(JSON.stringify(res.body), label).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|Error:/);
        expect(res.headers.get("cache-control"), label).toBe("no-store");
      }
      expect(await databaseSnapshot(app.database.target)).toEqual(before);
    }, 30_000);
  }

  it("names each field at fault", async () => {
    const res = await clientApp(app.url).json("/activations", { licenceNumber: 1, installationId: "x", extra: 1 });
    expect(res.body).toEqual({
      code: "INVALID_INPUT",
      message: expect.any(String),
      fields: expect.arrayContaining([
        { field: "licenceNumber", message: expect.any(String) },
        { field: "taxId", message: expect.any(String) },
        { field: "installationId", message: expect.any(String) },
        { field: "extra", message: "Unknown field." },
      ]),
    });
  });

  it("other methods get 405 with Allow; unknown paths 404 — never a 5xx", async () => {
    const client = clientApp(app.url);
    for (const path of ["/activations", "/validations", "/notifications"]) {
      for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
        const res = await client.send(path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow")).toBe("POST");
        expect(res.body.code).toBe("METHOD_NOT_ALLOWED");
      }
    }
    expect((await client.send("/openapi.json", { method: "POST", body: "{}" })).status).toBe(405);
    expect((await client.send("/nothing-here", { body: "{}", headers: JSON_TYPE })).status).toBe(404);
  });
});
