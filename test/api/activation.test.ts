import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLicenceNumber } from "../../src/domain/licence-number.ts";
import {
  type Actor,
  deactivateLicence,
  getHistory,
  reactivateLicence,
  revokeActivation,
} from "../../src/handlers/index.ts";
import { captureLogger, supportAgent } from "../support/app.ts";
import {
  type ApiTestApp,
  activeFirm,
  boundLicence,
  clientApp,
  issueLicence,
  newInstallationId,
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

/** The number as a person might type it: lower case, spaces, 1 as l, 0 as o. */
function sloppy(number: string): string {
  return formatLicenceNumber(number).toLowerCase().replace(/-/g, " ").replace(/1/g, "l").replace(/0/g, "o");
}

describe("POST /api/v1/activations", () => {
  it("binds the licence and hands out a token, reading the number and tax id as people type them", async () => {
    const licence = await issueLicence(app.deps, firm);
    const client = clientApp(app.url);
    const taxId = licence.client.taxId;
    const res = await client.activate({
      licenceNumber: ` ${sloppy(licence.number)} `,
      taxId: `${taxId.slice(0, 4)}-${taxId.slice(4).toLowerCase()}`,
      installationId: newInstallationId(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({ code: "ACTIVATED", installationToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect((await client.validate(res.body.installationToken as string)).body).toEqual({ code: "VALID" });
  });

  it("answers NOT_FOUND alike for an unknown number, a wrong tax id and a malformed number", async () => {
    const licence = await issueLicence(app.deps, firm);
    const other = await issueLicence(app.deps, firm);
    const client = clientApp(app.url);
    const installationId = newInstallationId();
    // Well formed (valid check character), never issued.
    const unknown = "0".repeat(20);
    const answers = await Promise.all([
      client.activate({ licenceNumber: unknown, taxId: licence.client.taxId, installationId }),
      client.activate({ licenceNumber: licence.number, taxId: other.client.taxId, installationId }),
      client.activate({
        licenceNumber: `${licence.number.slice(0, 19)}#`,
        taxId: licence.client.taxId,
        installationId,
      }),
      client.activate({ licenceNumber: "not a licence", taxId: "nothing", installationId }),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ code: "NOT_FOUND" });
    }
  });

  it("answers ALREADY_LINKED to a second installation, and the first keeps validating", async () => {
    const { licence, token, client } = await boundLicence(app, firm);
    const res = await clientApp(app.url).activate({
      licenceNumber: licence.number,
      taxId: licence.client.taxId,
      installationId: newInstallationId(),
    });
    expect(res.body).toEqual({ code: "ALREADY_LINKED" });
    expect((await client.validate(token)).body).toEqual({ code: "VALID" });
  });

  it("gives the same installation a fresh token when it activates again; the old one stops", async () => {
    const { licence, token, client, installationId } = await boundLicence(app, firm);
    const again = await client.activate({ licenceNumber: licence.number, taxId: licence.client.taxId, installationId });
    expect(again.body.code).toBe("ACTIVATED");
    const fresh = again.body.installationToken as string;
    expect(fresh).not.toBe(token);
    expect((await client.validate(fresh)).body).toEqual({ code: "VALID" });
    expect((await client.validate(token)).body).toEqual({ code: "NOT_FOUND" });
  });

  it("answers DEACTIVATED while the advisor has the licence suspended, and activates after reactivar", async () => {
    const licence = await issueLicence(app.deps, firm);
    await deactivateLicence(app.deps, firm, { licenceId: licence.id });
    const client = clientApp(app.url);
    const input = { licenceNumber: licence.number, taxId: licence.client.taxId, installationId: newInstallationId() };
    expect((await client.activate(input)).body).toEqual({ code: "DEACTIVATED" });
    await reactivateLicence(app.deps, firm, { licenceId: licence.id });
    expect((await client.activate(input)).body.code).toBe("ACTIVATED");
  });

  it("answers FEATURE_DISABLED once support revoked the firm", async () => {
    const other = await activeFirm(app.deps);
    const licence = await issueLicence(app.deps, other);
    const firmId = (await app.deps.store.findFirm("slack", other.workspaceId))?.id as number;
    await revokeActivation(app.deps, supportAgent(), { firmId, reason: "Fin de contrato" });
    const res = await clientApp(app.url).activate({
      licenceNumber: licence.number,
      taxId: licence.client.taxId,
      installationId: newInstallationId(),
    });
    expect(res.body).toEqual({ code: "FEATURE_DISABLED" });
  });

  it("records activations and refusals in the licence's audit trail", async () => {
    const { licence, client, installationId } = await boundLicence(app, firm);
    const other = await issueLicence(app.deps, firm);
    await client.activate({ licenceNumber: licence.number, taxId: other.client.taxId, installationId });
    await clientApp(app.url).activate({
      licenceNumber: licence.number,
      taxId: licence.client.taxId,
      installationId: newInstallationId(),
    });
    await client.activate({ licenceNumber: licence.number, taxId: licence.client.taxId, installationId });

    const history = await getHistory(app.deps, firm, { text: licence.number });
    const events = history.events.map((e) => ({ action: e.action, actor: e.actorPlatform, details: e.details }));
    expect(events.slice(0, 4).reverse()).toEqual([
      { action: "installation.bound", actor: "client_app", details: {} },
      { action: "installation.refused", actor: "client_app", details: { code: "NOT_FOUND" } },
      { action: "installation.refused", actor: "client_app", details: { code: "ALREADY_LINKED" } },
      { action: "installation.reactivated", actor: "client_app", details: {} },
    ]);
  });

  it("never logs the licence number, the tax id or the token", async () => {
    const { licence, token } = await boundLicence(app, firm);
    const log = app.logLines.join("");
    expect(log).toContain("client api request");
    for (const secret of [licence.number, formatLicenceNumber(licence.number), licence.client.taxId, token]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe("the client API's log at info", () => {
  it("sums up VALID validations in one line per period and keeps a line for each refusal", async () => {
    const { logger, lines } = captureLogger("info");
    const quiet = await startApiApp({ overrides: { logger } });
    try {
      const advisorOf = await activeFirm(quiet.deps);
      const { client, token, licence } = await boundLicence(quiet, advisorOf);
      for (let i = 0; i < 5; i++) expect((await client.validate(token)).body.code).toBe("VALID");
      await deactivateLicence(quiet.deps, advisorOf, { licenceId: licence.id });
      expect((await client.validate(token)).body.code).toBe("DEACTIVATED");
      expect((await client.validate("not-a-token-of-ours-000000000000")).body.code).toBe("NOT_FOUND");

      const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const perRequest = entries().filter((e) => e.msg === "client api request" && e.path === "/validations");
      expect(perRequest.map((e) => e.code)).toEqual(["DEACTIVATED", "NOT_FOUND"]);
      // Not yet: the period (a minute) has not ended.
      expect(entries().some((e) => e.msg === "client api validations")).toBe(false);
      await quiet.stop();
      // Stopping the server logs what the period had counted.
      const summary = entries().filter((e) => e.msg === "client api validations");
      expect(summary).toHaveLength(1);
      expect(summary[0]).toMatchObject({ path: "/validations", code: "VALID", count: 5 });
      expect(typeof summary[0]?.meanMs).toBe("number");
      expect(lines.join("")).not.toContain(token);
    } finally {
      await quiet.dispose();
    }
  });
});

describe("POST /api/v1/validations, by any spelling", () => {
  // The exact path is served before Express (src/app.ts); the others go through Express's router to the same handler.
  const spellings = ["/validations", "/validations/", "/VALIDATIONS", "/validations?from=app", "/Validations/?x=1"];
  const picked = (a: { status: number; headers: Headers; body: unknown }) => ({
    status: a.status,
    body: a.body,
    headers: Object.fromEntries(
      ["content-type", "content-length", "cache-control", "x-content-type-options", "www-authenticate", "retry-after"]
        .map((h) => [h, a.headers.get(h)])
        .filter(([, v]) => v !== null),
    ),
  });

  it("answers the same status, body and headers, for a good token, an unknown one and none", async () => {
    const { client, token } = await boundLicence(app, firm);
    const cases: Array<[string, { headers?: Record<string, string>; body?: string }]> = [
      ["VALID", { headers: { authorization: `Bearer ${token}` } }],
      [
        "VALID with {}",
        { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" },
      ],
      ["NOT_FOUND", { headers: { authorization: "Bearer not-a-token-of-ours-000000000000" } }],
      ["UNAUTHORIZED", {}],
      [
        "INVALID_INPUT",
        { headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: '{"a":1}' },
      ],
      [
        "UNSUPPORTED_MEDIA_TYPE",
        { headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" }, body: "x" },
      ],
    ];
    for (const [name, init] of cases) {
      // Each spelling from its own address: the failures of one never limit another.
      const answers = await Promise.all(
        spellings.map(async (path) => picked(await clientApp(app.url).send(path, init))),
      );
      expect(answers[0]?.body, name).toHaveProperty("code");
      for (const [i, answer] of answers.entries()) expect(answer, `${name} at ${spellings[i]}`).toEqual(answers[0]);
    }
    expect(picked(await client.validate(token))).toEqual({
      status: 200,
      body: { code: "VALID" },
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-length": "16",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });

  it("counts the failures of one address across spellings, and takes the address from the trusted proxy", async () => {
    const client = clientApp(app.url);
    const other = clientApp(app.url);
    const unknown = { headers: { authorization: "Bearer not-a-token-of-ours-000000000000" } };
    // DEFAULT_RATE_LIMITS.perAddress failures, alternating between the fast path and Express's.
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push((await client.send(spellings[i % 2] ?? "", unknown)).status);
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(answers.slice(10)).toEqual([429, 429]);
    // Another address behind the same proxy is not limited.
    expect((await other.send("/validations", unknown)).body).toEqual({ code: "NOT_FOUND" });
  });
});
