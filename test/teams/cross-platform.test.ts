import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ActivationRequest, decideActivation, requestActivation } from "../../src/handlers/index.ts";
import { advisor as slackAdvisor, supportAgent as slackAgent } from "../support/app.ts";
import { action, actionsOf, cardText, inputsOf } from "./cards.ts";
import { BOT, Harness, SLACK_SUPPORT_CHANNEL, SUPPORT_CHANNEL, SUPPORT_TEAM, teamsUser } from "./harness.ts";

const VENDOR = "tenant-vendor-0002";

/**
 * One support queue: a Teams advisor's request decided from Slack, and a
 * Slack advisor's request decided (rejected, with its reason) in Teams.
 */
describe("Teams: one support queue across platforms", () => {
  let h: Harness;
  const slackTold: ActivationRequest[] = [];

  beforeAll(async () => {
    h = await Harness.start({ SUPPORT_SLACK_CHANNEL_ID: SLACK_SUPPORT_CHANNEL });
    // The Slack side's notifier, as the Slack app would register it.
    h.app.deps.notifiers.slack = {
      notifyDecision: async (request) => {
        slackTold.push(request);
      },
      notifyRevocation: async () => {},
    };
    h.connector.teamChannels.set(SUPPORT_TEAM, [
      { id: SUPPORT_TEAM, name: "General" },
      { id: SUPPORT_CHANNEL, name: "Soporte" },
    ]);
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    expect(h.connector.invalidCards).toEqual([]);
  });

  it("welcomes a person who installs the app and keeps how to reach them", async () => {
    const user = h.join(teamsUser("tenant-firm-0002"));
    const mark = h.connector.mark();
    await h.post({ ...h.personal(user), type: "conversationUpdate", membersAdded: [{ id: BOT.id }] });
    const sent = h.connector.since(mark);
    expect(sent[0]?.activity.text).toBe("Hola, soy el bot de Licencias PYMES.");
    expect(cardText(sent[1]?.activity.attachments?.[0]?.content)).toContain("Licencias PYMES");
    expect(await h.app.deps.store.getRef("teams.personal", `tenant-firm-0002:${user.aadObjectId}`)).toContain(
      h.personalConversation(user),
    );
  });

  it("a Teams advisor's request, posted when the bot joins the support team, decided in Slack", async () => {
    const advisor = h.join(teamsUser("tenant-firm-0003", { name: "Ann Advisor", locale: "en-GB" }));
    const sent = await h.submitDialog(
      advisor,
      { verb: "activation" },
      { firmName: "Asesoría Tenant", message: "Please activate us" },
    );
    expect(sent.kind).toBe("closed");
    expect(h.connector.created.filter((c) => c.isGroup)).toHaveLength(0);

    // The bot is added to the vendor's team, whose channels include the support channel.
    const agent = h.join(teamsUser(VENDOR));
    const mark = h.connector.mark();
    await h.post({
      ...h.inChannel(agent, SUPPORT_TEAM, SUPPORT_TEAM),
      type: "conversationUpdate",
      membersAdded: [{ id: BOT.id }],
      channelData: { tenant: { id: VENDOR }, team: { id: SUPPORT_TEAM }, eventType: "teamMemberAdded" },
    });
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    expect(posted?.conversationId.startsWith(`${SUPPORT_CHANNEL};messageid=`)).toBe(true);
    expect(cardText(posted?.activity.attachments?.[0]?.content)).toContain("Please activate us");

    const request = (await h.app.deps.store.listPendingRequests(10)).find((r) => r.message === "Please activate us");
    if (!request) throw new Error("request not stored");
    const told = h.connector.mark();
    const decided = await decideActivation(h.app.deps, slackAgent({ userName: "Sam Slack" }), {
      requestId: request.id,
      decision: "reject",
      reason: "Contract not signed yet",
    });
    expect(decided.status).toBe("rejected");

    const [update] = h.connector.updatesOf(posted?.activityId ?? "");
    const card = update?.activity.attachments?.[0]?.content;
    expect(cardText(card)).toContain("Rechazada por Sam Slack");
    expect(cardText(card)).toContain("Contract not signed yet");
    expect(actionsOf(card)).toEqual([]);

    const [notice] = h.cardsSince(told, h.personalConversation(advisor));
    expect(cardText(notice?.card)).toContain(
      "Support rejected the activation of the SME Solution for Asesoría Tenant.",
    );
    expect(cardText(notice?.card)).toMatch(/Reason for rejection\nContract not signed yet/);

    // Asking again: the dialog shows the firm's name as stored, not the tenant id.
    const again = await h.fetchDialog(advisor, { verb: "activation" });
    if (again.kind !== "dialog") throw new Error(`expected a dialog, got ${again.kind}`);
    expect(inputsOf(again.card).firmName).toMatchObject({ label: "Firm name", value: "Asesoría Tenant" });
  });

  it("a Slack advisor's request, rejected in Teams with a reason; Slack tells the requester", async () => {
    const deps = h.app.deps;
    const mark = h.connector.mark();
    await requestActivation(deps, slackAdvisor("T0FIRMSLACK2", { userName: "Sol Slack" }), {
      message: "Queremos activar la solución",
    });
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    const cardId = posted?.activityId ?? "";
    const card = posted?.activity.attachments?.[0]?.content;
    expect(cardText(card)).toMatch(/Sol Slack \(U[^)]*\) · Slack/);

    const agent = h.join(teamsUser(VENDOR, { name: "Tere Teams" }));
    const where = { channel: SUPPORT_CHANNEL, team: SUPPORT_TEAM };
    // Rechazar opens a dialog for the reason.
    const reject = action(card, "Rechazar");
    expect(reject.type).toBe("Action.Submit");
    const ask = await h.fetchDialog(agent, reject.data, where);
    if (ask.kind !== "dialog") throw new Error(`expected the reason's dialog, got ${ask.kind}`);
    expect(inputsOf(ask.card).reason).toMatchObject({ label: "Motivo del rechazo", isRequired: true });
    // Asking for the reason changes nothing for the others.
    expect(h.connector.updatesOf(cardId)).toEqual([]);

    const submit = action(ask.card, "Rechazar");
    const empty = await h.submitDialog(agent, submit.data, { reason: " " }, where);
    if (empty.kind !== "dialog") throw new Error("expected the dialog again");
    expect(cardText(empty.card)).toContain("Indica el motivo del rechazo.");
    expect(h.connector.updatesOf(cardId)).toEqual([]);

    const done = await h.submitDialog(agent, submit.data, { reason: "Falta el contrato" }, where);
    expect(done.kind).toBe("closed");
    const [update] = h.connector.updatesOf(cardId);
    const updated = update?.activity.attachments?.[0]?.content;
    expect(cardText(updated)).toContain("Rechazada por Tere Teams");
    expect(cardText(updated)).toMatch(/Motivo del rechazo\nFalta el contrato/);
    expect(actionsOf(updated)).toEqual([]);

    expect(slackTold.map((r) => [r.status, r.reason, r.platform])).toEqual([
      ["rejected", "Falta el contrato", "slack"],
    ]);
  });

  it("a command in a channel reaches the personal chat even if it was never opened, or went stale", async () => {
    const channel = { channel: "19:firm-general@thread.tacv2" };
    const fresh = h.join(teamsUser("tenant-firm-0004"));
    let mark = h.connector.mark();
    await h.say(fresh, "lista", channel);
    expect(h.connector.created.at(-1)?.members?.[0]?.id).toBe(fresh.id);
    expect(cardText(h.cardsSince(mark, h.personalConversation(fresh))[0]?.card)).toContain("Licencias PYMES generadas");

    const stale = h.join(teamsUser("tenant-firm-0004"));
    const ref = { channelId: "msteams", serviceUrl: h.connector.url, conversation: { id: "a:stale-chat" } };
    await h.app.deps.store.putRef("teams.personal", `tenant-firm-0004:${stale.aadObjectId}`, JSON.stringify(ref), 0);
    h.connector.forbiddenConversations.add("a:stale-chat");
    mark = h.connector.mark();
    await h.say(stale, "clientes", channel);
    expect(cardText(h.cardsSince(mark, h.personalConversation(stale))[0]?.card)).toContain("Clientes");
    const notices = h.connector
      .since(mark)
      .filter((s) => s.conversationId.startsWith("19:firm-general@thread.tacv2"))
      .map((s) => s.activity.text);
    expect(notices).toEqual(["Te he respondido en nuestro chat personal."]);
  });
});
