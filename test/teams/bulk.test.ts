import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  createLicence,
  decideActivation,
  listLicences,
  requestActivation,
} from "../../src/handlers/index.ts";
import { bulkPaste } from "../support/bulk.ts";
import { newDni } from "../support/fixtures.ts";
import { action, actionsOf, cardText, inputsOf } from "./cards.ts";
import { Harness, SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const FIRM = "tenant-bulk-0001";
const VENDOR = "tenant-vendor-bulk";

function actorFor(user: User, channelId: string): Actor {
  return { platform: "teams", workspaceId: user.tenantId, userId: user.aadObjectId, locale: "es", channelId };
}

describe("Teams: Nuevo en bloque", () => {
  let h: Harness;
  let advisor: User;
  let dm: string;

  beforeAll(async () => {
    h = await Harness.start();
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora" }));
    dm = h.personalConversation(advisor);
  });
  afterAll(async () => {
    await h.stop();
  });

  /** The text of the card(s) the bot sent to the personal chat for a message. */
  async function answer(text: string) {
    const mark = h.connector.mark();
    expect((await h.say(advisor, text)).status).toBe(200);
    return h.cardsSince(mark, dm);
  }

  it("before the activation, «nuevo varios» asks for it like «nuevo»", async () => {
    const [bulk] = await answer("nuevo varios");
    const [single] = await answer("nuevo");
    expect(cardText(bulk?.card)).toContain("todavía no tiene activada la Solución para PYMES");
    expect(cardText(bulk?.card)).toEqual(cardText(single?.card));
    const agent = h.join(teamsUser(VENDOR, { name: "Sara Soporte" }));
    const request = await requestActivation(h.app.deps, actorFor(advisor, dm), { message: "Queremos la Solución" });
    await decideActivation(h.app.deps, actorFor(agent, SUPPORT_CHANNEL), {
      requestId: request.id,
      decision: "approve",
    });
  });

  it("50 lines, 5 bad: preview in the dialog, Corregir back to the paste, then 45 licences and the details of all", async () => {
    const actor = actorFor(advisor, dm);
    const existing = (await createLicence(h.app.deps, actor, { taxId: newDni(), name: "Ya existente S.L." })).client
      .taxId;
    const paste = bulkPaste(existing);
    const [card] = await answer("nuevo varios");
    const open = action(card?.card, "Nuevo en bloque");
    const form = await h.fetchDialog(advisor, open.data);
    if (form.kind !== "dialog") throw new Error(`expected a dialog, got ${form.kind}`);
    expect(inputsOf(form.card).lines).toMatchObject({ isMultiline: true, maxLength: 3000, isRequired: true });
    expect(inputsOf(form.card).more).toMatchObject({ isMultiline: true, maxLength: 3000 });
    const review = action(form.card, "Revisar");

    const many = Array.from({ length: 51 }, (_, i) => `${newDni()};Cliente ${i} S.L.`).join("\n");
    const refused = await h.submitDialog(advisor, review.data, { lines: many, more: "" });
    if (refused.kind !== "dialog") throw new Error("expected the form again");
    expect(cardText(refused.card)).toContain("Como máximo 50 líneas cada vez: has pegado 51.");

    const typed = { lines: paste.lines, more: paste.more };
    const preview = await h.submitDialog(advisor, review.data, typed);
    if (preview.kind !== "dialog") throw new Error("expected the preview");
    const shown = cardText(preview.card);
    expect(shown).toContain("45 de 50 líneas se pueden crear.");
    for (const bad of paste.bad) expect(shown).toContain(bad.error);
    expect(actionsOf(preview.card).map((a) => a.title)).toEqual(["Crear 45 licencias", "Corregir"]);

    const back = await h.submitDialog(advisor, action(preview.card, "Corregir").data, typed);
    if (back.kind !== "dialog") throw new Error("expected the form");
    expect(inputsOf(back.card).lines?.value).toBe(paste.lines);
    expect(inputsOf(back.card).more?.value).toBe(paste.more);
    expect(actionsOf(back.card).map((a) => a.title)).toEqual(["Revisar"]);

    const create = action(preview.card, "Crear 45 licencias");
    const mark = h.connector.mark();
    expect((await h.submitDialog(advisor, create.data, typed)).kind).toBe("closed");
    const [result] = h.cardsSince(mark, dm);
    const resultText = cardText(result?.card);
    expect(resultText).toContain("45 licencias creadas.");
    for (const bad of paste.bad) expect(resultText).toContain(`Línea ${bad.line}: ⛔`);
    expect((await listLicences(h.app.deps, actor)).total).toBe(46);

    // The same paste submitted again: nothing created, each line says why.
    const again = h.connector.mark();
    expect((await h.submitDialog(advisor, create.data, typed)).kind).toBe("closed");
    const twice = cardText(h.cardsSince(again, dm)[0]?.card);
    expect(twice).toContain("No se ha creado ninguna licencia.");
    expect(twice.split("Este cliente ya tiene una Licencia PYME.").length - 1).toBe(46);
    expect((await listLicences(h.app.deps, actor)).total).toBe(46);

    const sending = h.connector.mark();
    const told = await h.execute(advisor, action(result?.card, "Enviar datos de licencia"), result?.activityId ?? "");
    expect(cardText(told.value)).toContain("Te estoy enviando 45 mensajes privados");
    const details = h.cardsSince(sending, dm).filter((c) => cardText(c.card).includes("Datos de la Licencia PYME de"));
    expect(details).toHaveLength(45);
    for (const d of details) expect(actionsOf(d.card).some((a) => a.title === "Abrir borrador de correo")).toBe(true);
  }, 30_000);
});
