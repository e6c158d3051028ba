import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLicence } from "../../src/handlers/index.ts";
import { advisor, testDeps } from "../support/app.ts";
import { type ChildApp, startChildApp } from "../support/child.ts";
import { activateFirm } from "../support/fixtures.ts";
import { action, cardsOf, cardText } from "../teams/cards.ts";
import { FakeConnector } from "../teams/fake-connector.ts";
import { BOT, teamsUser, type User } from "../teams/harness.ts";

const SUPPORT = "19:trace-support@thread.tacv2";
const DNI = "12345678Z";
const NIE = "X1234567L";
const EMAIL = "cliente.secreto@example.org";
const SEEDED_TAX_ID = "B12345674";

/** Free text with personal data where only an escape-aware redactor finds it. */
const HOSTILE = [
  "Hola",
  DNI,
  `\t${NIE}`,
  `${EMAIL}\tb-1234567 4`,
  JSON.stringify({ nif: DNI, nota: `x\n${NIE}` }),
  `datos=${encodeURIComponent(`${DNI}\n${EMAIL}`)}+${NIE}`,
].join("\n");

/**
 * src/main.ts as a real process at LOG_LEVEL=trace: whatever it writes, to
 * standard output or standard error, through the logger or around it, is
 * checked. Teams in local emulator mode against a fake connector; the client
 * app against a licence seeded in the same database file.
 */
describe("a real process at LOG_LEVEL=trace writes no personal data", () => {
  let app: ChildApp;
  let connector: FakeConnector;
  let seededNumber = "";
  let seq = 0;
  let seeded: Awaited<ReturnType<typeof testDeps>>;

  beforeAll(async () => {
    seeded = await testDeps();
    const owner = advisor("T0TRACESEED");
    await activateFirm(seeded, owner);
    seededNumber = (await createLicence(seeded, owner, { taxId: SEEDED_TAX_ID, name: "Cliente Sembrado S.L." })).number;
    await seeded.handle.close();
    connector = await new FakeConnector().start();
    app = await startChildApp({
      LOG_LEVEL: "trace",
      LOG_FORMAT: "json",
      DATABASE_PATH: seeded.dbPath,
      SUPPORT_TEAMS_CHANNEL_ID: SUPPORT,
      INSTALLER_URL: "https://descargas.example.com/pymes",
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await connector?.stop();
    await seeded.dispose();
  });

  function activity(user: User, channel?: string): Record<string, unknown> {
    seq++;
    return {
      channelId: "msteams",
      serviceUrl: connector.url,
      id: `in-${seq}`,
      timestamp: new Date().toISOString(),
      locale: "es-ES",
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: BOT,
      conversation: channel
        ? { tenantId: user.tenantId, id: `${channel};messageid=${seq}`, conversationType: "channel", isGroup: true }
        : { tenantId: user.tenantId, id: `a:personal-${user.id}`, conversationType: "personal", isGroup: false },
      channelData: {
        tenant: { id: user.tenantId },
        ...(channel ? { channel: { id: channel }, team: { id: channel } } : {}),
      },
    };
  }

  async function post(body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  it("Teams request, approval, licence with Observaciones and details; client app activations", async () => {
    const user = teamsUser("tenant-trace-process", { name: "Ana Asesora" });
    const agent = teamsUser("tenant-trace-vendor", { name: "Sara Soporte" });
    connector.members.set(user.id, user);
    connector.members.set(agent.id, agent);

    const submit = (data: Record<string, unknown>) =>
      post({ ...activity(user), type: "invoke", name: "task/submit", value: { data } });
    expect((await submit({ verb: "activation", firmName: "Asesoría Traza", message: HOSTILE })).status).toBe(200);

    const mention = `<at>${BOT.name}</at>`;
    const said = await post({
      ...activity(agent, SUPPORT),
      type: "message",
      text: `${mention} pendientes`,
      entities: [{ type: "mention", text: mention, mentioned: BOT }],
    });
    expect(said.status).toBe(200);
    const approval = connector.sent.find((s) => s.kind === "create");
    const approve = action(cardsOf(approval?.activity)[0], "Aprobar");
    const decided = await post({
      ...activity(agent, SUPPORT),
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId: approval?.activityId,
      value: { action: { type: "Action.Execute", verb: approve.verb, data: approve.data }, trigger: "manual" },
    });
    expect(JSON.stringify(decided.body)).toContain("Aprobada por Sara Soporte");

    const mark = connector.mark();
    const created = await submit({
      verb: "licence",
      taxId: `\t${DNI}`,
      name: "Ferretería Traza S.L.",
      email: EMAIL,
      notes: HOSTILE,
    });
    expect(created.status).toBe(200);
    const result = connector.since(mark).find((s) => cardText(cardsOf(s.activity)[0]).includes("creada"));
    const send = action(cardsOf(result?.activity)[0], "Enviar datos de licencia");
    const sentMark = connector.mark();
    await post({
      ...activity(user),
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId: result?.activityId,
      value: { action: { type: "Action.Execute", verb: send.verb, data: send.data }, trigger: "manual" },
    });
    const number = /([0-9A-Z]{5}-){3}[0-9A-Z]{5}/.exec(
      connector
        .since(sentMark)
        .map((s) => cardText(cardsOf(s.activity)[0]))
        .join("\n"),
    )?.[0];
    if (!number) throw new Error("no licence number sent");

    // The client app: its own licence, JSON with a line break before the tax id; then bodies it refuses.
    const api = (body: string, type = "application/json") =>
      fetch(`${app.url}/api/v1/activations`, { method: "POST", headers: { "content-type": type }, body });
    const ok = await api(
      JSON.stringify({ licenceNumber: number.toLowerCase(), taxId: `\n${DNI}`, installationId: "trace-proc-1" }),
    );
    const okBody = (await ok.json()) as { code: string; installationToken?: string };
    expect(okBody.code).toBe("ACTIVATED");
    const seededOk = await api(
      JSON.stringify({ licenceNumber: seededNumber, taxId: SEEDED_TAX_ID, installationId: "trace-proc-2" }),
    );
    const seededBody = (await seededOk.json()) as { code: string; installationToken?: string };
    expect(seededBody.code).toBe("ACTIVATED");
    for (const [body, type] of [
      [
        new URLSearchParams({ licenceNumber: seededNumber, taxId: `\n${SEEDED_TAX_ID}` }).toString(),
        "application/x-www-form-urlencoded",
      ],
      [`{"licenceNumber":"${seededNumber}","taxId":"${DNI}"`, "application/json"],
    ] as const) {
      const res = await api(body, type);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }

    // Everything the process wrote: the payloads were there (trace), the personal data was not.
    await expect.poll(() => app.stdout()).toContain("installation activated");
    const written = `${app.stdout()}\n${app.stderr()}`;
    expect(written).toContain("Teams activity received");
    expect(written).toContain(SUPPORT);
    for (const secret of [
      DNI,
      NIE,
      "1234567",
      "cliente.secreto",
      number,
      number.replace(/-/g, ""),
      number.toLowerCase(),
      seededNumber,
      okBody.installationToken ?? "no token",
      seededBody.installationToken ?? "no token",
    ]) {
      expect(written).not.toContain(secret);
    }
    expect(app.stderr()).toBe("");
  });
});
