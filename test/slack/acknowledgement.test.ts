import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACK_ANSWER_MS } from "../../src/bot/slack/listeners/commands/licencias.ts";
import { createLicence } from "../../src/handlers/index.ts";
import type { FakeUser } from "./fake-slack.ts";
import { activatedFirm, type SingleWorkspace, singleWorkspace, TEAM } from "./setup.ts";
import { blockText } from "./slack-sim.ts";

/**
 * A slash command's answer goes back in the command's own HTTP response (the
 * acknowledgement) when it is ready in time, as a bare Bolt app answers; only
 * a slow answer is acknowledged empty and posted to the response_url later.
 */
describe("Slack: the answer to a command in its acknowledgement", () => {
  let w: SingleWorkspace;
  let advisor: FakeUser;
  const taxId = "B12345674";

  beforeAll(async () => {
    w = await singleWorkspace();
    advisor = w.fake.addUser({ id: "U0ACKER001", teamId: TEAM, name: "Ana", locale: "es-ES" });
    const actor = await activatedFirm(w, advisor);
    await createLicence(w.app.deps, actor, { taxId, name: "Cliente Acuse, S.L." });
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it("answers `lista` in the HTTP response, with nothing posted to the response_url", async () => {
    const cmd = await w.sim.command(advisor, "lista");
    expect(cmd.status).toBe(200);
    expect(cmd.acknowledgement).toMatchObject({ response_type: "ephemeral" });
    expect(blockText(cmd.acknowledgement?.blocks)).toContain("Licencias PYMES generadas");
    expect(blockText(cmd.acknowledgement?.blocks)).toContain("Cliente Acuse, S.L.");
    const id = cmd.responseUrl.slice(cmd.responseUrl.lastIndexOf("/") + 1);
    expect(w.fake.responses.filter((r) => r.id === id && !r.acknowledgement)).toEqual([]);
    expect(w.fake.failures).toEqual([]);
  });

  it("answers an error (a missing argument) in the HTTP response too", async () => {
    const cmd = await w.sim.command(advisor, "enviar");
    expect(blockText(cmd.acknowledgement?.blocks)).toContain("Indica el número de licencia o el NIF/CIF");
  });

  it("opens a form with the trigger and acknowledges with no message", async () => {
    const before = w.fake.callsTo("views.open").length;
    const cmd = await w.sim.command(advisor, "nuevo");
    expect(cmd.status).toBe(200);
    expect(cmd.acknowledgement).toBeUndefined();
    expect(w.fake.callsTo("views.open").length).toBe(before + 1);
  });

  it("acknowledges a slow answer empty (at ACK_ANSWER_MS, inside Slack's 3 seconds) and posts it to the response_url", async () => {
    // The DM with the details hangs (a slow Slack): the answer is not ready in time.
    w.fake.stall("conversations.open");
    const started = Date.now();
    const cmd = await w.sim.command(advisor, `enviar ${taxId}`);
    expect(cmd.status).toBe(200);
    expect(cmd.acknowledgement).toBeUndefined();
    const answers = w.fake.responsesTo(cmd.responseUrl);
    expect(answers).toHaveLength(1);
    // The Web API call gave up: the person is told, through the response_url.
    expect(blockText(answers[0]?.blocks)).toContain("Algo ha fallado");
    expect(Date.now() - started).toBeGreaterThan(ACK_ANSWER_MS);
  });
});
