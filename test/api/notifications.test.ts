import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  deactivateLicence,
  getHistory,
  importNotifications,
  listNotifications,
} from "../../src/handlers/index.ts";
import { type ApiTestApp, activeFirm, boundLicence, startApiApp } from "./helpers.ts";

let app: ApiTestApp;
let firm: Actor;

beforeAll(async () => {
  app = await startApiApp();
  firm = await activeFirm(app.deps);
});
afterAll(async () => {
  await app.dispose();
});

describe("POST /api/v1/notifications", () => {
  it("accepts the client's notifications, idempotently, and they show as autogestionada", async () => {
    const { licence, token, client } = await boundLicence(app, firm);
    const notifications = [
      {
        id: "AEAT-2026-0001",
        organismo: "AEAT",
        asunto: "Requerimiento de información",
        fechaPuestaDisposicion: "03/11/2026",
        fechaMaxLectura: "13/11/2026",
        estado: "Leída",
      },
      {
        id: "DEHU-2026-0002",
        organismo: "DEHú",
        asunto: "Notificación de la Seguridad Social",
        fechaPuestaDisposicion: "2026-11-04T10:30:00+01:00",
        fechaMaxLectura: null,
        estado: "Aceptada",
      },
    ];
    const first = await client.report(token, notifications);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.body).toEqual({ code: "ACCEPTED", received: 2, created: 2, updated: 0 });

    const again = await client.report(token, notifications);
    expect(again.body).toEqual({ code: "ACCEPTED", received: 2, created: 0, updated: 0 });

    const page = await listNotifications(app.deps, firm, { taxId: licence.client.taxId });
    expect(page.items.map((n) => [n.externalId, n.selfManaged, n.organismo])).toEqual([
      ["DEHU-2026-0002", true, "DEHú"],
      ["AEAT-2026-0001", true, "AEAT"],
    ]);
    const aeat = page.items.find((n) => n.externalId === "AEAT-2026-0001");
    expect(aeat?.fechaPuestaDisposicion).toBe(Date.UTC(2026, 10, 3, 12));
    expect(aeat?.fechaMaxLectura).toBe(Date.UTC(2026, 10, 13, 12));
    expect(page.items[0]?.fechaPuestaDisposicion).toBe(Date.UTC(2026, 10, 4, 9, 30));
  });

  it("marks a notification the firm imported itself as handled by the client (updated)", async () => {
    const { licence, token, client } = await boundLicence(app, firm);
    const csv = `id;nif;organismo;asunto;fecha_puesta_disposicion;fecha_max_lectura;estado\nSS-77;${licence.client.taxId};Seguridad Social;Embargo;01/11/2026;;Pendiente\n`;
    const imported = await importNotifications(app.deps, { workspaceId: firm.workspaceId, data: Buffer.from(csv) });
    expect(imported.imported).toBe(1);
    const before = (await listNotifications(app.deps, firm, { taxId: licence.client.taxId })).items;
    expect(before.map((n) => [n.externalId, n.selfManaged])).toEqual([["SS-77", false]]);

    const res = await client.report(token, [
      {
        id: "SS-77",
        organismo: "Seguridad Social",
        asunto: "Embargo",
        fechaPuestaDisposicion: "2026-11-01",
        estado: "Leída",
      },
    ]);
    expect(res.body).toEqual({ code: "ACCEPTED", received: 1, created: 0, updated: 1 });
    const after = (await listNotifications(app.deps, firm, { taxId: licence.client.taxId })).items;
    expect(after.map((n) => [n.externalId, n.selfManaged, n.estado])).toEqual([["SS-77", true, "Leída"]]);
  });

  it("records the reporting installation in the audit trail, and takes nothing once the licence is deactivated", async () => {
    const { licence, installationId, token, client } = await boundLicence(app, firm);
    const item = {
      id: "AEAT-AUDIT-1",
      organismo: "AEAT",
      asunto: "Aviso",
      fechaPuestaDisposicion: "2026-11-05",
      estado: "Leída",
    };
    expect((await client.report(token, [item])).body).toMatchObject({ code: "ACCEPTED", created: 1 });
    expect((await getHistory(app.deps, firm, { text: licence.number })).events[0]).toMatchObject({
      action: "notifications.reported",
      actorPlatform: "client_app",
      actorId: installationId,
      details: { created: 1, updated: 0 },
    });

    await deactivateLicence(app.deps, firm, { licenceId: licence.id });
    const refused = await client.report(token, [{ ...item, id: "AEAT-AUDIT-2" }]);
    expect(refused.body).toEqual({ code: "DEACTIVATED" });
    const ids = (await listNotifications(app.deps, firm, { taxId: licence.client.taxId })).items.map(
      (n) => n.externalId,
    );
    expect(ids).toEqual(["AEAT-AUDIT-1"]);
  });

  it("refuses a date that is not one (400 INVALID_INPUT naming the field)", async () => {
    const { token, client } = await boundLicence(app, firm);
    const res = await client.report(token, [
      { id: "X-1", organismo: "AEAT", asunto: "A", fechaPuestaDisposicion: "30/02/2026", estado: "Leída" },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: "INVALID_INPUT",
      fields: [{ field: "notifications.0.fechaPuestaDisposicion", message: expect.any(String) }],
    });
  });
});
