import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateInstallation, type Deps } from "../../src/handlers/index.ts";
import { newDni } from "../support/fixtures.ts";
import { action, actionsOf, cardText, inputsOf } from "./cards.ts";
import { Harness, SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const FIRM = "tenant-asesoria-0001";
const VENDOR = "tenant-vendor-0001";

/**
 * An advisor's whole journey in Teams, as in the Slack app: activation
 * asked and approved in the Teams support channel, a licence issued with
 * field errors first, self-managed ticked, details sent, and every licence
 * action with its confirmation.
 */
describe("Teams: the advisor's journey", () => {
  let h: Harness;
  let advisor: User;
  let agent: User;
  let otherAgent: User;
  let dm: string;

  beforeAll(async () => {
    h = await Harness.start();
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora" }));
    agent = h.join(teamsUser(VENDOR, { name: "Sara Soporte" }));
    otherAgent = h.join(teamsUser(VENDOR, { name: "Pablo Soporte" }));
    dm = h.personalConversation(advisor);
  });
  afterAll(async () => {
    await h.stop();
  });

  let approvalCardId = "";
  let approvalThread = "";

  it("asks Sí/No for «nuevo» while the feature is off; No answers in place", async () => {
    const mark = h.connector.mark();
    expect((await h.say(advisor, "nuevo")).status).toBe(200);
    const [question] = h.cardsSince(mark, dm);
    expect(cardText(question?.card)).toContain("todavía no tiene activada la Solución para PYMES");
    const no = action(question?.card, "No");
    const answer = await h.execute(advisor, no, question?.activityId ?? "");
    expect(cardText(answer.value)).toContain("no se ha enviado ninguna solicitud");
    // Replaced in place in the chat too.
    expect(h.connector.updatesOf(question?.activityId ?? "")).toHaveLength(1);
  });

  it("Sí opens the request dialog; an empty message is refused at the field", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "nuevo");
    const [question] = h.cardsSince(mark, dm);
    const yes = action(question?.card, "Sí");
    expect(yes.type).toBe("Action.Submit");
    const dialog = await h.fetchDialog(advisor, yes.data);
    if (dialog.kind !== "dialog") throw new Error(`expected a dialog, got ${dialog.kind}`);
    expect(inputsOf(dialog.card).message?.label).toBe("Mensaje para Soporte Técnico");
    // A tenant has no name of its own: the firm's name is asked for, empty (never the tenant id).
    expect(inputsOf(dialog.card).firmName).toMatchObject({ label: "Nombre del despacho", isRequired: true });
    expect(inputsOf(dialog.card).firmName?.value).toBeUndefined();

    const send = action(dialog.card, "Enviar solicitud");
    const again = await h.submitDialog(advisor, send.data, { firmName: " ", message: "   " });
    if (again.kind !== "dialog") throw new Error("expected the dialog again");
    expect(cardText(again.card)).toContain("Escribe un mensaje para Soporte Técnico.");
    expect(cardText(again.card)).toContain("Indica el nombre del despacho.");
    const long = await h.submitDialog(advisor, send.data, { firmName: "x".repeat(81), message: "Hola" });
    if (long.kind !== "dialog") throw new Error("expected the dialog again");
    expect(cardText(long.card)).toContain("El nombre del despacho no puede superar 80 caracteres.");
    expect(inputsOf(long.card).message?.value).toBe("Hola");

    const sent = h.connector.mark();
    const done = await h.submitDialog(advisor, send.data, {
      firmName: "  Asesoría Pérez  ",
      message: "Somos la Asesoría *Pérez*, queremos la Solución",
    });
    expect(done.kind).toBe("closed");
    expect(cardText(h.cardsSince(sent, dm)[0]?.card)).toContain("Solicitud enviada a Soporte Técnico");
    // The support channel has not been seen yet: nothing posted there.
    expect(h.connector.created.filter((c) => c.isGroup)).toHaveLength(0);
  });

  it("posts the waiting request once the bot is mentioned in the support channel", async () => {
    const mark = h.connector.mark();
    const reply = await h.say(agent, "pendientes", { channel: SUPPORT_CHANNEL });
    expect(reply.status).toBe(200);
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    expect(posted).toBeDefined();
    approvalCardId = posted?.activityId ?? "";
    approvalThread = posted?.conversationId ?? "";
    expect(approvalThread).toBe(`${SUPPORT_CHANNEL};messageid=${approvalCardId}`);
    const card = posted?.activity.attachments?.[0]?.content;
    const text = cardText(card);
    expect(text).toContain("Solicitud de activación");
    expect(text).toContain(FIRM);
    expect(text).toContain("Asesoría Pérez");
    expect(text).toContain("Ana Asesora");
    // What the advisor typed is escaped for the card's markdown.
    expect(text).toContain("\\*Pérez\\*");
    expect(actionsOf(card).map((a) => `${a.type}:${a.title}`)).toEqual([
      "Action.Execute:Aprobar",
      // Rechazar opens the reason's dialog.
      "Action.Submit:Rechazar",
    ]);
    const said = h.connector
      .since(mark)
      .filter((s) => s.kind === "send" && s.conversationId.startsWith(SUPPORT_CHANNEL))
      .map((s) => s.activity.text ?? "");
    expect(said[0]).toBe(
      "Canal de Soporte Técnico conectado: publicaré aquí las solicitudes de activación. 1 solicitud pendiente publicada ahora.",
    );
  });

  it("«nuevo» while pending says so", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "nuevo");
    expect(cardText(h.cardsSince(mark, dm)[0]?.card)).toContain("Ya hay una solicitud de activación pendiente");
  });

  it("support approves in place for everyone; the requester is told proactively", async () => {
    const card = h.connector.sent.find((s) => s.activityId === approvalCardId)?.activity.attachments?.[0]?.content;
    const mark = h.connector.mark();
    const result = await h.execute(otherAgent, action(card, "Aprobar"), approvalCardId, { channel: SUPPORT_CHANNEL });
    expect(cardText(result.value)).toContain("Aprobada por Pablo Soporte");
    expect(actionsOf(result.value)).toEqual([]);

    const [update] = h.connector.updatesOf(approvalCardId);
    expect(update?.conversationId).toBe(approvalThread);
    const updated = update?.activity.attachments?.[0]?.content;
    expect(cardText(updated)).toContain("Aprobada por Pablo Soporte");
    expect(actionsOf(updated)).toEqual([]);

    const told = h.cardsSince(mark, dm);
    expect(told).toHaveLength(1);
    expect(cardText(told[0]?.card)).toContain("ha aprobado la activación de la Solución para PYMES de Asesoría Pérez");
  });

  it("a second click is told who decided and when", async () => {
    const result = await h.execute(agent, { verb: "approve", data: { requestId: 1 } }, approvalCardId, {
      channel: SUPPORT_CHANNEL,
    });
    expect(cardText(result.value)).toMatch(/ya estaba decidida: aprobada por Pablo Soporte el \d\d\/\d\d\/\d{4}/);
  });

  let licenceCard: Record<string, unknown> | undefined;
  let licenceCardId = "";
  let taxId = "";

  it("issues a licence: errors at their fields with the input kept, then created", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "nuevo");
    const [start] = h.cardsSince(mark, dm);
    const open = action(start?.card, "Nueva licencia");
    const dialog = await h.fetchDialog(advisor, open.data);
    if (dialog.kind !== "dialog") throw new Error("expected the licence dialog");
    expect(dialog.title).toBe("Nueva licencia");
    expect(cardText(dialog.card)).toContain("Mantenimiento de Licencias");
    const labels = Object.values(inputsOf(dialog.card)).map((i) => i.label);
    expect(labels).toEqual([
      "NIF/CIF",
      "Razón social",
      "Persona de contacto",
      "Correo electrónico",
      "Teléfono",
      "Observaciones",
    ]);

    const save = action(dialog.card, "Guardar");
    const bad = { taxId: "12345678A", name: "Ferretería López S.L.", email: "ana@", phone: "600 123 456" };
    const again = await h.submitDialog(advisor, save.data, bad);
    if (again.kind !== "dialog") throw new Error("expected the dialog again");
    const inputs = inputsOf(again.card);
    expect(inputs.taxId?.value).toBe("12345678A");
    expect(inputs.name?.value).toBe("Ferretería López S.L.");
    expect(inputs.email?.value).toBe("ana@");
    const body = again.card.body as { type: string; id?: string; text?: string; color?: string }[];
    const nextTo = (id: string) => body[body.findIndex((e) => e.id === id) + 1];
    expect(nextTo("taxId")).toMatchObject({
      type: "TextBlock",
      color: "attention",
      text: expect.stringContaining("NIF/CIF no es válido"),
    });
    expect(nextTo("email")).toMatchObject({ color: "attention", text: "El correo electrónico no es válido." });
    expect(nextTo("name")?.type).toBe("Input.Text");

    taxId = newDni();
    const created = h.connector.mark();
    const done = await h.submitDialog(advisor, save.data, { ...bad, taxId, email: "ana@ferreteria.example.com" });
    expect(done.kind).toBe("closed");
    const [result] = h.cardsSince(created, dm);
    expect(cardText(result?.card)).toContain("Licencia PYME creada para Ferretería López S.L.");
    licenceCard = result?.card;
    licenceCardId = result?.activityId ?? "";
  });

  it("ticks «Este cliente gestiona sus propias notificaciones» in the client dialog", async () => {
    const dialog = await h.fetchDialog(advisor, action(licenceCard, "Gestiona sus propias notificaciones").data);
    if (dialog.kind !== "dialog") throw new Error("expected the client dialog");
    const toggle = inputsOf(dialog.card).selfManaged;
    expect(toggle?.title).toBe("Este cliente gestiona sus propias notificaciones");
    expect(toggle?.value).toBe("false");
    const mark = h.connector.mark();
    const done = await h.submitDialog(advisor, action(dialog.card, "Guardar").data, { selfManaged: "true" });
    expect(done.kind).toBe("closed");
    expect(cardText(h.cardsSince(mark, dm)[0]?.card)).toContain(
      "Guardado: Ferretería López S.L. gestiona sus propias notificaciones.",
    );
  });

  it("sends the licence details in the personal chat with the e-mail draft", async () => {
    const mark = h.connector.mark();
    const result = await h.execute(advisor, action(licenceCard, "Enviar datos de licencia"), licenceCardId);
    expect(cardText(result.value)).toContain(
      "Te he enviado los datos de la licencia de Ferretería López S.L. en un mensaje privado",
    );
    const [details] = h.cardsSince(mark, dm);
    const text = cardText(details?.card);
    expect(text).toContain("Número de licencia");
    expect(text).toContain("Instrucciones de instalación");
    expect(text).toMatch(/[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/);
    const mail = action(details?.card, "Abrir borrador de correo");
    expect(mail.type).toBe("Action.OpenUrl");
    expect(mail.url).toMatch(/^mailto:ana@ferreteria\.example\.com\?subject=/);
    expect(mail.url?.length).toBeLessThan(2000);
  });

  it("lists the licences with their state and buttons", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "lista");
    const [list] = h.cardsSince(mark, dm);
    const text = cardText(list?.card);
    expect(text).toContain("Ferretería López S.L.");
    expect(text).toContain("Activa · Sin vincular · Autogestiona: Sí");
    expect(actionsOf(list?.card).map((a) => a.title)).toEqual([
      "Ver ficha",
      "Enviar datos de licencia",
      "Desactivar",
      "Eliminar",
      "Configurar cliente",
      "Nuevo",
      "Nuevo en bloque",
      "Ver clientes",
    ]);
  });

  async function confirmAndApply(button: string, confirmTitle: string): Promise<string> {
    const mark = h.connector.mark();
    await h.say(advisor, "lista");
    const [list] = h.cardsSince(mark, dm);
    const id = list?.activityId ?? "";
    const confirm = await h.execute(advisor, action(list?.card, button), id);
    expect(actionsOf(confirm.value).map((a) => a.title)).toEqual([confirmTitle, "Cancelar"]);
    const done = await h.execute(advisor, action(confirm.value, confirmTitle), id);
    // Both steps replaced the list card in the chat.
    expect(h.connector.updatesOf(id)).toHaveLength(2);
    return cardText(done.value);
  }

  it("deactivates after confirming, and says the firm watches the mailboxes again", async () => {
    const text = await confirmAndApply("Desactivar", "Desactivar");
    expect(text).toContain("Licencia de Ferretería López S.L. desactivada.");
    expect(text).toContain("vigilar sus buzones vuelve a ser tarea del despacho");
    expect(text).toContain("Desactivada · Sin vincular · Autogestiona: No");
  });

  it("reactivates at once (nothing to lose), without ticking self-managed again", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "lista");
    const [list] = h.cardsSince(mark, dm);
    const done = await h.execute(advisor, action(list?.card, "Reactivar"), list?.activityId ?? "");
    expect(h.connector.updatesOf(list?.activityId ?? "")).toHaveLength(1);
    const text = cardText(done.value);
    expect(text).toContain("reactivada");
    expect(text).toContain("«Gestiona sus propias notificaciones» no se ha vuelto a marcar");
    expect(text).toContain("Activa · Sin vincular · Autogestiona: No");
  });

  it("cancel leaves the licence as it was", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "lista");
    const [list] = h.cardsSince(mark, dm);
    const confirm = await h.execute(advisor, action(list?.card, "Eliminar"), list?.activityId ?? "");
    const back = await h.execute(advisor, action(confirm.value, "Cancelar"), list?.activityId ?? "");
    expect(cardText(back.value)).toContain("Activa · Sin vincular");
  });

  it("unlinks a licence bound to an installation after confirming", async () => {
    const deps: Deps = h.app.deps;
    const number = /([0-9A-Z]{5}-){3}[0-9A-Z]{5}/.exec(
      JSON.stringify(h.connector.sent.map((s) => s.activity.attachments)),
    )?.[0];
    expect(
      (await activateInstallation(deps, { licenceNumber: number ?? "", taxId, installationId: "install-0001" })).code,
    ).toBe("ACTIVATED");
    const text = await confirmAndApply("Desvincular", "Desvincular");
    expect(text).toContain("desvinculada: el cliente puede instalarla de nuevo");
    expect(text).toContain("Activa · Sin vincular");
  });

  it("shows the history and the client list", async () => {
    let mark = h.connector.mark();
    await h.say(advisor, `historial ${taxId}`);
    const history = cardText(h.cardsSince(mark, dm)[0]?.card);
    for (const line of ["Licencia creada", "Licencia desactivada", "Licencia reactivada", "Licencia desvinculada"]) {
      expect(history).toContain(line);
    }
    // Who did it, in words: the client's app bound it, the advisor (by name) did the rest; no raw ids.
    expect(history).toContain("Instalación vinculada · la aplicación del cliente");
    expect(history).toContain("Licencia creada · Ana Asesora (Microsoft Teams)");
    expect(history).not.toContain("client_app");
    expect(history).not.toContain(advisor.aadObjectId);
    mark = h.connector.mark();
    await h.say(advisor, "clientes");
    const clients = cardText(h.cardsSince(mark, dm)[0]?.card);
    expect(clients).toContain("Licencia PYME");
    expect(clients).toContain("Autogestiona");
    expect(clients).toContain("Sí (Activa, Sin vincular)");
  });

  it("deletes after confirming; the list is empty", async () => {
    const text = await confirmAndApply("Eliminar", "Eliminar");
    expect(text).toContain("Licencia de Ferretería López S.L. eliminada.");
    expect(text).toContain("Todavía no hay ninguna licencia");
  });

  it("matches whole words only: «blacklista» is not «lista»", async () => {
    const mark = h.connector.mark();
    await h.say(advisor, "blacklista");
    const text = cardText(h.cardsSince(mark, dm)[0]?.card);
    expect(text).toContain("No conozco la palabra «blacklista»");
    expect(text).not.toContain("licencias en total");
  });

  it("in a channel, answers with client data go to the personal chat", async () => {
    const channel = "19:asesoria-general@thread.tacv2";
    const mark = h.connector.mark();
    await h.say(advisor, "clientes", { channel });
    const inChannel = h.connector.since(mark).filter((s) => s.conversationId.startsWith(channel));
    expect(inChannel.map((s) => s.activity.text)).toEqual(["Te he respondido en nuestro chat personal."]);
    expect(cardText(h.cardsSince(mark, dm)[0]?.card)).toContain("Ferretería López S.L.");
  });

  it("sent only valid Adaptive Cards", () => {
    expect(h.connector.invalidCards).toEqual([]);
  });
});
