import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  deactivateLicence,
  deleteLicence,
  getLicence,
  reactivateLicence,
  revokeActivation,
  setSelfManaged,
  unlinkLicence,
} from "../../src/handlers/index.ts";
import { supportAgent } from "../support/app.ts";
import { type ApiTestApp, activeFirm, boundLicence, clientApp, newInstallationId, startApiApp } from "./helpers.ts";

let app: ApiTestApp;
let firm: Actor;

beforeAll(async () => {
  app = await startApiApp();
  firm = await activeFirm(app.deps);
});
afterAll(async () => {
  await app.dispose();
});

const sample = (id: string) => ({
  id,
  organismo: "AEAT",
  asunto: "Requerimiento de información",
  fechaPuestaDisposicion: "03/11/2026",
  estado: "Leída",
});

describe("the licence lifecycle, from the chat side to the client app", () => {
  it("desactivar → DEACTIVATED until reactivar; desvincular → UNLINKED and a new installation may activate", async () => {
    const { licence, token, client } = await boundLicence(app, firm);
    const target = { licenceId: licence.id };
    expect((await client.validate(token)).body).toEqual({ code: "VALID" });

    await deactivateLicence(app.deps, firm, target);
    expect((await client.validate(token)).body).toEqual({ code: "DEACTIVATED" });
    expect((await client.report(token, [sample("L-1")])).body).toEqual({ code: "DEACTIVATED" });

    await reactivateLicence(app.deps, firm, target);
    expect((await client.validate(token)).body).toEqual({ code: "VALID" });

    await unlinkLicence(app.deps, firm, target);
    expect((await getLicence(app.deps, firm, target)).linked).toBe(false);
    expect((await client.validate(token)).body).toEqual({ code: "UNLINKED" });
    expect((await client.report(token, [sample("L-2")])).body).toEqual({ code: "UNLINKED" });

    const elsewhere = clientApp(app.url);
    const activated = await elsewhere.activate({
      licenceNumber: licence.number,
      taxId: licence.client.taxId,
      installationId: newInstallationId(),
    });
    expect(activated.body.code).toBe("ACTIVATED");
    expect((await getLicence(app.deps, firm, target)).linked).toBe(true);
    expect((await elsewhere.validate(activated.body.installationToken as string)).body).toEqual({ code: "VALID" });
    // The old installation's token stays dead, even though the licence is linked again.
    expect((await client.validate(token)).body).toEqual({ code: "UNLINKED" });
  });

  it("unlinking keeps the self-managed flag; deactivating clears it", async () => {
    const { licence } = await boundLicence(app, firm);
    await setSelfManaged(app.deps, firm, { taxId: licence.client.taxId, selfManaged: true });
    expect((await unlinkLicence(app.deps, firm, { licenceId: licence.id })).licence.client.selfManaged).toBe(true);
    expect((await deactivateLicence(app.deps, firm, { licenceId: licence.id })).selfManagedCleared).toBe(true);
  });

  it("eliminar → the number is NOT_FOUND for validations and activations alike", async () => {
    const { licence, token, client, installationId } = await boundLicence(app, firm);
    await deleteLicence(app.deps, firm, { licenceId: licence.id });
    expect((await client.validate(token)).body).toEqual({ code: "NOT_FOUND" });
    expect((await client.report(token, [sample("D-1")])).body).toEqual({ code: "NOT_FOUND" });
    const again = await client.activate({ licenceNumber: licence.number, taxId: licence.client.taxId, installationId });
    expect(again.body).toEqual({ code: "NOT_FOUND" });
  });

  it("support revoking the firm → FEATURE_DISABLED; a new approval brings VALID back", async () => {
    const other = await activeFirm(app.deps);
    const { token, client } = await boundLicence(app, other);
    const firmId = (await app.deps.store.findFirm("slack", other.workspaceId))?.id as number;
    await revokeActivation(app.deps, supportAgent(), { firmId });
    expect((await client.validate(token)).body).toEqual({ code: "FEATURE_DISABLED" });
    expect((await client.report(token, [sample("R-1")])).body).toEqual({ code: "FEATURE_DISABLED" });
    await activeFirm(app.deps, other.workspaceId);
    expect((await client.validate(token)).body).toEqual({ code: "VALID" });
  });
});

describe("installation tokens", () => {
  it("a missing or malformed Authorization header is 401 UNAUTHORIZED on validations and notifications", async () => {
    const headers: Record<string, string>[] = [
      {},
      { authorization: "" },
      { authorization: "Bearer" },
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer short" },
      { authorization: "Bearer tok en with spaces" },
      { authorization: `Bearer ${"x".repeat(600)}` },
    ];
    for (const h of headers) {
      for (const path of ["/validations", "/notifications"]) {
        // Each is a failed attempt: a fresh address keeps the rate limit out of the way.
        const res = await clientApp(app.url).send(path, {
          body: JSON.stringify(path === "/notifications" ? { notifications: [sample("T-1")] } : {}),
          headers: { "content-type": "application/json", ...h },
        });
        expect(res.status, `${path} ${JSON.stringify(h)}`).toBe(401);
        expect(res.body).toEqual({ code: "UNAUTHORIZED", message: expect.any(String) });
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
    }
  }, 30_000);

  it("a well-formed but unknown token is NOT_FOUND", async () => {
    const client = clientApp(app.url);
    const wrong = "A".repeat(43);
    expect((await client.validate(wrong)).body).toEqual({ code: "NOT_FOUND" });
    expect((await client.report(wrong, [sample("W-1")])).body).toEqual({ code: "NOT_FOUND" });
  });

  it("accepts the scheme in any case and an empty JSON object as the validation body", async () => {
    const { token, client } = await boundLicence(app, firm);
    const res = await client.send("/validations", {
      body: "{}",
      headers: { "content-type": "application/json", authorization: `bearer ${token}` },
    });
    expect(res.body).toEqual({ code: "VALID" });
  });
});
