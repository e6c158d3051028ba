import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundLicence, clientApp } from "../api/helpers.ts";
import { type FakeSlack, type FakeUser, startFakeSlack } from "../slack/fake-slack.ts";
import { activatedFirm, SECRET, SUPPORT_CHANNEL, TEAM, TOKEN } from "../slack/setup.ts";
import { blockText, SlackSim } from "../slack/slack-sim.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { type PgServer, startPostgres } from "../support/postgres.ts";

/**
 * The database goes away and comes back (docs/architecture.md, "Health and
 * failures"): `/healthz` says 503 within a couple of seconds and 200 again
 * once it answers, with no restart; meanwhile a Slack command and the client
 * app get the usual "try again", and afterwards everything works again. The
 * PostgreSQL server is this test's own, so halting it touches no other test.
 */
describe("health on PostgreSQL: the database halted and resumed", () => {
  let server: PgServer;
  let fake: FakeSlack;
  let app: TestApp;
  let sim: SlackSim;
  let advisor: FakeUser;
  let token: string;

  beforeAll(async () => {
    server = await startPostgres({ database: "health" });
    fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
    app = await startTestApp(
      {
        DATABASE_URL: server.url,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: TOKEN,
        SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
      },
      { slackClientOptions: { slackApiUrl: fake.apiUrl } },
    );
    sim = new SlackSim(app.url, SECRET, fake);
    advisor = fake.addUser({ id: "U0HEALTH01", teamId: TEAM, name: "Ana", locale: "es-ES" });
    const actor = await activatedFirm({ app, fake, sim, dispose: async () => {} }, advisor);
    ({ token } = await boundLicence(app, actor));
  }, 60_000);
  afterAll(async () => {
    await app?.dispose();
    await fake?.close();
    await server?.stop();
  });

  const health = async () => (await fetch(`${app.url}/healthz`)).status;

  /** Polls /healthz until it answers `status`; resolves to how long that took. */
  async function healthBecomes(status: number, withinMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if ((await health()) === status) return Date.now() - started;
      if (Date.now() - started > withinMs) throw new Error(`/healthz did not answer ${status} within ${withinMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** What the advisor sees for a command: its acknowledgement and whatever was posted to its response_url. */
  async function commandText(text: string): Promise<string> {
    const cmd = await sim.command(advisor, text);
    expect(cmd.status).toBe(200);
    return [cmd.acknowledgement, ...fake.responsesTo(cmd.responseUrl)]
      .map((a) => blockText((a as { blocks?: unknown } | undefined)?.blocks) || String(a?.text ?? ""))
      .join("\n");
  }

  it("answers 200, then 503 while the database is down, then 200 again with no restart", async () => {
    expect(await health()).toBe(200);
    expect(await commandText("lista")).toContain("Licencias PYMES generadas");
    expect((await clientApp(app.url).validate(token)).body.code).toBe("VALID");

    await server.halt();
    try {
      expect(await healthBecomes(503, 3_000)).toBeLessThan(3_000);
      const body = await (await fetch(`${app.url}/healthz`)).json();
      expect(body).toMatchObject({ status: "unavailable" });

      // The advisor is asked to try again, in the ephemeral answer.
      const answer = await commandText("lista");
      expect(answer).toContain("Inténtalo de nuevo");
      expect(answer).not.toContain("Licencias PYMES generadas");
      // The client app gets a coded 503 with Retry-After, never a 500 or a stack.
      const validation = await clientApp(app.url).validate(token);
      expect(validation.status).toBe(503);
      expect(validation.body.code).toBe("UNAVAILABLE");
      expect(Number(validation.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(JSON.stringify(validation.body)).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
      // Logged as the database not answering, not as a bug.
      expect(app.logLines.join("")).toContain("the database did not answer");
    } finally {
      await server.resume();
    }

    expect(await healthBecomes(200, 5_000)).toBeLessThan(5_000);
    expect(await commandText("lista")).toContain("Licencias PYMES generadas");
    expect((await clientApp(app.url).validate(token)).body.code).toBe("VALID");
  }, 60_000);
});
