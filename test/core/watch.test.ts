import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Actor,
  activateInstallation,
  DEFAULT_RATE_LIMITS,
  findFirmByWorkspace,
  importNotifications,
  openWatchItems,
  sendLicenceDetails,
  setSelfManaged,
  validateInstallation,
} from "../../src/handlers/index.ts";
import { madridDay, madridDaysBetween, madridTime, nextWatchTime } from "../../src/handlers/watch-clock.ts";
import { advisor, testDeps } from "../support/app.ts";
import { activateFirm, newLicence } from "../support/fixtures.ts";

const DAY = 86_400_000;

describe("the watch's open items", () => {
  let clock = Date.UTC(2026, 10, 2, 9, 0, 0);
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let a: Actor;
  beforeEach(async () => {
    clock = Date.UTC(2026, 10, 2, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    a = advisor("T0WATCHC01");
    await activateFirm(deps, a);
  });
  afterEach(async () => await deps.dispose());
  const firmId = async () => (await findFirmByWorkspace(deps, a.workspaceId)).id;

  it("list a licence sent 7 or more days ago and never activated, not one sent 6 days ago", async () => {
    const old = await newLicence(deps, a, { name: "Antigua S.L." });
    await sendLicenceDetails(deps, a, { licenceId: old.id });
    clock += DAY;
    const recent = await newLicence(deps, a, { name: "Reciente S.L." });
    await sendLicenceDetails(deps, a, { licenceId: recent.id });
    await newLicence(deps, a, { name: "Nunca enviada S.L." });
    clock += 6 * DAY;
    const list = await openWatchItems(deps, await firmId());
    expect(list.items.map((i) => [i.kind, i.clientName, "days" in i ? i.days : undefined])).toEqual([
      ["unactivated", "Antigua S.L.", 7],
    ]);
    expect(list.counts).toEqual({ unactivated: 1, silent: 0, deadline: 0 });
    // Activated: no longer open.
    await activateInstallation(deps, {
      licenceNumber: old.number,
      taxId: old.client.taxId,
      installationId: "machine-0001",
    });
    expect((await openWatchItems(deps, await firmId())).items).toEqual([]);
  });

  it("list a self-managed client whose app has been silent for 3 days, from its last contact", async () => {
    const l = await newLicence(deps, a, { name: "Callada S.L." });
    const out = await activateInstallation(deps, {
      licenceNumber: l.number,
      taxId: l.client.taxId,
      installationId: "machine-0002",
    });
    if (out.code !== "ACTIVATED") throw new Error(out.code);
    await setSelfManaged(deps, a, { taxId: l.client.taxId, selfManaged: true });
    clock += 2 * DAY;
    expect(
      (await validateInstallation(deps, DEFAULT_RATE_LIMITS, { address: "127.0.0.1" }, out.installationToken)).code,
    ).toBe("VALID");
    clock += 2 * DAY;
    expect((await openWatchItems(deps, await firmId())).items).toEqual([]);
    clock += 2 * DAY;
    const [item] = (await openWatchItems(deps, await firmId())).items;
    expect(item).toMatchObject({ kind: "silent", clientName: "Callada S.L.", licenceId: l.id, days: 4 });
  });

  it("list the unhandled notifications of watched clients due within 3 days, with the days left", async () => {
    const watched = await newLicence(deps, a, { name: "Vigilada S.L." });
    const own = await newLicence(deps, a, { name: "Autogestiona S.L." });
    await setSelfManaged(deps, a, { taxId: own.client.taxId, selfManaged: true });
    const rows = [
      "id;nif;organismo;asunto;fecha_puesta_disposicion;fecha_max_lectura;estado",
      `N1;${watched.client.taxId};AEAT;Requerimiento;01/11/2026;04/11/2026;Pendiente`,
      `N2;${watched.client.taxId};DGT;Multa;01/11/2026;20/11/2026;Pendiente`,
      `N3;${own.client.taxId};AEAT;Suya;01/11/2026;03/11/2026;Pendiente`,
      `N4;${watched.client.taxId};AEAT;Caducada;01/10/2026;01/11/2026;Pendiente`,
      `N5;${watched.client.taxId};AEAT;Hoy;01/11/2026;02/11/2026;Pendiente`,
    ];
    await importNotifications(deps, { workspaceId: a.workspaceId, data: Buffer.from(rows.join("\n")) });
    const items = (await openWatchItems(deps, await firmId())).items;
    expect(
      items.map((i) => (i.kind === "deadline" ? [i.asunto, i.organismo, i.clientName, i.daysLeft] : i.kind)),
    ).toEqual([
      ["Hoy", "AEAT", "Vigilada S.L.", 0],
      ["Requerimiento", "AEAT", "Vigilada S.L.", 2],
    ]);
  });

  it("bound each kind and count the rest", async () => {
    for (let i = 0; i < 5; i++) await sendLicenceDetails(deps, a, { licenceId: (await newLicence(deps, a)).id });
    clock += 8 * DAY;
    const list = await openWatchItems(deps, await firmId(), { limit: 2 });
    expect(list.items).toHaveLength(2);
    expect(list.more).toBe(3);
    expect(list.counts.unactivated).toBe(5);
  });
});

describe("Madrid's calendar", () => {
  it("knows the day and the hour across summer time", () => {
    // 29 March 2026: clocks go from 02:00 to 03:00; 25 October 2026: from 03:00 back to 02:00.
    expect(madridDay(Date.UTC(2026, 2, 28, 23, 30))).toBe("2026-03-29");
    expect(madridTime(Date.UTC(2026, 2, 29, 12), 0, 8)).toBe(Date.UTC(2026, 2, 29, 6));
    expect(madridTime(Date.UTC(2026, 2, 28, 12), 0, 8)).toBe(Date.UTC(2026, 2, 28, 7));
    expect(madridTime(Date.UTC(2026, 9, 25, 12), 0, 8)).toBe(Date.UTC(2026, 9, 25, 7));
    expect(madridTime(Date.UTC(2026, 9, 24, 12), 0, 8)).toBe(Date.UTC(2026, 9, 24, 6));
    expect(nextWatchTime(Date.UTC(2026, 2, 28, 7, 0, 1), 8)).toBe(Date.UTC(2026, 2, 29, 6));
    expect(nextWatchTime(Date.UTC(2026, 9, 24, 5), 8)).toBe(Date.UTC(2026, 9, 24, 6));
    expect(madridDaysBetween(Date.UTC(2026, 10, 2, 23, 30), Date.UTC(2026, 10, 4, 12))).toBe(1);
  });
});
