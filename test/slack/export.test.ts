import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv.ts";
import { formatLicenceNumber } from "../../src/domain/licence-number.ts";
import {
  type Actor,
  activateInstallation,
  createExportLink,
  createLicence,
  EXPORT_TTL_MS,
  sendLicenceDetails,
  setSelfManaged,
} from "../../src/handlers/index.ts";
import { startTestApp, supportAgent, type TestApp } from "../support/app.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";
import { openSql } from "../support/sql.ts";
import { type TestDatabase, testDatabase } from "../support/storage.ts";
import { type FakeSlack, type FakeUser, startFakeSlack } from "./fake-slack.ts";
import { SECRET, SUPPORT_CHANNEL, TEAM, TOKEN } from "./setup.ts";
import { blockText, buttons, SlackSim } from "./slack-sim.ts";

type Json = Record<string, unknown>;

/** dd/mm/yyyy in Europe/Madrid, as the CSV writes dates. */
function madrid(ms: number): string {
  return new Intl.DateTimeFormat("es-ES", {
    timeZone: "Europe/Madrid",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(new Date(ms));
}

/** The CSV's bytes: its BOM, its text after it, and its records (the project's own reader, RFC 4180). */
async function readCsv(res: Response): Promise<{ bom: number[]; text: string; rows: string[][] }> {
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.subarray(3).toString("utf8");
  return { bom: [...bytes.subarray(0, 3)], text, rows: parseCsv(text, ";").records.map((r) => r.fields) };
}

/**
 * "/licencias exportar" in one Slack workspace, with the clock injected: the
 * ephemeral answer's link, the CSV it gives once, and what every later or
 * foreign request gets instead.
 */
describe("Slack: exportar", () => {
  let fake: FakeSlack;
  let app: TestApp;
  let sim: SlackSim;
  let ana: FakeUser;
  let john: FakeUser;
  let actor: Actor;
  /** Added to the real time: signatures stay fresh while the links age. */
  let shift = 0;
  let database: TestDatabase;
  const tokens: string[] = [];
  const formula = "=cmd|' /C calc'!A0";
  const tricky = 'Gómez; "Hermanos" S.L.';
  let number = "";
  let taxIds: string[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
    app = await startTestApp(
      {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: TOKEN,
        SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
        ...database.env,
      },
      { slackClientOptions: { slackApiUrl: fake.apiUrl }, now: () => Date.now() + shift },
    );
    sim = new SlackSim(app.url, SECRET, fake);
    ana = fake.addUser({ id: "U0EXPORT01", teamId: TEAM, name: "Ana", locale: "es-ES" });
    john = fake.addUser({ id: "U0EXPORT02", teamId: TEAM, name: "John", locale: "en-GB" });
    actor = { platform: "slack", workspaceId: TEAM, userId: ana.id, locale: "es", channelId: "C0GENERAL1" };
    await activateFirm(app.deps, actor, supportAgent({ workspaceId: TEAM, channelId: SUPPORT_CHANNEL }));
    const first = await createLicence(app.deps, actor, {
      taxId: "B12345674",
      name: tricky,
      contactPerson: "Luis\nGómez",
      email: "luis@gomez.example",
      phone: "+34 600 000 001",
    });
    number = formatLicenceNumber(first.number);
    await createLicence(app.deps, actor, { taxId: newDni(), name: formula, contactPerson: "@risky" });
    const third = await createLicence(app.deps, actor, { taxId: newDni(), name: "Zapatería Ruiz" });
    taxIds = ["B12345674", third.client.taxId];
    await sendLicenceDetails(app.deps, actor, { licenceId: first.id });
    const bound = await activateInstallation(app.deps, {
      licenceNumber: number,
      taxId: "B12345674",
      installationId: "install-export-0001",
    });
    expect(bound.code).toBe("ACTIVATED");
    await setSelfManaged(app.deps, actor, { taxId: "B12345674", selfManaged: true });
  });
  afterAll(async () => {
    await app?.dispose();
    await fake?.close();
    await database?.dispose();
  });

  /** `/licencias <text>` and the ephemeral answer, with the link of its button. */
  async function exportar(user: FakeUser, text = "exportar"): Promise<{ body: Json; text: string; url?: string }> {
    // Signed at the app's time, so that the signature stays fresh while the clock is moved on.
    const cmd = await sim.command(user, text, "C0GENERAL1", { timestamp: Math.floor((Date.now() + shift) / 1000) });
    expect(cmd.status).toBe(200);
    const body = sim.lastAnswer(cmd.responseUrl);
    const url = buttons(body.blocks).find((b) => b.url)?.url;
    if (url) tokens.push(url.slice(url.lastIndexOf("/") + 1));
    return { body, text: blockText(body.blocks), ...(url ? { url } : {}) };
  }

  it("answers ephemerally with a link button to the bot's own server", async () => {
    const posted = fake.calls.filter((c) => c.method === "chat.postMessage").length;
    const answer = await exportar(ana);
    expect(answer.body.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Exportación de clientes y licencias");
    expect(answer.text).toContain("Sirve una sola vez y caduca en 10 minutos");
    expect(answer.url).toMatch(new RegExp(`^${app.url}/export/[A-Za-z0-9_-]{43}$`));
    // A button, not a link in the text (which Slack could fetch to unfurl, using it up).
    expect(JSON.stringify(answer.body)).not.toMatch(/<http[^>]*export/);
    // Nothing went to a DM or a channel.
    expect(fake.calls.filter((c) => c.method === "chat.postMessage")).toHaveLength(posted);
    expect(fake.failures).toEqual([]);
  });

  it("serves the CSV once: BOM, ';', CRLF, dd/mm/yyyy, formulas defused, quotes and ';' kept; then 410", async () => {
    const { url } = await exportar(ana);
    const res = await fetch(url ?? "");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Madrid" }).format(new Date());
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="licencias-pymes-${today}.csv"`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const csv = await readCsv(res);
    expect(csv.bom).toEqual([0xef, 0xbb, 0xbf]);
    // Every line ends in CRLF; the only bare LF is inside the quoted contact person.
    expect(csv.text.endsWith("\r\n")).toBe(true);
    expect(csv.text.replace(/\r\n/g, "").split("\n")).toHaveLength(2);
    expect(csv.rows[0]).toEqual([
      "NIF",
      "Razón social",
      "Persona de contacto",
      "Correo electrónico",
      "Teléfono",
      "Licencia",
      "Estado",
      "Vinculada",
      "Fecha de alta",
      "Datos enviados",
      "Gestiona sus propias notificaciones",
      "Último contacto de la app",
    ]);
    const today_ = madrid(Date.now());
    // By name: the formula first ("=" sorts before letters), then Gómez, then Zapatería.
    expect(csv.rows.slice(1).map((r) => r[1])).toEqual([`'${formula}`, tricky, "Zapatería Ruiz"]);
    const formulaRow = csv.rows[1] ?? [];
    expect(formulaRow[2]).toBe("'@risky");
    expect(formulaRow.slice(6, 8)).toEqual(["Activa", "No"]);
    expect(csv.rows[2]).toEqual([
      "B12345674",
      tricky,
      "Luis\nGómez",
      "luis@gomez.example",
      "'+34 600 000 001",
      number,
      "Activa",
      "Sí",
      today_,
      today_,
      "Sí",
      today_,
    ]);
    // On the wire: the name with ';' and quotes is quoted, its quotes doubled.
    expect(csv.text).toContain(`;"Gómez; ""Hermanos"" S.L.";`);
    expect(csv.text).toContain(`;'${formula};'@risky;`);

    const again = await fetch(url ?? "");
    expect(again.status).toBe(410);
    expect(again.headers.get("content-type")).toMatch(/^text\/html/);
    expect(again.headers.get("cache-control")).toBe("no-store");
    const page = await again.text();
    expect(page).toContain('<html lang="es">');
    expect(page).toContain("Este enlace ya se ha usado");
    expect(page).toContain("Pide uno nuevo escribiendo «exportar»");
  });

  it("a link not opened within 10 minutes has expired (410), in the link's language", async () => {
    const { url } = await exportar(john, "export");
    shift = EXPORT_TTL_MS;
    try {
      const res = await fetch(url ?? "");
      expect(res.status).toBe(410);
      const page = await res.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain("This link has expired");
    } finally {
      shift = 0;
    }
    // Just inside the ten minutes it still works.
    const fresh = await exportar(john, "export");
    shift = EXPORT_TTL_MS - 1000;
    try {
      const res = await fetch(fresh.url ?? "");
      expect(res.status).toBe(200);
      // The English header.
      expect((await readCsv(res)).rows[0]?.slice(0, 3)).toEqual(["Tax id", "Company name", "Contact person"]);
    } finally {
      shift = 0;
    }
  });

  it("unknown, malformed and odd tokens get a 404 page, never a 5xx; other methods a 405", async () => {
    const unknown = "A".repeat(43);
    for (const path of [unknown, "abc", "x".repeat(5000), "%00", "..%2F..%2Fetc", "a.b", `${unknown}%20`]) {
      const res = await fetch(`${app.url}/export/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      expect(await res.text(), path).toContain("<!doctype html>");
    }
    // A path express cannot decode is its 400, as anywhere else on the server.
    expect((await fetch(`${app.url}/export/%E0%A4%A`)).status).toBe(400);
    const page = await (await fetch(`${app.url}/export/${unknown}`)).text();
    expect(page).toContain("Este enlace de exportación no existe");
    const english = await fetch(`${app.url}/export/${unknown}`, { headers: { "accept-language": "en-US,en;q=0.8" } });
    expect(await english.text()).toContain("This export link does not exist");
    // A HEAD (a link checker) leaves the link as it was.
    const { url } = await exportar(ana);
    expect((await fetch(url ?? "", { method: "HEAD" })).status).toBe(405);
    expect((await fetch(url ?? "", { method: "POST" })).status).toBe(405);
    expect((await fetch(url ?? "")).status).toBe(200);
  });

  it("two requests at once: exactly one gets the CSV", async () => {
    const { url } = await exportar(ana);
    const results = await Promise.all(Array.from({ length: 5 }, () => fetch(url ?? "")));
    const statuses = results.map((r) => r.status).sort();
    await Promise.all(results.map((r) => r.arrayBuffer()));
    expect(statuses).toEqual([200, 410, 410, 410, 410]);
  });

  it("a link of another firm gives that firm's clients only", async () => {
    const other: Actor = { platform: "slack", workspaceId: "T0OTHER001", userId: "U0OTHER001", locale: "es" };
    await activateFirm(app.deps, other, supportAgent({ workspaceId: TEAM, channelId: SUPPORT_CHANNEL }));
    await createLicence(app.deps, other, { taxId: newDni(), name: "Cliente De Otra Firma" });
    const link = await createExportLink(app.deps, other);
    tokens.push(link.url.slice(link.url.lastIndexOf("/") + 1));
    const csv = await readCsv(await fetch(link.url));
    expect(csv.rows.slice(1).map((r) => r[1])).toEqual(["Cliente De Otra Firma"]);
    for (const taxId of taxIds) expect(csv.text).not.toContain(taxId);
    expect(csv.text).not.toContain("Gómez");
  });

  it("bounds the live links of a person, and refuses guests", async () => {
    const busy = fake.addUser({ id: "U0EXPORT03", teamId: TEAM, name: "Busy", locale: "es-ES" });
    for (let i = 0; i < 3; i++) expect((await exportar(busy)).url).toBeDefined();
    const refused = await exportar(busy);
    expect(refused.url).toBeUndefined();
    expect(refused.text).toContain("Ya tienes varios enlaces de exportación sin usar");
    // Once they expire, a new one can be asked for.
    shift = EXPORT_TTL_MS + 1;
    try {
      expect((await exportar(busy)).url).toBeDefined();
    } finally {
      shift = 0;
    }
    const guest = fake.addUser({ id: "U0EXPORT04", teamId: TEAM, restricted: true, locale: "es-ES" });
    const answer = await exportar(guest);
    expect(answer.url).toBeUndefined();
    expect(answer.text).toContain("Los invitados");
    expect(answer.body.response_type).toBe("ephemeral");
  });

  it("audits each link and download without personal data, and never logs a token, a tax id or an e-mail", async () => {
    const db = await openSql(database.target);
    try {
      const rows = await db.all<{ action: string; actor_id: string; details: string | null }>(
        "select action, actor_id, details from audit_events where action like 'firm.export%' order by id",
      );
      expect(rows.filter((r) => r.action === "firm.exported").length).toBeGreaterThanOrEqual(8);
      expect(rows.filter((r) => r.action === "firm.exportDownloaded").length).toBeGreaterThanOrEqual(4);
      expect(rows.every((r) => r.details === null)).toBe(true);
    } finally {
      await db.close();
    }
    // Only hashes are stored: a link is found by its hash, never by its token.
    for (const token of tokens) {
      expect(await app.deps.store.exportLink(token)).toBeUndefined();
      expect(await app.deps.store.exportLink(createHash("sha256").update(token).digest("hex"))).toBeDefined();
    }
    expect(tokens.length).toBeGreaterThanOrEqual(8);
    const log = app.logLines.join("");
    expect(log).toContain("export link request");
    expect(log).toContain("export downloaded");
    for (const token of tokens) expect(log).not.toContain(token);
    for (const taxId of taxIds) expect(log).not.toContain(taxId);
    expect(log).not.toContain("luis@gomez.example");
  });
});
