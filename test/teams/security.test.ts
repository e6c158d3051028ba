import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_TENANT } from "../../src/bot/teams/index.ts";
import { action, cardText } from "./cards.ts";
import { Harness, SUPPORT_CHANNEL, teamsUser } from "./harness.ts";

describe("Teams with BOT_ID set: every activity's token is verified", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ BOT_ID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", BOT_PASSWORD: "not-a-real-secret" });
  });
  afterAll(async () => {
    await h.stop();
  });

  it("answers 401 without a token or with a bad one, and changes nothing", async () => {
    const advisor = h.join(teamsUser("tenant-auth-0001"));
    const submit = {
      ...h.personal(advisor),
      type: "invoke",
      name: "task/submit",
      value: { data: { verb: "activation", firmName: "Asesoría Tenant", message: "Activad la solución" } },
    };
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer abc.def.ghi" },
      { authorization: "Basic dXNlcjpwYXNz" },
    ]) {
      const reply = await h.post(submit, headers);
      expect(reply.status).toBe(401);
    }
    expect((await h.say(advisor, "lista")).status).toBe(401);
    expect(h.connector.sent).toEqual([]);
    expect(await h.app.deps.store.findFirm("teams", "tenant-auth-0001")).toBeUndefined();
  });
});

describe("Teams in local emulator mode", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    expect(h.connector.invalidCards).toEqual([]);
  });

  it("says loudly that Teams is unauthenticated", () => {
    expect(h.app.logLines.join("\n")).toContain("LOCAL EMULATOR MODE");
  });

  it("refuses a request that came through a proxy (X-Forwarded-For or Forwarded)", async () => {
    const advisor = h.join(teamsUser("tenant-proxy-0001"));
    const activity = { ...h.personal(advisor), type: "message", text: "nuevo" };
    expect((await h.post(activity, { "x-forwarded-for": "203.0.113.7" })).status).toBe(403);
    expect((await h.post(activity, { forwarded: "for=203.0.113.7" })).status).toBe(403);
    expect(h.connector.sent).toEqual([]);
    expect(await h.app.deps.store.findFirm("teams", "tenant-proxy-0001")).toBeUndefined();
    expect((await h.post(activity)).status).toBe(200);
  });

  it("lets a local client that sends no tenant (Bot Framework Emulator) try the bot", async () => {
    const advisor = h.join(teamsUser("ignored-tenant"));
    const activity = { ...h.personal(advisor), channelId: "emulator", type: "message", text: "lista" };
    const { tenantId: _t, ...conversation } = activity.conversation;
    const mark = h.connector.mark();
    const reply = await h.post({ ...activity, conversation, channelData: {} });
    expect(reply.status).toBe(200);
    expect(h.connector.since(mark).length).toBeGreaterThan(0);
    expect(await h.app.deps.store.findFirm("teams", EMULATOR_TENANT)).toBeDefined();
  });

  it("refuses guests: commands, dialogs and buttons", async () => {
    const guest = h.join(teamsUser("tenant-guest-0001", { userRole: "guest" }));
    const dm = h.personalConversation(guest);
    let mark = h.connector.mark();
    await h.say(guest, "lista");
    const refused = h.cardsSince(mark, dm);
    expect(refused).toHaveLength(1);
    expect(cardText(refused[0]?.card)).toBe(
      "Los invitados y los usuarios de otras organizaciones no pueden gestionar las licencias de este despacho.",
    );
    const dialog = await h.fetchDialog(guest, { verb: "licence" });
    expect(dialog).toEqual({ kind: "message", text: expect.stringContaining("Los invitados") });
    mark = h.connector.mark();
    const clicked = await h.execute(guest, { verb: "list", data: {} }, "card-1");
    expect(cardText(clicked.value)).toContain("Los invitados");
    expect(await h.app.deps.store.findFirm("teams", "tenant-guest-0001")).toBeUndefined();
  });

  it("a guest in the support channel cannot decide", async () => {
    const advisor = h.join(teamsUser("tenant-firm-guestcase"));
    const guestAgent = h.join(teamsUser("tenant-vendor-0001", { userRole: "guest" }));
    const agent = h.join(teamsUser("tenant-vendor-0001"));
    await h.say(agent, "ayuda", { channel: SUPPORT_CHANNEL });
    const mark = h.connector.mark();
    await h.submitDialog(
      advisor,
      { verb: "activation" },
      { firmName: "Asesoría Tenant", message: "Activad, por favor" },
    );
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    const card = posted?.activity.attachments?.[0]?.content;
    const reply = await h.execute(guestAgent, action(card, "Aprobar"), posted?.activityId ?? "", {
      channel: SUPPORT_CHANNEL,
    });
    expect(reply.type).toBe("application/vnd.microsoft.activity.message");
    expect(reply.value).toContain("Los invitados");
    expect(h.connector.updatesOf(posted?.activityId ?? "")).toEqual([]);
  });

  it("outside the support channel nobody can decide", async () => {
    const advisor = h.join(teamsUser("tenant-firm-elsewhere"));
    const agent = h.join(teamsUser("tenant-vendor-0001"));
    const mark = h.connector.mark();
    await h.submitDialog(
      advisor,
      { verb: "activation" },
      { firmName: "Asesoría Tenant", message: "Activad, por favor" },
    );
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    const card = posted?.activity.attachments?.[0]?.content;
    const reply = await h.execute(agent, action(card, "Aprobar"), posted?.activityId ?? "", {
      channel: "19:another-channel@thread.tacv2",
    });
    expect(reply.value).toBe("Esta orden solo está disponible en el canal de Soporte Técnico.");
    expect(h.connector.updatesOf(posted?.activityId ?? "")).toEqual([]);
  });
});

describe("Teams without BOT_ID off loopback", () => {
  it("accepts no activity: nothing could verify them", async () => {
    const h = await Harness.start({ HOST: "0.0.0.0" });
    try {
      const advisor = h.join(teamsUser("tenant-open-0001"));
      expect((await h.say(advisor, "lista")).status).toBe(401);
      expect(h.connector.sent).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
