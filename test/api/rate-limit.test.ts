import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClientApi } from "../../src/api/index.ts";
import type { Actor, Deps } from "../../src/handlers/index.ts";
import { captureLogger } from "../support/app.ts";
import { testDatabase } from "../support/storage.ts";
import {
  type ApiTestApp,
  activeFirm,
  boundLicence,
  clientApp,
  issueLicence,
  newInstallationId,
  newTaxId,
  startApiApp,
} from "./helpers.ts";

let app: ApiTestApp;
let firm: Actor;

beforeAll(async () => {
  app = await startApiApp();
  firm = await activeFirm(app.deps);
});
afterAll(async () => {
  await app.dispose();
});

const UNKNOWN_TOKEN = "A".repeat(43);

describe("failed attempts per client address (default: 10 in 15 minutes)", () => {
  it("answers 429 with Retry-After after ten failures, on every endpoint, and only for that address", async () => {
    const { token, licence } = await boundLicence(app, firm);
    const attacker = clientApp(app.url);
    for (let i = 0; i < 5; i++) {
      expect((await attacker.validate(UNKNOWN_TOKEN)).body.code).toBe("NOT_FOUND");
      // A missing token is a failed attempt too.
      expect((await attacker.send("/validations", {})).status).toBe(401);
    }
    const limited = await attacker.validate(token);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: "RATE_LIMITED", message: expect.any(String) });
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(850);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(limited.headers.get("cache-control")).toBe("no-store");

    expect((await attacker.report(token, [])).status).toBe(429);
    const activation = await attacker.activate({
      licenceNumber: licence.number,
      taxId: licence.client.taxId,
      installationId: newInstallationId(),
    });
    expect(activation.status).toBe(429);

    // Someone else is not affected.
    expect((await clientApp(app.url).validate(token)).body).toEqual({ code: "VALID" });
  });

  it("does not count refusals that are not guesses (ALREADY_LINKED) nor malformed input", async () => {
    const { licence } = await boundLicence(app, firm);
    const client = clientApp(app.url);
    for (let i = 0; i < 12; i++) {
      const res = await client.activate({
        licenceNumber: licence.number,
        taxId: licence.client.taxId,
        installationId: newInstallationId(),
      });
      expect(res.body.code).toBe("ALREADY_LINKED");
      expect((await client.json("/activations", { licenceNumber: 1 })).status).toBe(400);
    }
  });
});

describe("the client address without TRUST_PROXY", () => {
  it("is the connection's: a forged X-Forwarded-For does not escape the limit", async () => {
    const direct = await startApiApp({ env: { TRUST_PROXY: "false" } });
    try {
      for (let i = 0; i < 10; i++) {
        expect((await clientApp(direct.url).validate(UNKNOWN_TOKEN)).body.code).toBe("NOT_FOUND");
      }
      expect((await clientApp(direct.url).validate(UNKNOWN_TOKEN)).status).toBe(429);
    } finally {
      await direct.dispose();
    }
  });
});

describe("failed attempts per licence number (default: 5 in 15 minutes)", () => {
  it("locks the number after five wrong tax ids from anywhere, even for the right tax id", async () => {
    const licence = await issueLicence(app.deps, firm);
    const installationId = newInstallationId();
    for (let i = 0; i < 5; i++) {
      const res = await clientApp(app.url).activate({
        licenceNumber: licence.number,
        taxId: newTaxId(),
        installationId,
      });
      expect(res.body).toEqual({ code: "NOT_FOUND" });
    }
    const right = await clientApp(app.url).activate({
      licenceNumber: licence.number.toLowerCase(),
      taxId: licence.client.taxId,
      installationId,
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);

    // Another licence, from the same addresses' neighbourhood, is fine.
    const other = await issueLicence(app.deps, firm);
    const ok = await clientApp(app.url).activate({
      licenceNumber: other.number,
      taxId: other.client.taxId,
      installationId,
    });
    expect(ok.body.code).toBe("ACTIVATED");
  });
});

describe("the counters live in the database", () => {
  it("survive a new app instance on the same database", async () => {
    const database = await testDatabase();
    try {
      const first = await startApiApp({ env: database.env });
      const address = "198.51.100.7";
      for (let i = 0; i < 10; i++) {
        await clientApp(first.url, address).validate(UNKNOWN_TOKEN);
      }
      expect((await clientApp(first.url, address).validate(UNKNOWN_TOKEN)).status).toBe(429);
      await first.dispose();

      const second = await startApiApp({ env: database.env });
      try {
        const res = await clientApp(second.url, address).validate(UNKNOWN_TOKEN);
        expect(res.status).toBe(429);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      } finally {
        await second.dispose();
      }
    } finally {
      await database.dispose();
    }
  });
});

describe("limits are options of the router", () => {
  let server: Server;
  let url: string;
  let clock = Date.now();

  beforeAll(async () => {
    const deps: Deps = { ...app.deps, now: () => clock };
    const api = express();
    api.use(
      "/api/v1",
      createClientApi(deps, {
        trustProxy: 1,
        logger: captureLogger().logger,
        rateLimits: { perAddress: 2, perLicence: 1, windowMs: 60_000 },
      }).router,
    );
    server = await new Promise<Server>((resolve) => {
      const s = api.listen(0, "127.0.0.1", () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("counts in the configured window and lets the address try again when it ends", async () => {
    const client = clientApp(url);
    await client.validate(UNKNOWN_TOKEN);
    await client.validate(UNKNOWN_TOKEN);
    const limited = await client.validate(UNKNOWN_TOKEN);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");

    clock += 45_000;
    expect((await client.validate(UNKNOWN_TOKEN)).headers.get("retry-after")).toBe("15");

    clock += 15_000;
    expect((await client.validate(UNKNOWN_TOKEN)).body).toEqual({ code: "NOT_FOUND" });
  });

  it("locks a licence number after the configured number of failures", async () => {
    const licence = await issueLicence(app.deps, firm);
    const input = { licenceNumber: licence.number, taxId: newTaxId(), installationId: newInstallationId() };
    expect((await clientApp(url).activate(input)).body).toEqual({ code: "NOT_FOUND" });
    expect((await clientApp(url).activate({ ...input, taxId: licence.client.taxId })).status).toBe(429);
    clock += 60_000;
    expect((await clientApp(url).activate({ ...input, taxId: licence.client.taxId })).body.code).toBe("ACTIVATED");
  });
});

describe("a successful validation", () => {
  let server: Server;
  let url: string;
  let clock = Date.now();
  const reads: string[][] = [];

  beforeAll(async () => {
    // The real store, with its counter query watched (a fake passed in, not a module replaced).
    const store = app.deps.store;
    const deps: Deps = {
      ...app.deps,
      now: () => clock,
      store: {
        ...store,
        failureCounts: async (keys, now, windowMs) => {
          reads.push(keys);
          return await store.failureCounts(keys, now, windowMs);
        },
      },
    };
    const api = express();
    api.use(
      "/api/v1",
      createClientApi(deps, {
        trustProxy: 1,
        logger: captureLogger().logger,
        rateLimits: { perAddress: 3, perLicence: 1, windowMs: 60_000 },
      }).router,
    );
    server = await new Promise<Server>((resolve) => {
      const s = api.listen(0, "127.0.0.1", () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("makes no query of the counters; a failure does, and a locked address is refused even with a good token", async () => {
    const { token } = await boundLicence(app, firm);
    const client = clientApp(url);
    reads.length = 0;
    for (let i = 0; i < 5; i++) expect((await client.validate(token)).body).toEqual({ code: "VALID" });
    expect(reads).toEqual([]);

    expect((await client.validate(UNKNOWN_TOKEN)).body).toEqual({ code: "NOT_FOUND" });
    expect((await client.send("/validations", {})).status).toBe(401);
    expect(reads).toHaveLength(2);
    expect((await client.validate(token)).body).toEqual({ code: "VALID" });
    expect(reads).toHaveLength(2);

    // The third failure locks the address: the good token too, and a missing one, until the window ends.
    expect((await client.validate(UNKNOWN_TOKEN)).body).toEqual({ code: "NOT_FOUND" });
    const locked = await client.validate(token);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("60");
    expect((await client.send("/validations", {})).status).toBe(429);
    expect((await client.validate(UNKNOWN_TOKEN)).status).toBe(429);
    // Another address with the same token is not affected.
    expect((await clientApp(url).validate(token)).body).toEqual({ code: "VALID" });

    clock += 60_000;
    reads.length = 0;
    expect((await client.validate(token)).body).toEqual({ code: "VALID" });
    expect(reads).toEqual([]);
  });
});
