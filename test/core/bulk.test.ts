import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseBulkLines } from "../../src/domain/bulk-lines.ts";
import {
  createLicence,
  createLicencesBulk,
  type Deps,
  listLicences,
  previewLicencesBulk,
} from "../../src/handlers/index.ts";
import { t } from "../../src/i18n/index.ts";
import { advisor, testDeps } from "../support/app.ts";
import { bulkPaste } from "../support/bulk.ts";
import { activateFirm, failure, newDni, newLicence } from "../support/fixtures.ts";

const text = (p: { lines: string; more: string }) => `${p.lines}\n${p.more}`;

describe("bulk lines", () => {
  it("are split at ; or tabs, never at commas; a header and blank lines are skipped; numbers are the paste's", () => {
    const lines = parseBulkLines(
      'NIF;Razón social;Correo electrónico;Persona de contacto;Teléfono\n\nB12345674;García, Pérez y Asociados, S.L.;a@b.es\r\n  \n12345678Z\tTabulada S.A.\tc@d.es\tAna\t600000000\n"B76543214";"Comillas ""El Faro""; S.L.";;"Luis";\n',
    );
    expect(lines.map((l) => l.line)).toEqual([3, 5, 6]);
    expect(lines[0]?.values).toEqual({
      taxId: "B12345674",
      name: "García, Pérez y Asociados, S.L.",
      email: "a@b.es",
      contactPerson: "",
      phone: "",
    });
    expect(lines[1]?.values).toEqual({
      taxId: "12345678Z",
      name: "Tabulada S.A.",
      email: "c@d.es",
      contactPerson: "Ana",
      phone: "600000000",
    });
    expect(lines[2]?.values.name).toBe('Comillas "El Faro"; S.L.');
    expect(lines[2]?.values.contactPerson).toBe("Luis");
    expect(lines.every((l) => !l.extra)).toBe(true);
    expect(parseBulkLines("a;b;c;d;e;f")[0]?.extra).toBe(true);
  });

  it("keep a first line that is a client, not a header", () => {
    expect(parseBulkLines("B12345674;Primera S.L.").map((l) => l.values.name)).toEqual(["Primera S.L."]);
  });
});

describe("bulk issue", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  const a = advisor("T0BULKFIRM");
  beforeEach(async () => {
    deps = await testDeps();
    await activateFirm(deps, a);
  });
  afterEach(async () => await deps.dispose());

  const audit = (action: string) => {
    const db = new Database(deps.dbPath, { readonly: true });
    try {
      return db.prepare("select details from audit_events where action = ?").all(action) as {
        details: string | null;
      }[];
    } finally {
      db.close();
    }
  };

  it("previews 50 lines: 45 accepted, 5 refused by line with the licence form's messages; nothing written", async () => {
    const existing = (await newLicence(deps, a)).client.taxId;
    const paste = bulkPaste(existing);
    expect(paste.lines.length).toBeLessThanOrEqual(3000);
    expect(paste.more.length).toBeLessThanOrEqual(3000);
    // Why the form has two fields: 50 realistic lines do not fit in Slack's 3000 characters.
    expect(text(paste).length).toBeGreaterThan(3000);
    const preview = await previewLicencesBulk(deps, a, { text: text(paste) });
    expect(preview.accepted).toBe(45);
    const refused = preview.lines.filter((l) => !l.ok);
    expect(refused.map((l) => l.line)).toEqual(paste.bad.map((b) => b.line));
    for (const [i, l] of refused.entries()) {
      if (l.ok) continue;
      expect(t("es", l.message, l.params ?? {})).toContain(paste.bad[i]?.error);
    }
    expect((await listLicences(deps, a)).total).toBe(1);
  });

  it("creates the 45 licences, reports the 5, audits each and the bulk; the same paste again creates none", async () => {
    const existing = (await newLicence(deps, a)).client.taxId;
    const paste = bulkPaste(existing, "\t");
    const result = await createLicencesBulk(deps, a, { text: text(paste) });
    expect(result.created.map((c) => c.licence.client.taxId)).toEqual(paste.good);
    expect(result.failed.map((f) => f.line)).toEqual([3, 10, 20, 30, 40]);
    expect((await listLicences(deps, a)).total).toBe(46);
    expect(audit("licence.created")).toHaveLength(46);
    expect(audit("licence.bulkCreated").map((r) => JSON.parse(r.details ?? "{}"))).toEqual([
      { lines: 50, created: 45, refused: 5, failed: 0 },
    ]);

    const again = await createLicencesBulk(deps, a, { text: text(paste) });
    expect(again.created).toEqual([]);
    const hasLicence = again.failed.filter((f) => f.message === "licence.clientHasLicence").map((f) => f.line);
    expect(hasLicence).toHaveLength(46);
    expect((await listLicences(deps, a)).total).toBe(46);
  });

  it("a line created meanwhile fails alone, and the others are created", async () => {
    const raced = newDni();
    const colleague = advisor("T0BULKFIRM");
    // The preview does not see the colleague's licence yet (it is created between preview and insert).
    const racing: Deps = {
      ...deps,
      store: {
        ...deps.store,
        getClientByTaxId: async (firmId, taxId) => {
          if (taxId === raced) {
            await createLicence(deps, colleague, { taxId: raced, name: "Creada por un compañero" });
            return undefined;
          }
          return await deps.store.getClientByTaxId(firmId, taxId);
        },
      },
    };
    const first = newDni();
    const result = await createLicencesBulk(racing, a, {
      text: `${first};Primera S.L.\n${raced};Carrera S.L.\n${newDni()};Tercera S.L.`,
    });
    expect(result.created.map((c) => c.line)).toEqual([1, 3]);
    expect(result.failed).toEqual([expect.objectContaining({ line: 2, message: "licence.clientHasLicence" })]);
  });

  it("refuses more than 50 lines, an empty paste and a comma-separated line", async () => {
    const many = Array.from({ length: 51 }, () => `${newDni()};Cliente S.L.`).join("\n");
    const err = await failure(async () => await previewLicencesBulk(deps, a, { text: many }));
    expect(err.fields).toEqual([{ field: "lines", message: "bulk.tooMany", params: { max: 50, count: 51 } }]);
    expect((await failure(async () => await previewLicencesBulk(deps, a, { text: " \n \n" }))).fields[0]?.message).toBe(
      "bulk.empty",
    );
    const comma = await previewLicencesBulk(deps, a, { text: `${newDni()},García S.L.,a@b.es` });
    expect(comma.lines[0]).toMatchObject({ ok: false, message: "bulk.line.separator" });
    expect((await listLicences(deps, a)).total).toBe(0);
  });

  it("is refused while the firm's feature is not active", async () => {
    const other = advisor("T0BULKNONE");
    const err = await failure(async () => await createLicencesBulk(deps, other, { text: `${newDni()};Cliente S.L.` }));
    expect(err.code).toBe("FEATURE_NOT_ACTIVE");
  });
});
