import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, clientApp, startApiApp } from "./helpers.ts";

const UNKNOWN_TOKEN = "B".repeat(43);

let seq = 0;
/** A left-most X-Forwarded-For value never sent before: what a client rotates to look like many. */
function forged(): string {
  seq++;
  return `192.0.2.${seq % 250}, 198.51.100.${(seq * 7) % 250}`;
}

/** A validation with a wrong token (a failed attempt) as it arrives through the proxies. */
async function guess(app: ApiTestApp, forwardedFor: string) {
  return clientApp(app.url).send("/validations", {
    headers: { authorization: `Bearer ${UNKNOWN_TOKEN}`, "x-forwarded-for": forwardedFor },
  });
}

describe("TRUST_PROXY=1: the address the one trusted proxy saw", () => {
  let app: ApiTestApp;
  beforeAll(async () => {
    app = await startApiApp({ env: { TRUST_PROXY: "1" } });
  });
  afterAll(async () => {
    await app.dispose();
  });

  it("rotating the left-most X-Forwarded-For values does not escape the per-address limit", async () => {
    for (let i = 0; i < 10; i++) {
      expect((await guess(app, `${forged()}, 203.0.113.7`)).body).toEqual({ code: "NOT_FOUND" });
    }
    for (let i = 0; i < 20; i++) {
      const limited = await guess(app, `${forged()}, 203.0.113.7`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("counts two addresses the proxy saw separately", async () => {
    for (let i = 0; i < 10; i++) await guess(app, `${forged()}, 203.0.113.21`);
    expect((await guess(app, "203.0.113.21")).status).toBe(429);
    expect((await guess(app, `${forged()}, 203.0.113.22`)).body).toEqual({ code: "NOT_FOUND" });
  });
});

describe("TRUST_PROXY as the proxies' addresses", () => {
  let app: ApiTestApp;
  beforeAll(async () => {
    // The test client connects from loopback: that is the trusted proxy here.
    app = await startApiApp({ env: { TRUST_PROXY: "10.0.0.0/8, loopback" } });
  });
  afterAll(async () => {
    await app.dispose();
  });

  it("skips the trusted hops from the right and counts the first untrusted one", async () => {
    // 203.0.113.31 reached a 10.x proxy, which reached the loopback one: the client is 203.0.113.31.
    for (let i = 0; i < 10; i++) await guess(app, `${forged()}, 203.0.113.31, 10.1.2.3`);
    expect((await guess(app, "203.0.113.31")).status).toBe(429);
    expect((await guess(app, `${forged()}, 203.0.113.32, 10.9.9.9`)).body).toEqual({ code: "NOT_FOUND" });
  });
});

describe("TRUST_PROXY off", () => {
  it("takes the connection's address, whatever X-Forwarded-For says", async () => {
    const app = await startApiApp({ env: { TRUST_PROXY: "" } });
    try {
      for (let i = 0; i < 10; i++) await guess(app, `203.0.113.${40 + i}`);
      expect((await guess(app, "203.0.113.99")).status).toBe(429);
    } finally {
      await app.dispose();
    }
  });
});
