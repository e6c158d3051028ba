import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  activateInstallation,
  createLicence,
  decideActivation,
  getClient,
  requestActivation,
  runWatch,
  sendLicenceDetails,
  setSelfManaged,
} from "../../src/handlers/index.ts";
import { startTestApp, supportAgent } from "../support/app.ts";
import { newDni } from "../support/fixtures.ts";
import { action, cardText } from "./cards.ts";
import { FakeConnector } from "./fake-connector.ts";
import { Harness, SLACK_SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const FIRM = "tenant-watch-0001";
const DAY = 86_400_000;
const ALERTS = "19:avisos-despacho@thread.tacv2";

/**
 * The daily watch on Teams, over HTTP with Bot Framework activities: the
 * advisor's personal chat (the reference kept from their last message), the
 * buttons clicked as Teams sends Action.Execute, and the firm's alerts
 * channel set with `avisos` there. The clock is injected.
 */
describe("Teams: the daily watch", () => {
  let h: Harness;
  let advisor: User;
  let actor: Actor;
  let offset = 0;
  let silentTaxId = "";

  beforeAll(async () => {
    const connector = await new FakeConnector().start();
    const app = await startTestApp(
      { SUPPORT_SLACK_CHANNEL_ID: SLACK_SUPPORT_CHANNEL },
      { now: () => Date.now() + offset },
    );
    h = new Harness(app, connector);
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora", locale: "en-GB" }));
    actor = { platform: "teams", workspaceId: FIRM, userId: advisor.aadObjectId ?? "", locale: "en" };
    const deps = h.app.deps;
    await requestActivation(deps, actor, { message: "Activad", firmName: "Asesoría Teams" });
    const pending = (await deps.store.listPendingRequests(10)).find((r) => r.requesterId === actor.userId);
    await decideActivation(deps, supportAgent(), { requestId: pending?.id ?? 0, decision: "approve" });
    // The advisor has written to the bot: their personal chat is known.
    expect((await h.say(advisor, "help")).status).toBe(200);
    offset = -8 * DAY;
    const a = await createLicence(deps, actor, { taxId: newDni(), name: "Never Installed Ltd" });
    await sendLicenceDetails(deps, actor, { licenceId: a.id });
    const b = await createLicence(deps, actor, { taxId: newDni(), name: "Silent Ltd" });
    await activateInstallation(deps, {
      licenceNumber: b.number,
      taxId: b.client.taxId,
      installationId: "machine-teams-1",
    });
    await setSelfManaged(deps, actor, { taxId: b.client.taxId, selfManaged: true });
    silentTaxId = b.client.taxId;
    offset = 0;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("sends the watch to the advisor's personal chat, in their language, and Watch from the firm clears the tick", async () => {
    const mark = h.connector.mark();
    const result = await runWatch(h.app.deps, h.app.watchSenders);
    expect(result.firms.map((f) => f.outcome)).toEqual(["sent"]);
    const [watch] = h.cardsSince(mark, h.personalConversation(advisor));
    const text = cardText(watch?.card);
    expect(text).toContain("Daily watch");
    expect(text).toContain("Never Installed Ltd");
    expect(text).toContain("the app has not been activated");
    expect(text).toContain("Silent Ltd");
    expect(JSON.stringify(watch?.card).length).toBeLessThan(28_000);
    const answer = await h.execute(advisor, action(watch?.card, "Watch from the firm"), watch?.activityId ?? "");
    expect(cardText(answer.value)).toContain("Silent Ltd no longer manages its own notifications");
    expect((await getClient(h.app.deps, actor, { taxId: silentTaxId })).selfManaged).toBe(false);
    // Send again: the details arrive privately, as `send` does.
    const resent = h.connector.mark();
    const again = await h.execute(advisor, action(watch?.card, "Send again"), watch?.activityId ?? "");
    expect(cardText(again.value)).toContain("Never Installed Ltd");
    expect(h.cardsSince(resent, h.personalConversation(advisor)).length).toBeGreaterThan(0);
  });

  it("alerts in the personal chat says it must be typed in a channel", async () => {
    const mark = h.connector.mark();
    expect((await h.say(advisor, "alerts")).status).toBe(200);
    const [answer] = h.cardsSince(mark, h.personalConversation(advisor));
    expect(cardText(answer?.card)).toContain(
      "Type “alerts” in the channel where the firm's daily watch should arrive.",
    );
  });

  it("alerts in a channel makes the next watch a new thread there, not a personal message", async () => {
    const mark = h.connector.mark();
    expect((await h.say(advisor, "alerts", { channel: ALERTS })).status).toBe(200);
    const answered = h.connector
      .since(mark)
      .map((s) => cardText(s.activity.attachments?.[0]?.content) + (s.activity.text ?? ""));
    expect(answered.join(" ")).toContain("will arrive in this channel every day at 8:00");
    offset = -8 * DAY;
    const l = await createLicence(h.app.deps, actor, { taxId: newDni(), name: "Channel Ltd" });
    await sendLicenceDetails(h.app.deps, actor, { licenceId: l.id });
    offset = DAY;
    const before = h.connector.mark();
    await runWatch(h.app.deps, h.app.watchSenders);
    const posted = h.connector.since(before);
    const thread = posted.find((s) => s.kind === "create" && s.conversationId.startsWith(`${ALERTS};messageid=`));
    expect(cardText(thread?.activity.attachments?.[0]?.content)).toContain("Channel Ltd");
    expect(posted.filter((s) => s.conversationId === h.personalConversation(advisor))).toEqual([]);
  });
});
