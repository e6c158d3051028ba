import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSlackInstallation } from "../../src/handlers/index.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";
import { runJourney } from "./journey.ts";
import { SlackSim } from "./slack-sim.ts";

const SECRET = "test-signing-secret-oauth";
const VENDOR = "T0VENDOR01";
const FIRM = "T0FIRM0002";
const SUPPORT_CHANNEL = "CSUPPORT02";

/** The OAuth install as a browser does it: /slack/install, Slack's consent, back to /slack/oauth_redirect with the state cookie. */
async function install(app: TestApp, fake: FakeSlack, grant: { teamId: string; teamName: string; token: string }) {
  const start = await fetch(`${app.url}/slack/install`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get("location") ?? "");
  const state = location.searchParams.get("state") ?? "";
  expect(location.searchParams.get("scope")).toBe(
    "commands,chat:write,chat:write.public,im:write,users:read,team:read",
  );
  // The cookie is Secure: a test client must carry it by hand.
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(cookie).toMatch(/^slack-app-oauth-state=/);
  const code = `code-${grant.teamId}`;
  fake.addOAuthCode(code, { ...grant, installerId: `U0ADMIN${grant.teamId}` });
  const back = await fetch(`${app.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: "manual",
  });
  return { status: back.status, body: await back.text() };
}

describe("Slack, installable in many workspaces (OAuth)", () => {
  let fake: FakeSlack;
  let app: TestApp;

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = await startTestApp(
      {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_CLIENT_ID: fake.clientId,
        SLACK_CLIENT_SECRET: fake.clientSecret,
        SLACK_STATE_SECRET: "state-secret-for-tests",
        SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
        SUPPORT_SLACK_TEAM_ID: VENDOR,
        INSTALLER_URL: "https://descargas.example.com/pymes",
      },
      { slackClientOptions: { slackApiUrl: fake.apiUrl } },
    );
  });

  afterAll(async () => {
    await app?.dispose();
    await fake?.close();
  });

  it("refuses an install callback without the state cookie", async () => {
    const start = await fetch(`${app.url}/slack/install`, { redirect: "manual" });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    fake.addOAuthCode("code-nocookie", { teamId: "T0NOCOOKIE", teamName: "X", token: "xoxb-x", installerId: "U1" });
    const back = await fetch(`${app.url}/slack/oauth_redirect?code=code-nocookie&state=${encodeURIComponent(state)}`);
    expect(back.status).toBe(400);
    expect(await loadSlackInstallation(app.deps, "T:T0NOCOOKIE")).toBeUndefined();
  });

  it("installs in the vendor's and a firm's workspace, then runs the whole journey with the stored installations", async () => {
    const vendorToken = "xoxb-vendor-workspace";
    const firmToken = "xoxb-firm-workspace";
    expect(await install(app, fake, { teamId: VENDOR, teamName: "Vendor", token: vendorToken })).toMatchObject({
      status: 200,
    });
    const installed = await install(app, fake, { teamId: FIRM, teamName: "Asesoría García", token: firmToken });
    expect(installed.status).toBe(200);
    expect(installed.body).toContain("Asesoría García");
    const stored = JSON.parse((await loadSlackInstallation(app.deps, `T:${FIRM}`)) ?? "{}") as {
      bot?: { token?: string };
    };
    expect(stored.bot?.token).toBe(firmToken);

    const sim = new SlackSim(app.url, SECRET, fake);
    await runJourney({
      app,
      fake,
      sim,
      advisor: fake.addUser({ id: "U0ADVISOR2", teamId: FIRM, name: "Berta Asesora", locale: "es-ES" }),
      agent: fake.addUser({ id: "U0VSUPPORT1", teamId: VENDOR, name: "Sole Soporte", locale: "es-ES" }),
      agent2: fake.addUser({ id: "U0VSUPPORT2", teamId: VENDOR, name: "Paco Soporte", locale: "es-ES" }),
      supportChannel: SUPPORT_CHANNEL,
      advisorToken: firmToken,
      ownRequestRefusal: "Solo Soporte Técnico",
      supportToken: vendorToken,
    });
    // The advisor's requests used the firm's installation; support's the vendor's.
    const usersInfo = fake.callsTo("users.info");
    expect(usersInfo.find((c) => c.args.user === "U0ADVISOR2")?.token).toBe(firmToken);
    expect(usersInfo.find((c) => c.args.user === "U0VSUPPORT1")?.token).toBe(vendorToken);

    // Uninstalled: the installation is removed and the workspace's requests are refused.
    expect(await sim.event(FIRM, { type: "app_uninstalled" })).toBe(200);
    expect(await loadSlackInstallation(app.deps, `T:${FIRM}`)).toBeUndefined();
    const after = await sim.command(fake.addUser({ id: "U0ADVISOR3", teamId: FIRM }), "lista");
    expect(after.status).toBe(401);
    expect(fake.responsesTo(after.responseUrl)).toEqual([]);
  });

  it("removes an installation whose bot token was revoked", async () => {
    await install(app, fake, { teamId: "T0REVOKED1", teamName: "Revoked", token: "xoxb-revoked" });
    expect(await loadSlackInstallation(app.deps, "T:T0REVOKED1")).toBeDefined();
    const sim = new SlackSim(app.url, SECRET, fake);
    expect(
      await sim.event("T0REVOKED1", { type: "tokens_revoked", tokens: { oauth: [], bot: ["UBOTT0REVOKED1"] } }),
    ).toBe(200);
    expect(await loadSlackInstallation(app.deps, "T:T0REVOKED1")).toBeUndefined();
  });
});

describe("Slack OAuth: the vendor's workspace installs after a request was made", () => {
  it("posts the waiting request to the support channel once the vendor's workspace installs", async () => {
    const fake = await startFakeSlack();
    const app = await startTestApp(
      {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_CLIENT_ID: fake.clientId,
        SLACK_CLIENT_SECRET: fake.clientSecret,
        SLACK_STATE_SECRET: "state-secret-for-tests",
        SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
        SUPPORT_SLACK_TEAM_ID: VENDOR,
      },
      { slackClientOptions: { slackApiUrl: fake.apiUrl } },
    );
    try {
      await install(app, fake, { teamId: FIRM, teamName: "Asesoría García", token: "xoxb-firm-early" });
      const sim = new SlackSim(app.url, SECRET, fake);
      const advisor = fake.addUser({ id: "U0EARLY001", teamId: FIRM, name: "Eva", locale: "es-ES" });
      const form = await sim.openActivationForm(advisor);
      const sent = await sim.submit(advisor, form.id, { message: "Hola" });
      expect(sent.body?.response_action).toBe("update");
      expect(fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL)).toEqual([]);

      await install(app, fake, { teamId: VENDOR, teamName: "Vendor", token: "xoxb-vendor-late" });
      await expect.poll(() => fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).length).toBe(1);
      expect(fake.callsTo("chat.postMessage").at(-1)?.token).toBe("xoxb-vendor-late");
      expect(fake.failures).toEqual([]);
    } finally {
      await app.dispose();
      await fake.close();
    }
  });
});
