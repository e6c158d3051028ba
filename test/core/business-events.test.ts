import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  activateInstallation,
  createLicence,
  deactivateLicence,
  decideActivation,
  deleteLicence,
  reactivateLicence,
  requestActivation,
  revokeActivation,
  sendLicenceDetails,
  setSelfManaged,
  unlinkLicence,
} from "../../src/handlers/index.ts";
import { advisor, captureLogger, supportAgent, testDeps } from "../support/app.ts";
import { failure } from "../support/fixtures.ts";

interface Line {
  level: number;
  msg: string;
  event?: string;
  [key: string]: unknown;
}

describe("business events at info (an operator follows them without the database)", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let lines: string[];
  beforeEach(async () => {
    const captured = captureLogger("info");
    lines = captured.lines;
    deps = await testDeps({ logger: captured.logger });
  });
  afterEach(async () => await deps.dispose());

  const events = () =>
    lines.map((l) => JSON.parse(l) as Line).filter((l): l is Line & { event: string } => l.event !== undefined);

  it("one line per event, with ids, after it happened; nothing when it was refused", async () => {
    const a = advisor("T0EVENTS01", { userName: "Ana Pérez García" });
    const taxId = "B12345674";
    const email = "contacto@ferreteria.example.com";

    const first = await requestActivation(deps, a, { message: `Somos ${taxId}, escribid a ${email}` });
    await decideActivation(deps, supportAgent(), { requestId: first.id, decision: "reject", reason: "Falta contrato" });
    const req = await requestActivation(deps, a, { message: "Ya firmado" });
    await decideActivation(deps, supportAgent(), { requestId: req.id, decision: "approve" });
    // A second click on the same request changes nothing, so it is not an event.
    await failure(() => decideActivation(deps, supportAgent(), { requestId: req.id, decision: "approve" }));

    const licence = await createLicence(deps, a, {
      taxId,
      name: "Ferretería López S.L.",
      contactPerson: "Luis López",
      email,
      phone: "+34 600 123 456",
      notes: `Observaciones\n${taxId}`,
    });
    await setSelfManaged(deps, a, { taxId, selfManaged: true });
    await setSelfManaged(deps, a, { taxId, selfManaged: true }); // unchanged: no event
    await sendLicenceDetails(deps, a, { licenceId: licence.id });
    const activated = await activateInstallation(deps, {
      licenceNumber: licence.number,
      taxId,
      installationId: "install-events-0001",
    });
    expect(activated.code).toBe("ACTIVATED");
    await deactivateLicence(deps, a, { licenceId: licence.id });
    await reactivateLicence(deps, a, { licenceId: licence.id });
    await unlinkLicence(deps, a, { licenceId: licence.id });
    await deleteLicence(deps, a, { licenceId: licence.id });
    await revokeActivation(deps, supportAgent(), { firmId: req.firmId });

    const firmId = req.firmId;
    const got = events();
    expect(got.map((e) => e.event)).toEqual([
      "activation_requested",
      "activation_rejected",
      "activation_requested",
      "activation_approved",
      "licence_created",
      "self_managed_changed",
      "licence_details_sent",
      "installation_activated",
      "licence_deactivated",
      "licence_reactivated",
      "licence_unlinked",
      "licence_deleted",
      "firm_revoked",
    ]);
    expect(got.every((e) => e.level === 30)).toBe(true);
    expect(got[0]).toMatchObject({ msg: "activation requested", platform: "slack", firmId, requestId: first.id });
    expect(got[1]).toMatchObject({ firmId, requestId: first.id });
    expect(got[3]).toMatchObject({ firmId, requestId: req.id });
    expect(got[4]).toMatchObject({
      msg: "licence created",
      firmId,
      licenceId: licence.id,
      clientId: licence.client.id,
    });
    expect(got[5]).toMatchObject({ clientId: licence.client.id, selfManaged: true });
    expect(got[7]).toMatchObject({ licenceId: licence.id });
    expect(got[8]).toMatchObject({ licenceId: licence.id, selfManagedCleared: true });
    expect(got[12]).toMatchObject({ msg: "firm revoked", firmId });

    // No personal data: not even redacted placeholders, since nothing personal is logged at all.
    const all = lines.join("");
    for (const personal of [
      taxId,
      email,
      licence.number,
      "Ana Pérez",
      "Ferretería",
      "Luis López",
      "600 123",
      "REDACTED",
    ]) {
      expect(all).not.toContain(personal);
    }
  });

  it("a failed client-app activation is not an installation event", async () => {
    const out = await activateInstallation(deps, {
      licenceNumber: "7K3MX-4Q9TB-ZR2WN-8HJPA",
      taxId: "12345678Z",
      installationId: "install-events-0002",
    });
    expect(out.code).toBe("NOT_FOUND");
    expect(events()).toEqual([]);
  });
});
