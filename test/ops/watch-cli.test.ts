import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWatchCli } from "../../src/cli/watch.ts";
import { type Actor, createLicence, sendLicenceDetails } from "../../src/handlers/index.ts";
import { type FakeSlack, startFakeSlack } from "../slack/fake-slack.ts";
import { testDeps } from "../support/app.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";

const TEAM = "T0WATCHCLI";
const TOKEN = "xoxb-watch-cli";
const DAY = 86_400_000;

/** `npm run watch` in process: the same composition as the server, against a fake Slack API. */
describe("npm run watch", () => {
  let fake: FakeSlack;
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let clock = Date.UTC(2026, 10, 2, 9);
  const actor: Actor = { platform: "slack", workspaceId: TEAM, userId: "U0CLIUSER1", locale: "es", channelId: "C0G" };

  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría CLI", botUserId: "UBOT", botId: "BBOT" });
    fake.addUser({ id: actor.userId, teamId: TEAM, name: "Clara", locale: "es-ES" });
    deps = await testDeps({ now: () => clock });
    await activateFirm(deps, actor);
    await sendLicenceDetails(deps, actor, {
      licenceId: (await createLicence(deps, actor, { taxId: newDni(), name: "Por CLI S.L." })).id,
    });
    clock += 8 * DAY;
  });
  afterAll(async () => {
    await deps?.dispose();
    await fake?.close();
  });

  const cli = async (argv: string[], slack = true) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      DATABASE_PATH: deps.dbPath,
      LOG_LEVEL: "silent",
      ...(slack ? { SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: TOKEN } : {}),
    };
    const code = await runWatchCli(
      argv,
      env,
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      { slackClientOptions: { slackApiUrl: fake.apiUrl }, now: () => clock },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("refuses unknown arguments (2) and an unknown firm (1) with a clear message", async () => {
    expect(await cli(["--frim", TEAM])).toMatchObject({ code: 2, err: expect.stringContaining("Uso: npm run watch") });
    expect(await cli(["--firm"])).toMatchObject({ code: 2 });
    expect(await cli(["--firm", "T0NOBODY00"])).toMatchObject({
      code: 1,
      err: "No hay ningún despacho con ese id de workspace de Slack o tenant de Teams.",
    });
  });

  it("says so, and fails, when the firm has items but its platform is not configured here", async () => {
    const dry = await cli(["--dry-run"], false);
    expect(dry).toMatchObject({
      code: 1,
      out: expect.stringContaining("1 asunto sin nadie a quien avisar: ¿está configurada aquí su plataforma"),
    });
  });

  it("--dry-run prints what would be sent and sends nothing; then a run sends it once", async () => {
    const dry = await cli(["--", "--firm", TEAM, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("«T0WATCHCLI» (T0WATCHCLI): se enviaría 1 mensaje");
    expect(dry.out).toContain(`a slack ${actor.userId}: 1 asunto`);
    expect(dry.out).toContain("sin activar · Por CLI S.L.");
    expect(fake.callsTo("chat.postMessage")).toEqual([]);
    const real = await cli(["--firm", TEAM]);
    expect(real).toMatchObject({ code: 0, out: expect.stringContaining("1 mensaje enviado (0 sin entregar)") });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    const again = await cli([]);
    expect(again.out).toContain("Despacho «T0WATCHCLI» (T0WATCHCLI): nada nuevo que atender.");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });
});
