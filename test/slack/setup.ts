import { type Actor, decideActivation, requestActivation } from "../../src/handlers/index.ts";
import { startTestApp, supportAgent, type TestApp } from "../support/app.ts";
import type { FakeUser } from "./fake-slack.ts";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";
import { SlackSim } from "./slack-sim.ts";

export const SECRET = "test-signing-secret";
export const TOKEN = "xoxb-test-workspace";
export const TEAM = "T0FIRM0009";
export const SUPPORT_CHANNEL = "CSUPPORT09";

export interface SingleWorkspace {
  app: TestApp;
  fake: FakeSlack;
  sim: SlackSim;
  dispose(): Promise<void>;
}

/** The app in one-workspace mode against a fresh fake Slack. */
export async function singleWorkspace(env: Record<string, string> = {}): Promise<SingleWorkspace> {
  const fake = await startFakeSlack();
  fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
  const app = await startTestApp(
    { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL, ...env },
    { slackClientOptions: { slackApiUrl: fake.apiUrl } },
  );
  return {
    app,
    fake,
    sim: new SlackSim(app.url, SECRET, fake),
    dispose: async () => {
      await app.dispose();
      await fake.close();
    },
  };
}

/** An activated firm (the test workspace) with one advisor, as a new advisor would find it. */
export async function activatedFirm(w: SingleWorkspace, advisor: FakeUser): Promise<Actor> {
  const actor: Actor = {
    platform: "slack",
    workspaceId: TEAM,
    workspaceName: "Asesoría Pérez",
    userId: advisor.id,
    locale: "es",
    channelId: "C0GENERAL1",
  };
  await requestActivation(w.app.deps, actor, { message: "Activad" });
  const pending = (await w.app.deps.store.listPendingRequests(10)).find((r) => r.requesterId === advisor.id);
  if (!pending) throw new Error("no pending request");
  await decideActivation(w.app.deps, supportAgent({ workspaceId: TEAM, channelId: SUPPORT_CHANNEL }), {
    requestId: pending.id,
    decision: "approve",
  });
  return actor;
}
