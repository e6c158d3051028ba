import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "./fake-slack.ts";
import { ACTION } from "./ids.ts";
import { type SingleWorkspace, SUPPORT_CHANNEL, singleWorkspace, TEAM } from "./setup.ts";
import { blockText, findButton } from "./slack-sim.ts";

type Json = Record<string, unknown>;

describe("Slack: the firm's name in the activation request", () => {
  let w: SingleWorkspace;
  let advisor: FakeUser;
  let agent: FakeUser;

  beforeAll(async () => {
    w = await singleWorkspace();
    advisor = w.fake.addUser({ id: "U0NAMER001", teamId: TEAM, name: "Nora", locale: "es-ES" });
    agent = w.fake.addUser({ id: "U0AGENT091", teamId: TEAM, name: "Sole", locale: "es-ES" });
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it("is asked for, prefilled with the workspace's name, checked on the field, then shown everywhere", async () => {
    const form = await w.sim.openActivationForm(advisor);
    const input = (form.view.blocks as Json[]).find((b) => b.block_id === "firmName");
    expect(input?.label).toMatchObject({ text: "Nombre del despacho" });
    expect(input?.element).toMatchObject({ initial_value: "Asesoría Pérez", max_length: 80 });
    expect(input?.optional).toBeFalsy();

    const empty = await w.sim.submit(advisor, form.id, { firmName: "   ", message: "Hola" });
    expect(empty.body).toEqual({
      response_action: "errors",
      errors: { firmName: "Indica el nombre del despacho." },
    });
    const long = await w.sim.submit(advisor, form.id, { firmName: "x".repeat(81), message: "Hola" });
    expect(long.body).toEqual({
      response_action: "errors",
      errors: { firmName: "El nombre del despacho no puede superar 80 caracteres." },
    });
    expect(w.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL)).toEqual([]);

    await w.sim.submit(advisor, form.id, { firmName: "  Pérez & Asociados  ", message: "Activad" });
    const msg = w.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).at(-1);
    if (!msg) throw new Error("no support message");
    expect(blockText(msg.blocks)).toContain("Pérez & Asociados");
    expect((await w.app.deps.store.findFirm("slack", TEAM))?.name).toBe("Pérez & Asociados");

    const click = await w.sim.click(agent, findButton(msg.blocks, ACTION.supportApprove), {
      kind: "message",
      channel: SUPPORT_CHANNEL,
      ephemeral: false,
      ts: msg.ts,
      responseUrl: w.fake.responseUrl(),
    });
    expect(w.fake.responsesTo(click.responseUrl)).toEqual([]);
    expect(blockText(w.fake.dmsTo(advisor.id).at(-1)?.blocks)).toContain(
      "ha aprobado la activación de la Solución para PYMES de Pérez & Asociados",
    );
    // A later command from the same workspace keeps the name the advisor gave.
    await w.sim.command(advisor, "lista");
    const list = await w.sim.command(agent, "despachos", SUPPORT_CHANNEL);
    expect(blockText(w.sim.lastAnswer(list.responseUrl).blocks)).toContain("Pérez & Asociados · Activa");
    expect(w.fake.failures).toEqual([]);
  });
});
