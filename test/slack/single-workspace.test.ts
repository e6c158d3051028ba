import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";
import { runJourney } from "./journey.ts";
import { SlackSim } from "./slack-sim.ts";

const SECRET = "test-signing-secret-single";
const TOKEN = "xoxb-single-workspace";
const TEAM = "T0FIRM0001";
const SUPPORT_CHANNEL = "CSUPPORT01";

describe("Slack, one workspace with SLACK_BOT_TOKEN", () => {
  let fake: FakeSlack;
  let app: TestApp;

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría López", botUserId: "UBOT", botId: "BBOT" });
    app = await startTestApp(
      {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: TOKEN,
        SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
        INSTALLER_URL: "https://descargas.example.com/pymes",
      },
      { slackClientOptions: { slackApiUrl: fake.apiUrl } },
    );
  });

  afterAll(async () => {
    await app?.dispose();
    await fake?.close();
  });

  it("goes from “Nuevo” without the feature to a licence created, sent, listed, changed and deleted", async () => {
    const sim = new SlackSim(app.url, SECRET, fake);
    const { licenceNumber } = await runJourney({
      app,
      fake,
      sim,
      advisor: fake.addUser({ id: "U0ADVISOR1", teamId: TEAM, name: "Ana Asesora", locale: "es-ES" }),
      agent: fake.addUser({ id: "U0SUPPORT1", teamId: TEAM, name: "Sole Soporte", locale: "es-ES" }),
      agent2: fake.addUser({ id: "U0SUPPORT2", teamId: TEAM, name: "Paco Soporte", locale: "es-ES" }),
      supportChannel: SUPPORT_CHANNEL,
      advisorToken: TOKEN,
      ownRequestRefusal: "No puedes decidir sobre una solicitud tuya",
      supportToken: TOKEN,
    });
    // Every Web API call used the one bot token.
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.every((c) => c.token === TOKEN)).toBe(true);
    // Nothing went wrong behind the scenes, and SDK debug output carried no personal data.
    const logs = app.logLines.join("\n");
    expect(app.logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
    expect(logs).toContain("[REDACTED");
    for (const secret of ["B12345674", "cliente@example.com", TOKEN, licenceNumber, licenceNumber.replace(/-/g, "")])
      expect(logs).not.toContain(secret);
  });
});
