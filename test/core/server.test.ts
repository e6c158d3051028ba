import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUEST_TIMEOUT_MS } from "../../src/app.ts";
import { knownMigrations } from "../../src/db/open.ts";
import { singleWorkspace } from "../slack/setup.ts";
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

/**
 * Sends a request's headers, then its body one byte every 200 ms, as a
 * slow-drip attacker does; resolves with what the server answered and when
 * it closed the connection.
 */
function drip(url: string, path: string, headers: Record<string, string>): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const lines = Object.entries({ host: `${hostname}:${port}`, "content-length": "100000", ...headers }).map(
        ([k, v]) => `${k}: ${v}\r\n`,
      );
      socket.write(`POST ${path} HTTP/1.1\r\n${lines.join("")}\r\n`);
    });
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write("a");
    }, 200);
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      answer += d;
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started });
    });
    socket.setTimeout(REQUEST_TIMEOUT_MS * 3, () => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`${path}: still open after ${REQUEST_TIMEOUT_MS * 3} ms`));
    });
  });
}

describe("slow-drip bodies", () => {
  it("are answered 408 and closed once the request timeout passes, on every surface; the server stays healthy", async () => {
    const slack = await singleWorkspace();
    try {
      const url = slack.app.url;
      const json = { "content-type": "application/json" };
      const slackHeaders = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-signature": `v0=${"0".repeat(64)}`,
        "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
      };
      const results = await Promise.all([
        drip(url, "/slack/events", slackHeaders),
        drip(url, "/api/messages", json),
        drip(url, "/api/v1/activations", json),
      ]);
      for (const { answer, ms } of results) {
        expect(answer).toMatch(/^HTTP\/1\.1 408 /);
        expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 500);
        expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 4_000);
      }
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await slack.dispose();
    }
  }, 40_000);
});
