import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buttonActionId } from "../../src/bot/slack/ids.ts";
import { type Actor, createLicence, listLicences } from "../../src/handlers/index.ts";
import { startTestApp } from "../support/app.ts";
import { bulkPaste } from "../support/bulk.ts";
import { newDni } from "../support/fixtures.ts";
import type { FakeUser } from "./fake-slack.ts";
import { startFakeSlack } from "./fake-slack.ts";
import { activatedFirm, SECRET, type SingleWorkspace, SUPPORT_CHANNEL, TEAM, TOKEN } from "./setup.ts";
import { blockText, findButton, SlackSim } from "./slack-sim.ts";

type Json = Record<string, unknown>;

const SEND_ALL = buttonActionId({ kind: "run", verb: "bulkSend" });

/** One workspace, with queued private messages barely paced (Slack's own pace is about one a second). */
async function workspace(): Promise<SingleWorkspace> {
  const fake = await startFakeSlack();
  fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
  const app = await startTestApp(
    { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL },
    { slackClientOptions: { slackApiUrl: fake.apiUrl }, slackPrivatePaceMs: 5 },
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

const text = (view: Json) => blockText(view.blocks);
const inputs = (view: Json) => (view.blocks as Json[]).filter((b) => b.type === "input");

describe("Slack: Nuevo en bloque", () => {
  let w: SingleWorkspace;
  let ana: FakeUser;
  let actor: Actor;

  beforeAll(async () => {
    w = await workspace();
    ana = w.fake.addUser({ id: "U0BULK0001", teamId: TEAM, name: "Ana", locale: "es-ES" });
  });
  afterAll(async () => {
    expect(w.fake.failures).toEqual([]);
    await w.dispose();
  });

  it("before the activation, «nuevo varios» asks for it like «nuevo»", async () => {
    const bulk = await w.sim.command(ana, "nuevo varios");
    const single = await w.sim.command(ana, "nuevo");
    const asked = blockText(w.sim.lastAnswer(bulk.responseUrl).blocks);
    expect(asked).toContain("¿Quieres solicitar su activación");
    expect(asked).toEqual(blockText(w.sim.lastAnswer(single.responseUrl).blocks));
    actor = await activatedFirm(w, ana);
  });

  it("opens the paste form: two fields of Slack's 3000 characters, the limit said in the form", async () => {
    for (const word of ["nuevo varios", "varios", "bloque"]) await w.sim.command(ana, word);
    const forms = w.fake.callsTo("views.open").filter((c) => (c.args.view as Json).callback_id === "bulk");
    expect(forms).toHaveLength(3);
    const form = w.sim.lastView("bulk").view;
    expect(
      inputs(form).map((b) => [b.block_id, (b.element as Json).max_length, (b.element as Json).multiline]),
    ).toEqual([
      ["lines", 3000, true],
      ["more", 3000, true],
    ]);
    expect(text(form)).toContain("3000 caracteres");
    const other = await w.sim.command(ana, "nuevo otra");
    expect(blockText(w.sim.lastAnswer(other.responseUrl).blocks)).toContain("no conozco «otra»");
  });

  it("51 lines are refused at the field", async () => {
    await w.sim.command(ana, "nuevo varios");
    const form = w.sim.lastView("bulk");
    const many = Array.from({ length: 51 }, (_, i) => `${newDni()};Cliente ${i} S.L.`);
    const res = await w.sim.submit(ana, form.id, {
      lines: many.slice(0, 26).join("\n"),
      more: many.slice(26).join("\n"),
    });
    expect(res.body?.response_action).toBe("errors");
    expect(res.body?.errors).toEqual({ lines: "Como máximo 50 líneas cada vez: has pegado 51." });
    // Longer than the input allows (not typed in Slack): refused at the field, nothing parsed.
    const long = await w.sim.submit(ana, form.id, { lines: `${newDni()};Cliente S.L.`, more: "x".repeat(3001) });
    expect(long.body?.errors).toEqual({ more: "Máximo 3000 caracteres." });
  });

  it("50 lines, 5 bad: the preview is pushed over the form, then 45 licences are created and the 5 reported by line", async () => {
    const existing = (await createLicence(w.app.deps, actor, { taxId: newDni(), name: "Ya existente S.L." })).client
      .taxId;
    const paste = bulkPaste(existing);
    await w.sim.command(ana, "nuevo varios");
    const form = w.sim.lastView("bulk");
    const res = await w.sim.submit(ana, form.id, { lines: paste.lines, more: paste.more });
    expect(res.body?.response_action).toBe("push");
    const preview = res.body?.view as Json;
    // Corregir is the pushed modal's close button: Slack goes back to the form, which still holds the paste.
    expect((preview.close as Json).text).toBe("Corregir");
    expect((preview.submit as Json).text).toBe("Crear 45 licencias");
    const shown = text(preview);
    expect(shown).toContain("45 de 50 líneas se pueden crear.");
    for (const bad of paste.bad) expect(shown).toContain(`Línea ${bad.line}: ⛔`);
    expect(shown).toContain("NIF repetido: ya está en la línea 5.");
    expect((await listLicences(w.app.deps, actor)).total).toBe(1);

    const pushed = w.sim.lastView("bulk");
    expect(pushed.id).not.toBe(form.id);
    // A second copy of the same preview, to submit it twice (a double click, a retried request).
    w.fake.views.push({ id: `${pushed.id}COPY`, view: structuredClone(pushed.view) });
    const done = await w.sim.submit(ana, pushed.id, {});
    expect(done.body?.response_action).toBe("update");
    const result = done.body?.view as Json;
    expect(result.clear_on_close).toBe(true);
    const resultText = text(result);
    expect(resultText).toContain("45 licencias creadas.");
    expect(resultText).toContain("5 líneas sin licencia:");
    for (const bad of paste.bad) expect(resultText).toContain(`Línea ${bad.line}: ⛔`);
    expect((await listLicences(w.app.deps, actor)).total).toBe(46);

    const again = await w.sim.submit(ana, `${pushed.id}COPY`, {});
    const twice = text(again.body?.view as Json);
    expect(twice).toContain("No se ha creado ninguna licencia.");
    expect(twice.split("Este cliente ya tiene una Licencia PYME.").length - 1).toBe(46);
    expect((await listLicences(w.app.deps, actor)).total).toBe(46);

    // Enviar datos de licencia: one DM per client, paced off the request, a 429 retried after its Retry-After.
    const before = w.fake.dmsTo(ana.id).length;
    const posts = w.fake.callsTo("chat.postMessage").length;
    w.fake.rateLimit("chat.postMessage", 1);
    const click = await w.sim.click(ana, findButton(result.blocks, SEND_ALL), { kind: "view", viewId: pushed.id });
    expect(click.status).toBe(200);
    const told = w.fake.callsTo("views.push").at(-1)?.args.view as Json;
    expect(text(told)).toContain("Te estoy enviando 45 mensajes privados");
    await vi.waitFor(() => expect(w.fake.dmsTo(ana.id).length - before).toBe(45), { timeout: 15_000, interval: 50 });
    // 46 calls: the one refused with a 429 was sent again.
    expect(w.fake.callsTo("chat.postMessage").length - posts).toBe(46);
    const dms = w.fake.dmsTo(ana.id).slice(before);
    const names = dms.map((m) => blockText(m.blocks).match(/Datos de la Licencia PYME de (.+)/)?.[1]);
    expect(new Set(names).size).toBe(45);
    for (const m of dms) expect(JSON.stringify(m.blocks)).toContain("mailto:");
  }, 30_000);

  it("tab-separated lines with a header, as copied from a spreadsheet", async () => {
    await w.sim.command(ana, "varios");
    const form = w.sim.lastView("bulk");
    const rows = [
      "NIF\tRazón social\tCorreo electrónico\tPersona de contacto\tTeléfono",
      `${newDni()}\tHoja Uno, S.L.\tuno@hoja.es\tLuis\t600111222`,
      `${newDni()}\tHoja Dos S.A.\t\t\t`,
    ];
    const res = await w.sim.submit(ana, form.id, { lines: rows.join("\n"), more: null });
    expect(res.body?.response_action).toBe("push");
    const shown = text(res.body?.view as Json);
    expect(shown).toContain("2 de 2 líneas se pueden crear.");
    expect(shown).toContain("Línea 2: ✅");
    expect(shown).toContain("Hoja Uno, S.L.");

    // Changed in the preview's own fields: checked again, not created.
    const pushed = w.sim.lastView("bulk");
    const total = (await listLicences(w.app.deps, actor)).total;
    const changed = await w.sim.submit(ana, pushed.id, { lines: `${rows.join("\n")}\n${newDni()}\tHoja Tres S.L.` });
    expect(changed.body?.response_action).toBe("update");
    const again = text(changed.body?.view as Json);
    expect(again).toContain("Has cambiado las líneas");
    expect(again).toContain("3 de 3 líneas se pueden crear.");
    expect((await listLicences(w.app.deps, actor)).total).toBe(total);
  });
});
