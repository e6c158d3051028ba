import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzSeed, hostileValue, leaksInternals, mutate, pick, prng, type Random } from "../support/fuzz.ts";
import { type ApiTestApp, activeFirm, boundLicence, issueLicence, newAddress, startApiApp } from "./helpers.ts";

const CASES = 300;

let app: ApiTestApp;
let token: string;
let activation: { licenceNumber: string; taxId: string; installationId: string };

beforeAll(async () => {
  app = await startApiApp();
  const firm = await activeFirm(app.deps);
  token = (await boundLicence(app, firm)).token;
  const licence = await issueLicence(app.deps, firm);
  activation = { licenceNumber: licence.number, taxId: licence.client.taxId, installationId: "sha256-fuzz-000001" };
});
afterAll(async () => {
  await app.dispose();
});

const notifications = {
  notifications: [
    {
      id: "AEAT-FUZZ-1",
      organismo: "AEAT",
      asunto: "Requerimiento",
      fechaPuestaDisposicion: "03/11/2026",
      fechaMaxLectura: "2026-11-13",
      estado: "Leída",
    },
  ],
};

/** One hostile request: a mutated valid body, or raw bytes, with odd headers now and then. */
function request(random: Random): {
  path: string;
  body: string | Uint8Array | undefined;
  headers: Record<string, string>;
} {
  const path = pick(random, ["/activations", "/validations", "/notifications"]);
  const base = path === "/activations" ? activation : path === "/notifications" ? notifications : {};
  const headers: Record<string, string> = {
    "content-type": pick(random, [
      "application/json",
      "application/json",
      "application/json; charset=utf-8",
      "application/vnd.api+json",
      "text/plain",
      "application/json; charset=utf-16",
    ]),
    "x-forwarded-for": newAddress(),
  };
  if (path !== "/activations" || random() < 0.2) {
    headers.authorization = pick(random, [
      `Bearer ${token}`,
      `Bearer ${token}`,
      "Bearer ",
      `Bearer ${"A".repeat(600)}`,
      "Basic dXNlcjpwYXNz",
      `bearer ${token}x`,
      "Bearer a b c",
    ]);
  }
  const roll = random();
  let body: string | Uint8Array | undefined;
  if (roll < 0.7) body = JSON.stringify(mutate(random, base));
  else if (roll < 0.8) body = JSON.stringify(hostileValue(random));
  else if (roll < 0.9) body = JSON.stringify(base).slice(0, Math.floor(random() * 40));
  else if (roll < 0.95) body = Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256));
  else body = undefined;
  return { path, body, headers };
}

describe("mini-fuzz of client API bodies", () => {
  it(`${CASES} hostile requests: no answer ≥ 500, every answer JSON with a code, no stack trace`, async () => {
    const seed = fuzzSeed();
    console.log(`client API fuzz seed: ${seed} (repeat with FUZZ_SEED=${seed})`);
    const random = prng(seed);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const { path, body, headers } = request(random);
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method: "POST",
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      let code: unknown;
      try {
        code = (JSON.parse(text) as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      if (res.status >= 500 || typeof code !== "string" || leaksInternals(text)) {
        const shown = typeof body === "string" ? body.slice(0, 300) : `${body?.length ?? 0} bytes`;
        failures.push(`#${i} ${path} ${res.status} ${text.slice(0, 200)} ← ${shown}`);
      }
    }
    expect(failures, `seed ${seed}`).toEqual([]);
    // The fuzz reached the use cases too, not only the body parser.
    expect(statuses.get(200), `seed ${seed}: ${[...statuses]}`).toBeGreaterThan(0);
    expect(statuses.get(400), `seed ${seed}: ${[...statuses]}`).toBeGreaterThan(0);
    const unexpected = app.logLines.filter((l) => l.includes("unexpected error"));
    expect(unexpected, `seed ${seed}`).toEqual([]);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
