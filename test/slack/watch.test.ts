import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buttonActionId } from "../../src/bot/slack/ids.ts";
import {
  type Actor,
  activateInstallation,
  createLicence,
  decideActivation,
  getClient,
  importNotifications,
  nextWatchTime,
  requestActivation,
  runWatch,
  sendLicenceDetails,
  setSelfManaged,
} from "../../src/handlers/index.ts";
import { madridDay } from "../../src/handlers/watch-clock.ts";
import { formatDate } from "../../src/i18n/index.ts";
import { startTestApp, supportAgent } from "../support/app.ts";
import { newDni } from "../support/fixtures.ts";
import type { FakeUser } from "./fake-slack.ts";
import { startFakeSlack } from "./fake-slack.ts";
import { activatedFirm, SECRET, type SingleWorkspace, TEAM, TOKEN } from "./setup.ts";
import { blockText, findButton, SlackSim } from "./slack-sim.ts";

const DAY = 86_400_000;
const run = buttonActionId;

/**
 * The daily watch on Slack, over HTTP: a DM to the advisor who created and
 * sent the licences, its buttons clicked as Slack sends clicks, and the
 * firm's alerts channel set with `/licencias avisos`. The clock is injected.
 */
describe("Slack: the daily watch", () => {
  let w: SingleWorkspace;
  /**
   * The app's clock, as an offset from the real one: Bolt checks a
   * signature's timestamp against the real clock, so every signed request is
   * made at offset 0; the data is made in the past and runs in the future.
   */
  let offset = 0;
  let sentOn = "";
  let advisor: FakeUser;
  let actor: Actor;
  let unactivated: number;
  let silent: number;
  let silentTaxId: string;

  beforeAll(async () => {
    const fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
    const app = await startTestApp(
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT09" },
      { slackClientOptions: { slackApiUrl: fake.apiUrl }, now: () => Date.now() + offset },
    );
    w = {
      app,
      fake,
      sim: new SlackSim(app.url, SECRET, fake),
      dispose: async () => {
        await app.dispose();
        await fake.close();
      },
    };
    advisor = fake.addUser({ id: "U0WATCHER1", teamId: TEAM, name: "Ana", locale: "es-ES" });
    actor = await activatedFirm(w, advisor);
    const deps = w.app.deps;
    offset = -8 * DAY;
    sentOn = formatDate(deps.now());
    const a = await createLicence(deps, actor, { taxId: newDni(), name: "Sin Instalar S.L." });
    await sendLicenceDetails(deps, actor, { licenceId: a.id });
    unactivated = a.id;
    const b = await createLicence(deps, actor, { taxId: newDni(), name: "Callada S.L." });
    await activateInstallation(deps, {
      licenceNumber: b.number,
      taxId: b.client.taxId,
      installationId: "machine-slack-1",
    });
    await setSelfManaged(deps, actor, { taxId: b.client.taxId, selfManaged: true });
    silent = b.id;
    silentTaxId = b.client.taxId;
    const c = await createLicence(deps, actor, { taxId: newDni(), name: "Vigilada S.L." });
    offset = 0;
    const csv = [
      "id;nif;organismo;asunto;fecha_puesta_disposicion;fecha_max_lectura;estado",
      `W1;${c.client.taxId};AEAT;Requerimiento de información;${madridDay(Date.now() - DAY)};${madridDay(Date.now() + 2 * DAY)};Pendiente`,
    ].join("\n");
    await importNotifications(deps, { workspaceId: TEAM, data: Buffer.from(csv) });
  });
  afterAll(async () => {
    await w?.dispose();
  });

  /** Signed at the app's clock: the request guard checks the timestamp against it. */
  const signedNow = () => {
    offset = 0;
    return {};
  };
  const dms = () => w.fake.dmsTo(advisor.id).filter((m) => blockText(m.blocks).includes("Vigilancia diaria"));

  it("sends the advisor one DM with each item and its buttons, in their language", async () => {
    const result = await runWatch(w.app.deps, w.app.watchSenders);
    expect(result.firms.map((f) => f.outcome)).toEqual(["sent"]);
    const [message] = dms();
    const text = blockText(message?.blocks);
    expect(text).toContain("AEAT · Requerimiento de información");
    expect(text).toContain(
      `Vigilada S.L. · quedan 2 días (fecha máxima de lectura: ${formatDate(Date.now() + 2 * DAY)})`,
    );
    expect(text).toContain("Sin Instalar S.L.");
    expect(text).toContain(`Datos de licencia enviados el ${sentOn} (hace 8 días)`);
    expect(text).toContain("Callada S.L.");
    expect(text).toContain(`su aplicación no contacta desde el ${sentOn} (hace 8 días)`);
    findButton(message?.blocks, run({ kind: "run", verb: "send" }), String(unactivated));
    findButton(message?.blocks, run({ kind: "run", verb: "licence" }), String(unactivated));
    findButton(message?.blocks, run({ kind: "run", verb: "watchFromFirm" }), String(silent));
    expect(message?.blocks.length).toBeLessThanOrEqual(50);
  });

  it("never sends the same day twice, even with two runs at once", async () => {
    const before = dms().length;
    const runs = await Promise.all([
      runWatch(w.app.deps, w.app.watchSenders),
      runWatch(w.app.deps, w.app.watchSenders),
    ]);
    expect(runs.flatMap((r) => r.firms.map((f) => f.outcome))).toEqual(["claimed", "claimed"]);
    expect(dms().length).toBe(before);
  });

  it("Vigilar desde el despacho clears the tick and says the firm watches the mailbox again", async () => {
    const message = dms().at(-1);
    const button = findButton(message?.blocks, run({ kind: "run", verb: "watchFromFirm" }), String(silent));
    const click = await w.sim.click(
      advisor,
      button,
      {
        kind: "message",
        channel: message?.channel ?? "",
        responseUrl: w.fake.responseUrl(),
        ts: message?.ts ?? "",
      },
      signedNow(),
    );
    expect(click.status).toBe(200);
    expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks)).toContain(
      "Callada S.L. ya no gestiona sus propias notificaciones. El despacho vuelve a vigilar su buzón.",
    );
    expect((await getClient(w.app.deps, actor, { taxId: silentTaxId })).selfManaged).toBe(false);
  });

  it("the next day repeats only what moved (the deadline), and a muted item stays out", async () => {
    offset = DAY;
    await runWatch(w.app.deps, w.app.watchSenders);
    const message = dms().at(-1);
    const text = blockText(message?.blocks);
    expect(text).toContain("Vigilada S.L. · queda 1 día");
    expect(text).not.toContain("Sin Instalar S.L.");
    expect(text).not.toContain("Callada S.L.");
    const mute = findButton(message?.blocks, run({ kind: "run", verb: "muteWatch" }));
    const click = await w.sim.click(
      advisor,
      mute,
      {
        kind: "message",
        channel: message?.channel ?? "",
        responseUrl: w.fake.responseUrl(),
        ts: message?.ts ?? "",
      },
      signedNow(),
    );
    expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks)).toContain("ya no aparecerá en la vigilancia diaria");
    offset = 2 * DAY;
    const before = dms().length;
    const quiet = await runWatch(w.app.deps, w.app.watchSenders);
    expect(quiet.firms.map((f) => f.outcome)).toEqual(["nothing"]);
    expect(dms().length).toBe(before);
  });

  it("avisos typed in a DM says where to type it; in a channel, the watch goes there", async () => {
    const inDm = await w.sim.command(advisor, "avisos", "D0WATCHDM1", signedNow());
    expect(blockText(inDm.acknowledgement?.blocks)).toContain(
      "Escribe «/licencias avisos» en el canal donde quieras recibir la vigilancia diaria del despacho.",
    );
    const set = await w.sim.command(advisor, "avisos", "C0ALERTS01", signedNow());
    expect(blockText(set.acknowledgement?.blocks)).toContain("llegará a este canal cada día a las 8:00");
    const again = await w.sim.command(advisor, "avisos", "C0ALERTS01", signedNow());
    expect(blockText(again.acknowledgement?.blocks)).toContain("Este canal ya recibe la vigilancia diaria");
    offset = -6 * DAY;
    const l = await createLicence(w.app.deps, actor, { taxId: newDni(), name: "Canal S.L." });
    await sendLicenceDetails(w.app.deps, actor, { licenceId: l.id });
    offset = 3 * DAY;
    const dmsBefore = dms().length;
    await runWatch(w.app.deps, w.app.watchSenders);
    const posted = w.fake.messages.filter((m) => m.channel === "C0ALERTS01");
    expect(posted).toHaveLength(1);
    expect(blockText(posted[0]?.blocks)).toContain("Canal S.L.");
    expect(dms().length).toBe(dmsBefore);
  });
});

/**
 * Starts the server with its watch timer on a clock `offset` ms ahead, seeds an advisor whose licence
 * details went out 8 days before that clock, and waits for the DM the timer's run sends.
 */
async function timerSendsTheDm(offset: number, userId: string, clientName: string): Promise<void> {
  const fake = await startFakeSlack();
  fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
  const app = await startTestApp(
    { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT09" },
    { slackClientOptions: { slackApiUrl: fake.apiUrl }, now: () => Date.now() + offset, watchTimer: true },
  );
  try {
    const advisor = fake.addUser({ id: userId, teamId: TEAM, name: "Tomás", locale: "es-ES" });
    const actor: Actor = { platform: "slack", workspaceId: TEAM, userId: advisor.id, locale: "es", channelId: "C0G" };
    const past = { ...app.deps, now: () => app.deps.now() - 8 * DAY };
    const req = await requestActivation(past, actor, { message: "Activad" });
    await decideActivation(past, supportAgent({ workspaceId: TEAM, channelId: "CSUPPORT09" }), {
      requestId: req.id,
      decision: "approve",
    });
    const l = await createLicence(past, actor, { taxId: newDni(), name: clientName });
    await sendLicenceDetails(past, actor, { licenceId: l.id });
    await vi.waitFor(
      () =>
        expect(
          fake
            .dmsTo(advisor.id)
            .map((m) => blockText(m.blocks))
            .join(),
        ).toContain(clientName),
      { timeout: 15_000, interval: 50 },
    );
  } finally {
    await app.dispose();
    await fake.close();
  }
}

describe("Slack: the server's watch timer", () => {
  it("runs the watch at WATCH_HOUR in Madrid and sends the DM, with nothing else asking", async () => {
    // The app's clock reads 07:59:58 in Madrid: the timer is due in two seconds.
    await timerSendsTheDm(nextWatchTime(Date.now(), 8) - Date.now() - 2_000, "U0TIMER001", "Del Temporizador S.L.");
  });

  it("started after WATCH_HOUR (a restart), runs today's watch soon after the start", async () => {
    // The app's clock reads 09:00 in Madrid: today's 08:00 has passed, and nothing ran it.
    await timerSendsTheDm(nextWatchTime(Date.now(), 9) - Date.now(), "U0RESTART1", "Del Reinicio S.L.");
  });
});
