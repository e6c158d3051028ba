import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeSlack, startFakeSlack } from "../slack/fake-slack.ts";
import { ACTION, VIEW } from "../slack/ids.ts";
import { blockText, findButton, SlackSim } from "../slack/slack-sim.ts";
import { captureLogger, startTestApp, type TestApp } from "../support/app.ts";
import { action, cardText } from "../teams/cards.ts";
import { FakeConnector } from "../teams/fake-connector.ts";
import { Harness, SUPPORT_CHANNEL as TEAMS_SUPPORT, teamsUser } from "../teams/harness.ts";

/**
 * Personal data placed where a `\b`-bounded pattern misses it once an SDK
 * logs the body as JSON or as a form: at the start of lines, after tabs,
 * inside JSON and URL-encoded text. Nothing of it may reach the log at trace.
 */
const DNI = "12345678Z";
const NIE = "X1234567L";
const CIF_TYPED = "b-1234567 4"; // B12345674, as an advisor types it
const OTHER_LICENCE = "7k3mx-4q9tb-zr2wn-8hjpa";
const EMAIL = "cliente.secreto@example.org";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLXNlY3JldA";

function hostileText(title: string): string {
  return [
    title,
    DNI,
    `\t${NIE}`,
    OTHER_LICENCE.toUpperCase(),
    `${EMAIL}\t${CIF_TYPED}`,
    JSON.stringify({ nif: DNI, nota: `línea\n${NIE}`, correo: EMAIL }),
    `datos=${encodeURIComponent(`${DNI}\n${OTHER_LICENCE}`)}+${NIE}%0A${DNI}`,
    `Authorization: Bearer ${JWT}`,
  ].join("\n");
}

/** What must never be in the output, in every spelling checked. */
function secrets(extra: string[]): RegExp[] {
  const literal = [
    DNI,
    NIE,
    "1234567", // the CIF's digits, with or without its separators
    OTHER_LICENCE,
    OTHER_LICENCE.replace(/-/g, ""),
    "cliente.secreto",
    "example.org",
    JWT.split(".")[1] ?? JWT,
    ...extra,
  ];
  return literal.map((s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"));
}

/** Console output of the SDKs, captured (not replaced): the app never prints but through its logger. */
function captureConsole(): { output: string[]; restore(): void } {
  const output: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug", "trace"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      output.push(format(...args));
    }),
  );
  return {
    output,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

function expectClean(text: string, extra: string[]): void {
  for (const secret of secrets(extra)) expect(text).not.toMatch(secret);
}

describe("a whole Slack journey at LOG_LEVEL=trace leaves no personal data in the log", () => {
  const SECRET = "trace-signing-secret";
  const TOKEN = "xoxb-trace-workspace-token";
  const TEAM = "T0TRACE001";
  const SUPPORT = "CSUPPORTTR";
  let fake: FakeSlack;
  let app: TestApp;
  let lines: string[];
  let console_: ReturnType<typeof captureConsole>;

  beforeAll(async () => {
    console_ = captureConsole();
    fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Traza", botUserId: "UBOT", botId: "BBOT" });
    const captured = captureLogger("trace");
    lines = captured.lines;
    app = await startTestApp(
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SUPPORT_SLACK_CHANNEL_ID: SUPPORT, LOG_LEVEL: "trace" },
      { logger: captured.logger, slackClientOptions: { slackApiUrl: fake.apiUrl } },
    );
  });
  afterAll(async () => {
    await app?.dispose();
    await fake?.close();
    console_?.restore();
  });

  it("request with a free-text message, rejection with a reason, approval, licence with Observaciones, details, client app", async () => {
    const sim = new SlackSim(app.url, SECRET, fake);
    const advisor = fake.addUser({ id: "U0TRACEADV", teamId: TEAM, name: "Ana Asesora", locale: "es-ES" });
    const agent = fake.addUser({ id: "U0TRACESUP", teamId: TEAM, name: "Sole Soporte", locale: "es-ES" });
    const supportMessage = () => {
      const msg = fake.messages.filter((m) => m.channel === SUPPORT).at(-1);
      if (!msg) throw new Error("no support message");
      return msg;
    };
    const inSupport = (ts: string) => ({
      kind: "message" as const,
      channel: SUPPORT,
      ephemeral: false,
      ts,
      responseUrl: fake.responseUrl(),
    });

    // Asked, rejected with a reason full of personal data, asked again, approved.
    let form = await sim.openActivationForm(advisor);
    expect((await sim.submit(advisor, form.id, { message: hostileText("MENSAJE-TRAZA") })).body?.response_action).toBe(
      "update",
    );
    let msg = supportMessage();
    await sim.click(agent, findButton(msg.blocks, ACTION.supportReject), inSupport(msg.ts));
    const reason = sim.lastView(VIEW.rejectReason);
    expect((await sim.submit(agent, reason.id, { reason: hostileText("MOTIVO-TRAZA") })).status).toBe(200);
    expect(blockText(msg.blocks)).toContain("Rechazada por Sole Soporte");
    form = await sim.openActivationForm(advisor);
    await sim.submit(advisor, form.id, { message: hostileText("Otra vez") });
    msg = supportMessage();
    await sim.click(agent, findButton(msg.blocks, ACTION.supportApprove), inSupport(msg.ts));
    expect(blockText(msg.blocks)).toContain("Aprobada por Sole Soporte");

    // The licence, with personal data in every field and in Observaciones.
    await sim.command(advisor, "nuevo");
    const licenceForm = sim.lastView(VIEW.licenceForm);
    const saved = await sim.submit(advisor, licenceForm.id, {
      taxId: CIF_TYPED,
      name: "Ferretería Traza S.L.",
      contactPerson: "Luis",
      email: EMAIL,
      phone: "+34 600 000 000",
      notes: hostileText("OBSERVACIONES-TRAZA"),
    });
    expect(saved.body?.response_action).toBe("update");
    const created = sim.view(licenceForm.id);
    const number = /`([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})`/.exec(blockText(created.blocks))?.[1];
    if (!number) throw new Error("no licence number shown");
    await sim.click(advisor, findButton(created.blocks, ACTION.licenceSend), { kind: "view", viewId: licenceForm.id });
    expect(blockText(fake.dmsTo(advisor.id).at(-1)?.blocks)).toContain(number);

    // The client app: JSON and a form-encoded body (refused, but read and logged at trace).
    const activation = await fetch(`${app.url}/api/v1/activations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ licenceNumber: number.toLowerCase(), taxId: CIF_TYPED, installationId: "trace-0001" }),
    });
    const activated = (await activation.json()) as { code: string; installationToken: string };
    expect(activated.code).toBe("ACTIVATED");
    const formBody = new URLSearchParams({ licenceNumber: number, taxId: `\n${DNI}` }).toString();
    const refused = await fetch(`${app.url}/api/v1/activations`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: formBody,
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const validation = await fetch(`${app.url}/api/v1/validations`, {
      method: "POST",
      headers: { authorization: `Bearer ${activated.installationToken}` },
    });
    expect(((await validation.json()) as { code: string }).code).toBe("VALID");

    const log = lines.join("");
    // Trace really was on, and SDK debug output with the payloads was written.
    expect(lines.some((l) => (JSON.parse(l) as { level: number }).level === 10 || l.includes('"level":20'))).toBe(true);
    expect(log).toContain("[REDACTED");
    expectClean(log, [number, number.replace(/-/g, ""), TOKEN, activated.installationToken]);
    expectClean(console_.output.join("\n"), [number, TOKEN, activated.installationToken]);
  });
});

describe("a whole Teams journey at LOG_LEVEL=trace leaves no personal data in the log", () => {
  let h: Harness;
  let lines: string[];
  let console_: ReturnType<typeof captureConsole>;

  beforeAll(async () => {
    console_ = captureConsole();
    const connector = await new FakeConnector().start();
    const captured = captureLogger("trace");
    lines = captured.lines;
    const app = await startTestApp(
      {
        SUPPORT_TEAMS_CHANNEL_ID: TEAMS_SUPPORT,
        INSTALLER_URL: "https://descargas.example.com/pymes",
        LOG_LEVEL: "trace",
      },
      { logger: captured.logger },
    );
    h = new Harness(app, connector);
  });
  afterAll(async () => {
    await h?.stop();
    console_?.restore();
  });

  it("request, rejection, approval, licence with Observaciones, details, client app", async () => {
    const advisor = h.join(teamsUser("tenant-trace-0001", { name: "Ana Asesora" }));
    const agent = h.join(teamsUser("tenant-trace-vendor", { name: "Sara Soporte" }));
    const dm = h.personalConversation(advisor);
    const approvalCards = () =>
      h.connector.sent.filter((s) => s.kind === "create" && s.conversationId.startsWith(TEAMS_SUPPORT));

    const ask = async (title: string) => {
      const mark = h.connector.mark();
      await h.say(advisor, "nuevo");
      const yes = action(h.cardsSince(mark, dm)[0]?.card, "Sí");
      const dialog = await h.fetchDialog(advisor, yes.data);
      if (dialog.kind !== "dialog") throw new Error("expected the request dialog");
      expect(
        (
          await h.submitDialog(advisor, action(dialog.card, "Enviar solicitud").data, {
            firmName: "Asesoría Traza",
            message: hostileText(title),
          })
        ).kind,
      ).toBe("closed");
    };

    await ask("MENSAJE-TRAZA");
    // The support channel is seen: the waiting request is posted there.
    await h.say(agent, "pendientes", { channel: TEAMS_SUPPORT });
    let posted = approvalCards().at(-1);
    const where = { channel: TEAMS_SUPPORT };
    // Rechazar opens the reason's dialog; submitting it updates the request's card.
    const rejectForm = await h.fetchDialog(
      agent,
      action(posted?.activity.attachments?.[0]?.content, "Rechazar").data,
      where,
    );
    if (rejectForm.kind !== "dialog") throw new Error("expected the reason's dialog");
    const rejected = await h.submitDialog(
      agent,
      action(rejectForm.card, "Rechazar").data,
      { reason: hostileText("MOTIVO-TRAZA") },
      where,
    );
    expect(rejected.kind).toBe("closed");
    const [update] = h.connector.updatesOf(posted?.activityId ?? "");
    expect(cardText(update?.activity.attachments?.[0]?.content)).toContain("Rechazada por Sara Soporte");

    await ask("Otra vez");
    posted = approvalCards().at(-1);
    const approved = await h.execute(
      agent,
      action(posted?.activity.attachments?.[0]?.content, "Aprobar"),
      posted?.activityId ?? "",
      where,
    );
    expect(cardText(approved.value)).toContain("Aprobada por Sara Soporte");

    let mark = h.connector.mark();
    await h.say(advisor, "nuevo");
    const open = action(h.cardsSince(mark, dm)[0]?.card, "Nueva licencia");
    const dialog = await h.fetchDialog(advisor, open.data);
    if (dialog.kind !== "dialog") throw new Error("expected the licence dialog");
    mark = h.connector.mark();
    const done = await h.submitDialog(advisor, action(dialog.card, "Guardar").data, {
      taxId: CIF_TYPED,
      name: "Ferretería Traza S.L.",
      email: EMAIL,
      phone: "600 123 456",
      notes: hostileText("OBSERVACIONES-TRAZA"),
    });
    expect(done.kind).toBe("closed");
    const [result] = h.cardsSince(mark, dm);
    mark = h.connector.mark();
    await h.execute(advisor, action(result?.card, "Enviar datos de licencia"), result?.activityId ?? "");
    const number = /([0-9A-Z]{5}-){3}[0-9A-Z]{5}/.exec(cardText(h.cardsSince(mark, dm).map((c) => c.card)))?.[0];
    if (!number) throw new Error("no licence number sent");

    const activation = await fetch(`${h.app.url}/api/v1/activations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ licenceNumber: number.replace(/-/g, ""), taxId: CIF_TYPED, installationId: "trace-0002" }),
    });
    const activated = (await activation.json()) as { code: string; installationToken: string };
    expect(activated.code).toBe("ACTIVATED");

    const log = lines.join("");
    // The activities with the free text really were logged, around what was redacted.
    for (const title of ["MENSAJE-TRAZA", "MOTIVO-TRAZA", "OBSERVACIONES-TRAZA"]) expect(log).toContain(title);
    expect(log).toContain("[REDACTED_TAX_ID]");
    expectClean(log, [number, number.replace(/-/g, ""), activated.installationToken]);
    expectClean(console_.output.join("\n"), [number, activated.installationToken]);
    // Teams channel ids stay readable for the operator.
    expect(log).toContain(TEAMS_SUPPORT);
  });
});
