import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImportNotifications } from "../../src/cli/import-notifications.ts";
import { isServiceError } from "../../src/errors.ts";
import {
  type Actor,
  findFirmByWorkspace,
  importNotifications,
  type LicenceRecord,
  listNotifications,
  resolveFirm,
} from "../../src/handlers/index.ts";
import { tempDir } from "../support/app.ts";
import { type ApiTestApp, activeFirm, issueLicence, newTaxId, startApiApp } from "./helpers.ts";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

let app: ApiTestApp;
let firm: Actor;
let a: LicenceRecord;
let b: LicenceRecord;
let files: { dir: string; remove: () => void };

beforeAll(async () => {
  app = await startApiApp();
  firm = await activeFirm(app.deps, "T0IMPORT01");
  a = await issueLicence(app.deps, firm);
  b = await issueLicence(app.deps, firm);
  files = tempDir();
});
afterAll(async () => {
  await app.dispose();
  files.remove();
});

/** A `;`-separated export as a Spanish Windows tool writes it: Windows-1252, CRLF, quotes, a line break in a field. */
function windowsFile(): Buffer {
  const dashed = `${b.client.taxId.slice(0, 8)}-${b.client.taxId.slice(8).toLowerCase()}`;
  const lines = [
    "NIF;Id;Organismo;Asunto;Fecha_Puesta_Disposicion;Fecha_Max_Lectura;Estado", // 1
    `${a.client.taxId};AEAT-001;AEAT;"Notificación ""urgente""; embargo de créditos";02/11/2026;12/11/2026;Pendiente`, // 2
    `${a.client.taxId};DGT-002;Dirección General de Tráfico;"Sanción 200 €\r\nsegunda línea";3/11/2026;;Leída`, // 3-4
    `${newTaxId()};SS-003;Seguridad Social;Alta;04/11/2026;;Pendiente`, // 5: not a client
    `${a.client.taxId};AEAT-004;AEAT;Fecha imposible;31/02/2026;;Pendiente`, // 6
    "12345678A;AEAT-005;AEAT;NIF mal;04/11/2026;;Pendiente", // 7
    `${a.client.taxId};AEAT-006;;Sin organismo;04/11/2026;;Pendiente`, // 8
    "", // 9
    `${dashed};DEHU-007;DEHú;Comunicación;2026-11-05;2026-11-15T23:59:00+01:00;Aceptada`, // 10
    `${b.client.taxId};AEAT-001;AEAT;Repetida;06/11/2026;;Pendiente`, // 11
    `${b.client.taxId};AEAT-008;AEAT`, // 12
  ];
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "windows-1252");
}

/** A `,`-separated UTF-8 export with a BOM. */
function utf8File(): Buffer {
  const text = [
    "id,nif,organismo,asunto,fecha_puesta_disposicion,fecha_max_lectura,estado",
    `CAT-100,${b.client.taxId},Agència Tributària de Catalunya,"Liquidació, IBI",2026-10-01,,Pendent`,
    `CAT-101,${b.client.taxId},Ayuntamiento de Logroño,Tasa de basuras,01/10/2026,,Pendiente`,
  ].join("\n");
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
}

/**
 * An a3ASESOR export: Windows-1252, two title lines above a header with its
 * own column names (accents, a dot, an extra column), `;` separated, CRLF.
 * The title lines hold commas and no `;`, so the delimiter must be read below them.
 */
function a3File(): Buffer {
  const lines = [
    "Notificaciones electrónicas, Asesoría Pérez, S.L.", // 1
    "Listado generado el 02/11/2026, página 1", // 2
    "Referencia;NIF;Cliente;Organismo;Asunto;Fecha puesta a disposición;FECHA MÁX. LECTURA;Estado", // 3
    `A3-900;${a.client.taxId};Cliente A;AEAT;Requerimiento de información;02/11/2026;12/11/2026;Pendiente`, // 4
    `A3-901;${b.client.taxId};Cliente B;DEHú;Resolución;03/11/2026;;Leída`, // 5
    `A3-902;${a.client.taxId};Cliente A;AEAT;Sin fecha;;;Pendiente`, // 6
  ];
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "windows-1252");
}

describe("importNotifications (the use case)", () => {
  it("reads an a3ASESOR export with --skip-rows 2 and its column names, in any case and accents", async () => {
    const report = await importNotifications(app.deps, { workspaceId: firm.workspaceId, data: a3File(), skipRows: 2 });
    expect(report).toMatchObject({ encoding: "windows-1252", delimiter: ";", rows: 3, imported: 2, unchanged: 0 });
    // Line numbers are the file's own, title lines included.
    expect(report.rejected).toEqual([{ line: 6, reason: "MISSING_FIELD", field: "fecha_puesta_disposicion" }]);
    const items = (await listNotifications(app.deps, firm, { limit: 100 })).items;
    expect(items.find((n) => n.externalId === "A3-900")).toMatchObject({
      clientId: a.client.id,
      organismo: "AEAT",
      asunto: "Requerimiento de información",
      fechaPuestaDisposicion: Date.UTC(2026, 10, 2, 12),
      fechaMaxLectura: Date.UTC(2026, 10, 12, 12),
      estado: "Pendiente",
    });
    expect(items.find((n) => n.externalId === "A3-901")).toMatchObject({ organismo: "DEHú", estado: "Leída" });

    // Without skipping, the first title line is taken for the header.
    const unskipped = async () =>
      await importNotifications(app.deps, { workspaceId: firm.workspaceId, data: a3File() });
    await expect(unskipped()).rejects.toThrow(
      expect.objectContaining({ code: "INVALID", messageId: "import.missingColumns" }),
    );
    for (const skipRows of [-1, 1.5, Number.NaN, 101]) {
      await expect(
        importNotifications(app.deps, { workspaceId: firm.workspaceId, data: a3File(), skipRows }),
      ).rejects.toThrow(expect.objectContaining({ code: "INVALID", messageId: "import.skipRowsInvalid" }));
    }
  });

  it("imports a Windows-1252 ;-separated file, reporting each rejected line; a second run adds nothing", async () => {
    const report = await importNotifications(app.deps, { workspaceId: firm.workspaceId, data: windowsFile() });
    expect(report).toMatchObject({ encoding: "windows-1252", delimiter: ";", rows: 9, imported: 3, unchanged: 0 });
    expect(report.rejected).toEqual([
      { line: 5, reason: "UNKNOWN_CLIENT", field: "nif" },
      { line: 6, reason: "INVALID_DATE", field: "fecha_puesta_disposicion" },
      { line: 7, reason: "INVALID_TAX_ID", field: "nif" },
      { line: 8, reason: "MISSING_FIELD", field: "organismo" },
      { line: 11, reason: "DUPLICATE_ID", field: "id", params: { first: 2 } },
      { line: 12, reason: "FIELD_COUNT", params: { expected: 7, found: 3 } },
    ]);

    const items = (await listNotifications(app.deps, firm, { limit: 50 })).items;
    const byId = new Map(items.map((n) => [n.externalId, n]));
    expect(byId.get("AEAT-001")).toMatchObject({
      clientId: a.client.id,
      asunto: 'Notificación "urgente"; embargo de créditos',
      fechaPuestaDisposicion: Date.UTC(2026, 10, 2, 12),
      fechaMaxLectura: Date.UTC(2026, 10, 12, 12),
      estado: "Pendiente",
      selfManaged: false,
    });
    expect(byId.get("DGT-002")).toMatchObject({
      organismo: "Dirección General de Tráfico",
      asunto: "Sanción 200 €\r\nsegunda línea",
      fechaMaxLectura: null,
      estado: "Leída",
    });
    expect(byId.get("DEHU-007")).toMatchObject({
      clientId: b.client.id,
      organismo: "DEHú",
      fechaMaxLectura: Date.UTC(2026, 10, 15, 22, 59),
    });

    const again = await importNotifications(app.deps, { workspaceId: firm.workspaceId, data: windowsFile() });
    expect(again).toMatchObject({ imported: 0, unchanged: 3 });
    expect(again.rejected).toEqual(report.rejected);
    expect((await listNotifications(app.deps, firm, { limit: 50 })).items).toHaveLength(items.length);
  });

  it("reads UTF-8 with a BOM, ,-separated, header in lower case", async () => {
    const report = await importNotifications(app.deps, { workspaceId: firm.workspaceId, data: utf8File() });
    expect(report).toMatchObject({ encoding: "utf-8", delimiter: ",", rows: 2, imported: 2, rejected: [] });
    const items = (await listNotifications(app.deps, firm, { taxId: b.client.taxId, limit: 50 })).items;
    expect(items.map((n) => n.organismo)).toEqual(
      expect.arrayContaining(["Agència Tributària de Catalunya", "Ayuntamiento de Logroño"]),
    );
    expect(items.find((n) => n.externalId === "CAT-100")?.asunto).toBe("Liquidació, IBI");
  });

  it("refuses a file without the required columns, and an unknown workspace", async () => {
    const noColumns = async () =>
      await importNotifications(app.deps, {
        workspaceId: firm.workspaceId,
        data: Buffer.from("id;nif;asunto\n1;2;3\n"),
      });
    await expect(noColumns()).rejects.toThrow(
      expect.objectContaining({ code: "INVALID", messageId: "import.missingColumns" }),
    );
    const unknown = async () => await importNotifications(app.deps, { workspaceId: "T0NOBODY99", data: utf8File() });
    await expect(unknown()).rejects.toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("finds a firm by Slack workspace id or Teams tenant id, in any case, never creating one", async () => {
    const tenant = "6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c";
    const teamsFirm = await resolveFirm(app.deps, "teams", tenant, "Asesoría Teams");
    expect((await findFirmByWorkspace(app.deps, tenant.toUpperCase())).id).toBe(teamsFirm.id);
    expect((await findFirmByWorkspace(app.deps, ` ${firm.workspaceId.toLowerCase()} `)).name).toBe(firm.workspaceName);
    try {
      await findFirmByWorkspace(app.deps, "T0NEVERSEEN");
      expect.unreachable();
    } catch (err) {
      expect(isServiceError(err) && err.code).toBe("NOT_FOUND");
    }
    expect(await app.deps.store.findFirm("slack", "T0NEVERSEEN")).toBeUndefined();
  });
});

describe("npm run import:notifications (the command)", () => {
  it("runs as a real process: prints a summary and each rejected line; a second run adds nothing", async () => {
    const other = await activeFirm(app.deps, "T0IMPORT02");
    const c = await issueLicence(app.deps, other);
    const file = join(files.dir, "notificaciones.csv");
    writeFileSync(
      file,
      iconv.encode(
        [
          "id;nif;organismo;asunto;fecha_puesta_disposicion;fecha_max_lectura;estado",
          `P-1;${c.client.taxId};AEAT;Requerimiento;01/11/2026;11/11/2026;Pendiente`,
          `P-2;${c.client.taxId};Tesorería General;Reclamación;02/11/2026;;Pendiente`,
          `P-3;${a.client.taxId};AEAT;Cliente de otro despacho;02/11/2026;;Pendiente`,
        ].join("\r\n"),
        "windows-1252",
      ),
    );
    const cli = () =>
      run(
        process.execPath,
        [join(root, "node_modules/tsx/dist/cli.mjs"), "src/cli/import-notifications.ts", "--firm", "T0IMPORT02", file],
        { cwd: root, env: { ...app.database.env, DEFAULT_LOCALE: "en" } },
      );
    const first = await cli();
    expect(first.stdout.split("\n")).toEqual([
      `Firm: ${other.workspaceName} (Windows-1252 file, separator “;”)`,
      "Rows read: 3 · imported: 2 · already there: 0 · rejected: 1",
      "Line 4: the NIF is not a client of this firm",
      "",
    ]);
    const second = await cli();
    expect(second.stdout).toContain("Rows read: 3 · imported: 0 · already there: 2 · rejected: 1");
    const items = (await listNotifications(app.deps, other, { limit: 50 })).items;
    expect(items.map((n) => n.externalId).sort()).toEqual(["P-1", "P-2"]);
    expect(items.find((n) => n.externalId === "P-2")?.organismo).toBe("Tesorería General");
  }, 30_000);

  it("exits non-zero only on fatal errors", async () => {
    const file = join(files.dir, "ok.csv");
    writeFileSync(file, utf8File());
    const env = app.database.env;
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
    };

    const usage = io();
    expect(await runImportNotifications([file], env, usage.io)).toBe(2);
    expect(usage.err.join("\n")).toContain("--firm");

    const unknown = io();
    expect(await runImportNotifications(["--firm", "T0NOBODY99", file], env, unknown.io)).toBe(1);
    expect(unknown.err).toEqual(["No hay ningún despacho con ese id de workspace de Slack o tenant de Teams."]);

    const missing = io();
    expect(await runImportNotifications(["--firm", "T0IMPORT01", join(files.dir, "nope.csv")], env, missing.io)).toBe(
      1,
    );
    expect(missing.err.join("\n")).toContain("ENOENT");

    const noHeader = io();
    const empty = join(files.dir, "empty.csv");
    writeFileSync(empty, "\r\n\r\n");
    expect(await runImportNotifications(["--firm=T0IMPORT01", empty], env, noHeader.io)).toBe(1);

    const noDatabase = io();
    const elsewhere = { DATABASE_PATH: join(files.dir, "missing", "db.sqlite") };
    expect(await runImportNotifications(["--firm", "T0IMPORT01", file], elsewhere, noDatabase.io)).toBe(1);

    // --skip-rows, and only DATABASE_PATH needed: Slack settings that would stop the server do not matter.
    const a3 = join(files.dir, "a3.csv");
    writeFileSync(a3, a3File());
    const skipped = io();
    const slackBroken = { ...env, SLACK_BOT_TOKEN: "not-a-token", SLACK_CLIENT_ID: "x", PORT: "nope" };
    expect(
      await runImportNotifications(["--firm", "T0IMPORT01", "--skip-rows", "2", a3], slackBroken, skipped.io),
    ).toBe(0);
    expect(skipped.err).toEqual([]);
    expect(skipped.out[1]).toMatch(/^Filas leídas: 3 · /);
    const badSkip = io();
    expect(await runImportNotifications(["--firm", "T0IMPORT01", "--skip-rows=dos", a3], env, badSkip.io)).toBe(1);
    expect(badSkip.err).toEqual(["--skip-rows debe ser un número entero entre 0 y 100."]);
    const badLocale = io();
    expect(
      await runImportNotifications(["--firm", "T0IMPORT01", a3], { ...env, DEFAULT_LOCALE: "fr" }, badLocale.io),
    ).toBe(1);
    expect(badLocale.err.join("\n")).toContain("DEFAULT_LOCALE");

    // Rejected rows are not fatal.
    const rejected = io();
    const bad = join(files.dir, "bad.csv");
    writeFileSync(bad, "id,nif,organismo,asunto,fecha_puesta_disposicion,estado\nX-1,00000000A,AEAT,A,01/01/2026,P\n");
    expect(await runImportNotifications(["--firm", "T0IMPORT01", bad], env, rejected.io)).toBe(0);
    expect(rejected.out.at(-1)).toBe("Línea 2: el NIF no es válido");
  });
});
