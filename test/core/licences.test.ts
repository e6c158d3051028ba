import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseLicenceNumber } from "../../src/domain/licence-number.ts";
import {
  activateInstallation,
  createLicence,
  deactivateLicence,
  deleteLicence,
  getActivationStatus,
  getClient,
  getHistory,
  getLicence,
  listClients,
  listFirms,
  listLicences,
  MAILTO_MAX,
  reactivateLicence,
  revokeActivation,
  sendLicenceDetails,
  setSelfManaged,
  unlinkLicence,
} from "../../src/handlers/index.ts";
import { advisor, supportAgent, testDeps } from "../support/app.ts";
import { activateFirm, failure, newDni, newLicence } from "../support/fixtures.ts";

describe("licences", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  const a = advisor("T0LICFIRM1");
  beforeEach(async () => {
    deps = await testDeps();
    await activateFirm(deps, a);
  });
  afterEach(async () => await deps.dispose());

  it("are refused while the firm's feature is not active", async () => {
    const other = advisor("T0INACTIVE");
    const err = await failure(async () => await newLicence(deps, other));
    expect(err.code).toBe("FEATURE_NOT_ACTIVE");
    expect((await listClients(deps, other)).items).toHaveLength(0);
  });

  it("validate every field with a message on the field, and save nothing", async () => {
    const err = await failure(
      async () =>
        await createLicence(deps, a, { taxId: "12345678A", name: " ", email: "no-es-correo", phone: "abc", notes: "" }),
    );
    expect(err.code).toBe("INVALID");
    expect(err.fields.map((f) => [f.field, f.message])).toEqual([
      ["taxId", "field.taxId.invalid"],
      ["name", "field.name.required"],
      ["email", "field.email.invalid"],
      ["phone", "field.phone.invalid"],
    ]);
    expect((await failure(async () => await createLicence(deps, a, { taxId: "", name: "x" }))).fields[0]?.message).toBe(
      "field.taxId.required",
    );
    expect((await listClients(deps, a)).items).toHaveLength(0);
  });

  it("create the client by normalised tax id, one live licence per client", async () => {
    const l = await createLicence(deps, a, {
      taxId: " b-1234567 4 ",
      name: "Talleres Pérez S.A.",
      email: "INFO@Talleres.example.com",
    });
    expect(l.client.taxId).toBe("B12345674");
    expect(l.client.email).toBe("info@talleres.example.com");
    expect(l.state).toBe("active");
    expect(l.linked).toBe(false);
    expect(parseLicenceNumber(l.number)).toBe(l.number);
    const dup = await failure(async () => await createLicence(deps, a, { taxId: "B12345674", name: "Otra" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.fields).toEqual([{ field: "taxId", message: "licence.clientHasLicence" }]);
    // After deleting it, the client can get a new licence with a new number; its data is updated.
    await deleteLicence(deps, a, { licenceId: l.id });
    const again = await createLicence(deps, a, { taxId: "B12345674", name: "Talleres Pérez Hermanos S.A." });
    expect(again.number).not.toBe(l.number);
    expect(again.client.id).toBe(l.client.id);
    expect(again.client.name).toBe("Talleres Pérez Hermanos S.A.");
  });

  it("retry the number while the random source repeats itself, never reusing one", async () => {
    let calls = 0;
    // The first two licences draw the same bytes: the second must draw again.
    deps.randomBytes = (n) => new Uint8Array(n).fill(calls++ < 2 ? 7 : calls);
    const first = await newLicence(deps, a);
    const second = await newLicence(deps, a);
    expect(second.number).not.toBe(first.number);
    expect(calls).toBe(3);
    // A source stuck on one value gives up with a clear error instead of looping.
    deps.randomBytes = (n) => new Uint8Array(n).fill(7);
    expect((await failure(async () => await newLicence(deps, a))).messageId).toBe("licence.numberExhausted");
    expect((await listLicences(deps, a)).total).toBe(2);
  });

  it("go through deactivate, reactivate, unlink and delete with the self-managed rules", async () => {
    const l = await newLicence(deps, a);
    const taxId = l.client.taxId;
    expect((await setSelfManaged(deps, a, { taxId, selfManaged: true })).changed).toBe(true);

    // Deactivating clears the flag and says so.
    const d = await deactivateLicence(deps, a, { text: taxId });
    expect(d.licence.state).toBe("deactivated");
    expect(d.selfManagedCleared).toBe(true);
    expect((await getClient(deps, a, { taxId })).selfManaged).toBe(false);
    expect((await failure(async () => await deactivateLicence(deps, a, { licenceId: l.id }))).messageId).toBe(
      "licence.alreadyDeactivated",
    );
    // Cannot be set on a deactivated licence.
    const refused = await failure(async () => await setSelfManaged(deps, a, { taxId, selfManaged: true }));
    expect(refused.fields[0]).toEqual({ field: "selfManaged", message: "client.selfManagedNeedsLicence" });

    // Reactivating does not set it back.
    const r = await reactivateLicence(deps, a, { text: l.number });
    expect(r.licence.state).toBe("active");
    expect(r.licence.client.selfManaged).toBe(false);
    await setSelfManaged(deps, a, { taxId, selfManaged: true });

    // Unlinking needs a link, and leaves the flag.
    expect((await failure(async () => await unlinkLicence(deps, a, { licenceId: l.id }))).messageId).toBe(
      "licence.notLinked",
    );
    expect(
      (await activateInstallation(deps, { licenceNumber: l.number, taxId, installationId: "machine-hash-0001" })).code,
    ).toBe("ACTIVATED");
    expect((await getLicence(deps, a, { licenceId: l.id })).linked).toBe(true);
    const u = await unlinkLicence(deps, a, { licenceId: l.id });
    expect(u.licence.linked).toBe(false);
    expect(u.licence.client.selfManaged).toBe(true);
    expect(u.selfManagedCleared).toBe(false);

    // Deleting clears it, removes the licence from lists, keeps the history.
    const del = await deleteLicence(deps, a, { licenceId: l.id });
    expect(del.selfManagedCleared).toBe(true);
    expect((await listLicences(deps, a)).items).toHaveLength(0);
    expect((await failure(async () => await getLicence(deps, a, { licenceId: l.id }))).code).toBe("NOT_FOUND");
    expect((await failure(async () => await deleteLicence(deps, a, { licenceId: l.id }))).code).toBe("NOT_FOUND");
    const clients = (await listClients(deps, a)).items;
    expect(clients).toHaveLength(1);
    expect(clients[0]?.licence).toBeNull();
    expect(clients[0]?.selfManaged).toBe(false);

    const history = await getHistory(deps, a, { text: l.number });
    expect(history.events.map((e) => e.action).reverse()).toEqual([
      "client.created",
      "licence.created",
      "client.selfManagedSet",
      "client.selfManagedCleared",
      "licence.deactivated",
      "licence.reactivated",
      "client.selfManagedSet",
      "installation.bound",
      "licence.unlinked",
      "client.selfManagedCleared",
      "licence.deleted",
    ]);
    expect(history.events.every((e) => e.createdAt > 0 && e.actorId.length > 0)).toBe(true);
    expect((await getHistory(deps, a, { text: taxId })).events).toHaveLength(11);
  });

  it("stop counting clients as self-managed when support revokes the firm", async () => {
    const l = await newLicence(deps, a);
    const other = await newLicence(deps, a);
    await setSelfManaged(deps, a, { taxId: l.client.taxId, selfManaged: true });
    const firm = await revokeActivation(deps, supportAgent(), { firmId: l.firmId });
    expect(firm.selfManagedCleared).toBe(1);
    expect((await getClient(deps, a, { taxId: l.client.taxId })).selfManaged).toBe(false);
    expect((await getClient(deps, a, { taxId: other.client.taxId })).selfManaged).toBe(false);
    // While revoked, the tick cannot be set again.
    const refused = await failure(
      async () => await setSelfManaged(deps, a, { taxId: l.client.taxId, selfManaged: true }),
    );
    expect(refused.code).toBe("FEATURE_NOT_ACTIVE");
    expect((await getHistory(deps, a, { text: l.client.taxId })).events[0]).toMatchObject({
      action: "client.selfManagedCleared",
      details: { cause: "activation.revoked" },
    });
  });

  it("are counted per firm for support, live ones only, with every workspace of the firm", async () => {
    const b = advisor("T0LICFIRM2", { workspaceName: "Asesoría Beta" });
    await activateFirm(deps, b);
    await newLicence(deps, a);
    const gone = await newLicence(deps, a);
    await newLicence(deps, a);
    await newLicence(deps, b);
    await deleteLicence(deps, a, { licenceId: gone.id });
    await getActivationStatus(deps, advisor("T0NOFIRM01"));
    const rows = (await listFirms(deps, supportAgent(), { limit: 50 })).items;
    const byWorkspace = new Map(rows.map((f) => [f.workspaces[0]?.externalId, f]));
    expect(byWorkspace.get("T0LICFIRM1")).toMatchObject({
      activationState: "active",
      licences: 2,
      workspaces: [{ platform: "slack", externalId: "T0LICFIRM1" }],
    });
    expect(byWorkspace.get("T0LICFIRM2")).toMatchObject({ name: "Asesoría Beta", licences: 1 });
    expect(byWorkspace.get("T0NOFIRM01")).toMatchObject({ activationState: "not_requested", licences: 0 });
  });

  it("cannot tick self-managed for a client without a licence, nor for an unknown client", async () => {
    expect(
      (await failure(async () => await setSelfManaged(deps, a, { taxId: newDni(), selfManaged: true }))).code,
    ).toBe("NOT_FOUND");
    expect((await failure(async () => await setSelfManaged(deps, a, { taxId: "nope", selfManaged: true }))).code).toBe(
      "INVALID",
    );
  });

  it("page by key through clients and licences in name order", async () => {
    const names = Array.from({ length: 23 }, (_, i) => `Cliente ${String(i).padStart(2, "0")}`);
    for (const name of [...names].reverse()) await newLicence(deps, a, { name });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listLicences(deps, a, { after, limit: 10 });
      expect(page.total).toBe(23);
      seen.push(...page.items.map((l) => l.client.name));
      after = page.next;
    } while (after);
    expect(seen).toEqual(names);
    const clientPage = await listClients(deps, a, { limit: 5 });
    expect(clientPage.items.map((c) => c.name)).toEqual(names.slice(0, 5));
    expect((await listClients(deps, a, { limit: 5, after: clientPage.next })).items[0]?.name).toBe(names[5]);
  });

  it("give the licence details with a mailto draft under 2,000 characters, in the advisor's language", async () => {
    const l = await newLicence(deps, a, { name: "Ñandú & Cía <S.L.>" });
    const es = await sendLicenceDetails(deps, a, { licenceId: l.id });
    expect(es.number).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    expect(es.instructions).toContain("https://descargas.example.com/pymes");
    expect(es.instructions).toContain(es.number);
    expect(es.mailto.startsWith("mailto:ana@ferreteria.example.com?subject=")).toBe(true);
    expect(decodeURIComponent(es.mailto)).toContain(es.number);
    expect(es.mailto.length).toBeLessThan(MAILTO_MAX);
    const en = await sendLicenceDetails(deps, { ...a, locale: "en" }, { licenceId: l.id });
    expect(en.instructions).toContain("Download and install");
    const long = await newLicence(deps, a, { name: "X".repeat(200) });
    const d = await sendLicenceDetails(deps, a, { licenceId: long.id });
    expect(d.mailto.length).toBeLessThan(MAILTO_MAX);
    expect(decodeURIComponent(d.mailto)).toContain(d.number);
    expect((await getHistory(deps, a, { text: l.number })).events[0]?.action).toBe("licence.detailsSent");
  });
});

describe("tenant isolation", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  afterEach(async () => await deps.dispose());

  it("a firm passing another firm's ids, numbers or tax ids can neither read nor change anything", async () => {
    deps = await testDeps();
    const mine = advisor("T0MINE0001");
    const theirs = advisor("T0THEIRS01");
    await activateFirm(deps, mine);
    await activateFirm(deps, theirs);
    const l = await newLicence(deps, theirs);
    await setSelfManaged(deps, theirs, { taxId: l.client.taxId, selfManaged: true });
    const targets = [{ licenceId: l.id }, { text: l.number }, { text: l.client.taxId }];
    for (const target of targets) {
      for (const op of [
        getLicence,
        deactivateLicence,
        reactivateLicence,
        unlinkLicence,
        deleteLicence,
        sendLicenceDetails,
      ]) {
        await expect(async () => await op(deps, mine, target)).rejects.toMatchObject({ code: "NOT_FOUND" });
      }
    }
    await expect(async () => await getClient(deps, mine, { taxId: l.client.taxId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      async () => await setSelfManaged(deps, mine, { taxId: l.client.taxId, selfManaged: false }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(async () => await getHistory(deps, mine, { text: l.number })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await listLicences(deps, mine)).items).toHaveLength(0);
    expect((await listClients(deps, mine)).items).toHaveLength(0);
    // The same tax id is a different client in my firm.
    const same = await createLicence(deps, mine, { taxId: l.client.taxId, name: "Mi cliente" });
    expect(same.client.id).not.toBe(l.client.id);
    // Theirs is untouched.
    const still = await getLicence(deps, theirs, { licenceId: l.id });
    expect(still.state).toBe("active");
    expect(still.client.selfManaged).toBe(true);
    expect(still.client.name).toBe("Ferretería López S.L.");
  });
});
