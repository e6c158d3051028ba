import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../src/i18n/index.ts";
import type { FakeUser } from "./fake-slack.ts";
import { ACTION, VIEW } from "./ids.ts";
import { type SingleWorkspace, SUPPORT_CHANNEL, singleWorkspace, TEAM } from "./setup.ts";
import { blockText, findButton } from "./slack-sim.ts";

describe("Slack support channel", () => {
  let w: SingleWorkspace;
  let agent: FakeUser;
  let agent2: FakeUser;

  beforeAll(async () => {
    w = await singleWorkspace();
    agent = w.fake.addUser({ id: "U0AGENT001", teamId: TEAM, name: "Sole", locale: "es-ES" });
    agent2 = w.fake.addUser({ id: "U0AGENT002", teamId: TEAM, name: "Paco", locale: "es-ES" });
  });
  afterAll(async () => {
    await w?.dispose();
  });

  /** A request made through Slack; returns the support message. */
  async function request(user: FakeUser, message: string) {
    const form = await w.sim.openActivationForm(user);
    await w.sim.submit(user, form.id, { message });
    const msg = w.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).at(-1);
    if (!msg) throw new Error("no support message");
    return msg;
  }

  it("records exactly one decision when two agents approve at once; the other is told who and when", async () => {
    const requester = w.fake.addUser({ id: "U0REQ00001", teamId: TEAM, name: "Rita", locale: "es-ES" });
    const msg = await request(requester, "Hola");
    const approve = findButton(msg.blocks, ACTION.supportApprove);
    const origin = { kind: "message" as const, channel: SUPPORT_CHANNEL, ephemeral: false, ts: msg.ts };
    const [a, b] = await Promise.all([
      w.sim.click(agent, approve, { ...origin, responseUrl: w.fake.responseUrl() }),
      w.sim.click(agent2, approve, { ...origin, responseUrl: w.fake.responseUrl() }),
    ]);
    expect(w.fake.callsTo("chat.update")).toHaveLength(1);
    expect(w.fake.dmsTo(requester.id)).toHaveLength(1);
    const told = [a, b].map((c) => w.fake.responsesTo(c.responseUrl)).filter((r) => r.length > 0);
    expect(told).toHaveLength(1);
    const text = blockText(told[0]?.[0]?.blocks);
    expect(text).toContain("ya estaba decidida: aprobada por");
    expect(text).toMatch(/Sole|Paco/);
  });

  it("rejects with a reason; the requester is told in their language, and may ask again", async () => {
    // The rejection is about the firm's only pending request, so use a fresh app.
    const x = await singleWorkspace();
    try {
      const requester = x.fake.addUser({ id: "U0REQ00002", teamId: TEAM, name: "Roger", locale: "en-GB" });
      const sole = x.fake.addUser({ id: "U0AGENT003", teamId: TEAM, name: "Sole", locale: "es-ES" });
      const cmd = await x.sim.command(requester, "new");
      const answer = x.sim.lastAnswer(cmd.responseUrl);
      expect(blockText(answer.blocks)).toContain("Do you want to ask Support to activate it?");
      await x.sim.click(requester, findButton(answer.blocks, ACTION.activationYes), {
        kind: "message",
        channel: "C0GENERAL1",
        responseUrl: cmd.responseUrl,
      });
      const form = x.sim.lastView(VIEW.activationRequest);
      expect(blockText(form.view.blocks)).toContain("Message for Support");
      await x.sim.submit(requester, form.id, { message: "Please" });
      const msg = x.fake.messages.find((m) => m.channel === SUPPORT_CHANNEL);
      if (!msg) throw new Error("no support message");
      // The support channel speaks the default language.
      const reject = findButton(msg.blocks, ACTION.supportReject);
      expect(reject.text.text).toBe("Rechazar");

      // Outside the support channel "Rechazar" does not even open the form.
      let click = await x.sim.click(sole, reject, {
        kind: "message",
        channel: "C0GENERAL1",
        responseUrl: x.fake.responseUrl(),
        ephemeral: false,
      });
      expect(blockText(x.sim.lastAnswer(click.responseUrl).blocks)).toContain(t("es", "activation.notSupport"));
      expect(x.fake.views.filter((v) => v.view.callback_id === VIEW.rejectReason)).toHaveLength(0);

      click = await x.sim.click(sole, reject, {
        kind: "message",
        channel: SUPPORT_CHANNEL,
        responseUrl: x.fake.responseUrl(),
        ephemeral: false,
        ts: msg.ts,
      });
      const reasonForm = x.sim.lastView(VIEW.rejectReason);
      expect(blockText(reasonForm.view.blocks)).toContain("Motivo del rechazo");
      const empty = await x.sim.submit(sole, reasonForm.id, { reason: " " });
      expect(empty.body).toMatchObject({ response_action: "errors", errors: { reason: expect.any(String) } });
      const done = await x.sim.submit(sole, reasonForm.id, { reason: "Falta el contrato <!channel>" });
      expect(done.body).toEqual({ response_action: "clear" });

      const updated = blockText(msg.blocks);
      expect(updated).toContain("Rechazada por Sole");
      expect(updated).toContain("Falta el contrato <!channel>");
      expect(msg.blocks.some((b) => b.type === "actions")).toBe(false);
      const dm = blockText(x.fake.dmsTo(requester.id)[0]?.blocks);
      expect(dm).toContain("Support rejected the activation");
      expect(dm).toContain("Falta el contrato <!channel>");

      const again = await x.sim.command(requester, "nuevo");
      expect(blockText(x.sim.lastAnswer(again.responseUrl).blocks)).toContain("activate it again?");
      expect(x.fake.failures).toEqual([]);
    } finally {
      await x.dispose();
    }
  });

  it("support lists pending requests and firms, and revokes a firm, only from the support channel", async () => {
    let cmd = await w.sim.command(agent, "pendientes", "C0GENERAL1");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain(t("es", "support.onlyThere"));

    cmd = await w.sim.command(agent, "pendientes", SUPPORT_CHANNEL);
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("Solicitudes pendientes");

    cmd = await w.sim.command(agent, "despachos", SUPPORT_CHANNEL);
    const firms = blockText(w.sim.lastAnswer(cmd.responseUrl).blocks);
    expect(firms).toContain("Asesoría Pérez");
    expect(firms).toContain("Activa");
    const firm = await w.app.deps.store.findFirm("slack", TEAM);
    if (!firm) throw new Error("no firm");

    cmd = await w.sim.command(agent, `revocar ${firm.id}`, SUPPORT_CHANNEL);
    // The typed command is the question: the firm, what revoking does, and the (danger) button that revokes.
    const prompt = w.sim.lastAnswer(cmd.responseUrl).blocks;
    expect(blockText(prompt)).toContain(t("es", "revoke.question", { name: firm.name, id: firm.id }));
    const revoke = findButton(prompt, ACTION.supportRevoke);
    expect(JSON.stringify(prompt)).toContain('"style":"danger"');
    // From elsewhere the button does nothing.
    const elsewhere = await w.sim.click(agent, revoke, {
      kind: "message",
      channel: "C0GENERAL1",
      responseUrl: w.fake.responseUrl(),
    });
    expect(blockText(w.sim.lastAnswer(elsewhere.responseUrl).blocks)).toContain(t("es", "support.onlyThere"));
    expect((await w.app.deps.store.findFirm("slack", TEAM))?.activationState).toBe("active");
    await w.sim.click(agent, revoke, { kind: "message", channel: SUPPORT_CHANNEL, responseUrl: cmd.responseUrl });
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("revocada");
    expect((await w.app.deps.store.findFirm("slack", TEAM))?.activationState).toBe("revoked");

    cmd = await w.sim.command(agent, "ayuda", SUPPORT_CHANNEL);
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("/licencias pendientes");
    cmd = await w.sim.command(agent, "ayuda", "C0GENERAL1");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).not.toContain("/licencias pendientes");
    expect(w.fake.failures).toEqual([]);
  });

  it("answers in English to an English-speaking user, and help for an unknown word", async () => {
    const en = w.fake.addUser({ id: "U0ENGLISH1", teamId: TEAM, locale: "en-US" });
    let cmd = await w.sim.command(en, "frobnicate <!channel>");
    let text = blockText(w.sim.lastAnswer(cmd.responseUrl).blocks);
    expect(text).toContain("I don't know the word “frobnicate”");
    expect(text).toContain("/licencias new");
    cmd = await w.sim.command(w.fake.addUser({ id: "U0SPANISH1", teamId: TEAM, locale: "es-ES" }), "lo-que-sea");
    text = blockText(w.sim.lastAnswer(cmd.responseUrl).blocks);
    expect(text).toContain("No conozco la palabra «lo-que-sea»");
    cmd = await w.sim.command(en, "enviar");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("Give the licence number or the tax id");
  });
});

describe("Slack support in a Slack Connect channel (one bot token)", () => {
  it("lets the vendor's staff decide when SUPPORT_USER_IDS names them, and nobody else from outside", async () => {
    const w = await singleWorkspace({ SUPPORT_USER_IDS: "U0CONNECT1" });
    try {
      const staff = w.fake.addUser({ id: "U0CONNECT1", teamId: "T0VENDOR99", name: "Vera", stranger: true });
      const outsider = w.fake.addUser({ id: "U0CONNECT2", teamId: "T0OTHER099", name: "Otto", stranger: true });
      const requester = w.fake.addUser({ id: "U0REQCONN1", teamId: TEAM, name: "Rosa", locale: "es-ES" });
      const form = await w.sim.openActivationForm(requester);
      await w.sim.submit(requester, form.id, { message: "Hola" });
      const msg = w.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).at(-1);
      if (!msg) throw new Error("no support message");
      const approve = findButton(msg.blocks, ACTION.supportApprove);
      const origin = { kind: "message" as const, channel: SUPPORT_CHANNEL, ephemeral: false, ts: msg.ts, teamId: TEAM };

      await w.sim.click(outsider, approve, { ...origin, responseUrl: w.fake.responseUrl() });
      expect(w.fake.callsTo("chat.update")).toHaveLength(0);
      expect((await w.app.deps.store.findFirm("slack", TEAM))?.activationState).toBe("pending");

      await w.sim.click(staff, approve, { ...origin, responseUrl: w.fake.responseUrl() });
      expect(w.fake.callsTo("chat.update")).toHaveLength(1);
      expect((await w.app.deps.store.findFirm("slack", TEAM))?.activationState).toBe("active");
      expect(blockText(w.fake.dmsTo(requester.id).at(-1)?.blocks)).toMatch(/aprobad|activad/i);
    } finally {
      await w.dispose();
    }
  });
});
