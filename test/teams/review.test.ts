import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatLicenceNumber } from "../../src/domain/licence-number.ts";
import { type Actor, createLicence, getClient, type LicenceRecord } from "../../src/handlers/index.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";
import { action, actionsOf, cardText, inputsOf } from "./cards.ts";
import { BOT, Harness, SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const FIRM = "tenant-review-0001";
const OTHER_FIRM = "tenant-review-0002";
const VENDOR = "tenant-review-vendor";

/** The use cases' view of a Teams person (what actorOf builds from an activity). */
function teamsActor(user: User, channelId = "a:personal"): Actor {
  return {
    platform: "teams",
    workspaceId: user.tenantId,
    userId: user.aadObjectId,
    userName: user.name,
    locale: "es",
    channelId,
  };
}

/**
 * What a new advisor or support agent would try that the journey does not:
 * odd spellings, activities Teams really sends, stale or tampered buttons,
 * cards in channels, names full of markup.
 */
describe("Teams, as new users would try it", () => {
  let h: Harness;
  let advisor: User;
  let english: User;
  let other: User;
  let dm: string;
  let licence: LicenceRecord;
  let otherLicence: LicenceRecord;

  beforeAll(async () => {
    h = await Harness.start();
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora" }));
    english = h.join(teamsUser(FIRM, { name: "Eve Adviser", locale: "en-GB" }));
    other = h.join(teamsUser(OTHER_FIRM, { name: "Otro Despacho" }));
    dm = h.personalConversation(advisor);
    const agent: Actor = { ...teamsActor(teamsUser(VENDOR), SUPPORT_CHANNEL), workspaceId: VENDOR };
    await activateFirm(h.app.deps, teamsActor(advisor), agent);
    await activateFirm(h.app.deps, teamsActor(other), agent);
    // A number with a 0 or 1 in it, to type it with O / I / L instead.
    for (let i = 0; i < 30; i++) {
      licence = await createLicence(h.app.deps, teamsActor(advisor), {
        taxId: newDni(),
        name: "Ferretería López S.L.",
        email: "ana@ferreteria.example.com",
      });
      if (/[01]/.test(licence.number)) break;
    }
    otherLicence = await createLicence(h.app.deps, teamsActor(other), {
      taxId: newDni(),
      name: "Secretos del Otro S.A.",
    });
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    expect(h.connector.invalidCards).toEqual([]);
  });

  /** The one card a message got in the personal chat. */
  async function answerTo(user: User, activity: object): Promise<string> {
    const mark = h.connector.mark();
    const reply = await h.post({ ...h.personal(user), type: "message", ...activity });
    expect(reply.status).toBe(200);
    const cards = h.cardsSince(mark, h.personalConversation(user));
    expect(cards).toHaveLength(1);
    return cardText(cards[0]?.card);
  }

  it("understands the words in any case, spacing, accents, and in Teams' HTML", async () => {
    const list = "Licencias PYMES generadas";
    for (const text of ["LISTA", "  lista  ", "lísta", "Lista\n", "<p>lista</p>", "lista&nbsp;", "list"]) {
      expect(await answerTo(advisor, { text }), text).toContain(list);
    }
    // A reply that quotes one of the bot's messages.
    const quoted =
      '<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="1001">' +
      '<strong itemprop="mri">Licencias PYMES</strong><p itemprop="preview">No conozco la orden</p></blockquote><p>lista</p>';
    expect(await answerTo(advisor, { text: quoted })).toContain(list);
    expect(await answerTo(advisor, { text: "CLIENTES" })).toContain("Ferretería López S.L.");
    expect(await answerTo(advisor, { text: "Ayúda" })).toContain("**lista**");
    expect(await answerTo(advisor, { text: "blacklista" })).toContain("No conozco la palabra «blacklista»");
  });

  it("English locale: English cards, whichever language the word is in", async () => {
    expect(await answerTo(english, { text: "lista" })).toContain("SME licences issued");
    expect(await answerTo(english, { text: "foo" })).toContain("I don't know the word “foo”");
  });

  it("finds a licence typed in lower case, without hyphens, with O / I / L for 0 / 1", async () => {
    const typed = licence.number.replaceAll("-", "").replaceAll("0", "o").replaceAll("1", "l").toLowerCase();
    const mark = h.connector.mark();
    await h.say(advisor, `enviar ${typed}`);
    // Where the details went, then the details in a message of their own.
    const [said, details] = h.cardsSince(mark, dm).map((c) => cardText(c.card));
    expect(said).toContain("Te he enviado los datos de la licencia de Ferretería López S.L.");
    const text = details ?? "";
    expect(text).toContain("Número de licencia");
    expect(text).toContain(formatLicenceNumber(licence.number));
    const taxId = `${licence.client.taxId.slice(0, 8).toLowerCase()}-${licence.client.taxId.slice(8).toLowerCase()}`;
    expect(await answerTo(advisor, { text: `historial ${taxId}` })).toContain("Historial de Ferretería López S.L.");
  });

  it("asks for the missing argument, naming what it needs", async () => {
    expect(await answerTo(advisor, { text: "enviar" })).toContain(
      "Indica el número de licencia o el NIF/CIF, por ejemplo: «enviar B12345674».",
    );
    expect(await answerTo(advisor, { text: "Cliente" })).toContain(
      "Indica el NIF/CIF del cliente, por ejemplo: «cliente B12345674».",
    );
  });

  it("in a channel, the @mention is removed wherever it is, and client data goes to the personal chat", async () => {
    const channel = "19:asesoria-review@thread.tacv2";
    const mention = `<at>${BOT.name}</at>`;
    const mark = h.connector.mark();
    const reply = await h.post({
      ...h.inChannel(advisor, channel),
      type: "message",
      text: `<p>clientes ${mention}</p>\n`,
      entities: [{ type: "mention", text: mention, mentioned: BOT }],
    });
    expect(reply.status).toBe(200);
    const inChannel = h.connector.since(mark).filter((s) => s.conversationId.startsWith(channel));
    expect(inChannel.map((s) => s.activity.text)).toEqual(["Te he respondido en nuestro chat personal."]);
    expect(cardText(h.cardsSince(mark, dm)[0]?.card)).toContain("Ferretería López S.L.");
  });

  it("a button on the help card in a channel answers in the personal chat, never in the channel", async () => {
    const channel = "19:asesoria-review@thread.tacv2";
    let mark = h.connector.mark();
    await h.say(advisor, "ayuda", { channel });
    const help = h.connector.since(mark).find((s) => s.conversationId.startsWith(channel) && s.activity.attachments);
    const helpCard = help?.activity.attachments?.[0]?.content;
    mark = h.connector.mark();
    const answer = await h.execute(advisor, action(helpCard, "Ver licencias"), help?.activityId ?? "", { channel });
    expect(answer.type).toBe("application/vnd.microsoft.activity.message");
    expect(answer.value).toBe("Te he respondido en nuestro chat personal.");
    // Nothing replaced or written in the channel; the list is in the personal chat.
    expect(h.connector.since(mark).filter((s) => s.conversationId.startsWith(channel))).toEqual([]);
    expect(cardText(h.cardsSince(mark, dm)[0]?.card)).toContain(licence.client.taxId);
  });

  it("support words outside the support channel say where they work", async () => {
    expect(await answerTo(advisor, { text: "pendientes" })).toContain(
      "Esta orden solo está disponible en el canal de Soporte Técnico.",
    );
  });

  it("welcomes a person who adds the bot in personal scope, with the firm's dashboard", async () => {
    const newcomer = h.join(teamsUser(FIRM, { name: "Nuevo Asesor" }));
    const mark = h.connector.mark();
    const reply = await h.post({
      ...h.personal(newcomer),
      type: "conversationUpdate",
      membersAdded: [{ id: BOT.id }],
    });
    expect(reply.status).toBe(200);
    const conversation = h.personalConversation(newcomer);
    expect(h.textsSince(mark, conversation)).toEqual(["Hola, soy el bot de Licencias PYMES."]);
    // The firm is active: its dashboard (test/teams/welcome.test.ts has the rest).
    expect(cardText(h.cardsSince(mark, conversation)[0]?.card)).toContain("Resumen de");
  });

  it("stays quiet, with 200, for activities it has nothing to say to", async () => {
    const base = h.personal(advisor);
    const mark = h.connector.mark();
    for (const activity of [
      { ...base, type: "installationUpdate", action: "add" },
      { ...base, type: "messageReaction", replyToId: "1001", reactionsAdded: [{ type: "like" }] },
      { ...base, type: "typing" },
      { ...base, type: "event", name: "application/vnd.microsoft.meetingStart" },
      // An Action.Submit outside a dialog: a value, no text.
      { ...base, type: "message", value: { anything: 1 } },
    ]) {
      expect((await h.post(activity)).status, activity.type).toBe(200);
    }
    expect(h.connector.since(mark)).toEqual([]);
  });

  it("answers unknown invokes politely instead of 501", async () => {
    const base = h.personal(advisor);
    for (const name of ["composeExtension/query", "signin/verifyState", "something/new"]) {
      const reply = await h.post({ ...base, type: "invoke", name, value: {} });
      expect(reply.status, name).toBe(200);
    }
    const staleVerb = await h.execute(advisor, { verb: "aVerbFromAnOldVersion", data: {} }, "1001");
    expect(staleVerb.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(staleVerb.value)).toContain("Este botón ya no está disponible.");

    const fetch = await h.fetchDialog(advisor, { verb: "noSuchDialog" });
    expect(fetch).toEqual({ kind: "message", text: expect.stringContaining("Este botón ya no está disponible.") });
    const noData = await h.post({ ...base, type: "invoke", name: "task/fetch", value: {} });
    expect(noData.status).toBe(200);
    const submit = await h.submitDialog(advisor, { verb: "noSuchDialog" }, { taxId: "x" });
    expect(submit.kind).toBe("message");
  });

  it("a tampered button or dialog with another firm's licence or client changes nothing", async () => {
    const deleted = await h.execute(advisor, { verb: "delete", data: { licenceId: otherLicence.id } }, "1001");
    expect(cardText(deleted.value)).toContain("No se ha encontrado ninguna licencia");
    const sent = await h.execute(advisor, { verb: "send", data: { licenceId: otherLicence.id } }, "1001");
    expect(cardText(sent.value)).not.toContain(otherLicence.number);

    const fetched = await h.fetchDialog(advisor, { verb: "client", data: { taxId: otherLicence.client.taxId } });
    expect(fetched.kind).toBe("message");
    const submitted = await h.submitDialog(
      advisor,
      { verb: "client", data: { taxId: otherLicence.client.taxId } },
      { selfManaged: "true" },
    );
    expect(submitted.kind).toBe("message");

    const theirs = await getClient(h.app.deps, teamsActor(other), { taxId: otherLicence.client.taxId });
    expect(theirs.licence?.state).toBe("active");
    expect(theirs.selfManaged).toBe(false);
    expect(JSON.stringify(h.connector.sent)).not.toContain("Secretos del Otro");
  });

  it("a duplicate client or a too long name comes back at its field with the input kept", async () => {
    const data = { verb: "licence" };
    const duplicate = await h.submitDialog(advisor, data, { taxId: licence.client.taxId, name: "Otra Razón" });
    if (duplicate.kind !== "dialog") throw new Error("expected the dialog again");
    const body = duplicate.card.body as { type: string; id?: string; text?: string; color?: string }[];
    const nextTo = (id: string) => body[body.findIndex((e) => e.id === id) + 1];
    expect(nextTo("taxId")).toMatchObject({ color: "attention", text: "Este cliente ya tiene una Licencia PYME." });
    expect(inputsOf(duplicate.card).name?.value).toBe("Otra Razón");
    const inputs = Object.values(inputsOf(duplicate.card));
    expect(inputs.length).toBeGreaterThanOrEqual(6);
    for (const input of inputs) expect(input.maxLength).toBeGreaterThan(0);

    const long = await h.submitDialog(advisor, data, { taxId: newDni(), name: "x".repeat(300) });
    if (long.kind !== "dialog") throw new Error("expected the dialog again");
    const longBody = long.card.body as { id?: string; color?: string }[];
    expect(longBody[longBody.findIndex((e) => e.id === "name") + 1]?.color).toBe("attention");
  });

  it("shows names full of markup as typed, in valid cards of a full page", async () => {
    const names = ["**negrita**", "[click](https://evil.example)", "<at>Todos</at>", "{{DATE(2020-01-01)}}"];
    for (const name of names) await createLicence(h.app.deps, teamsActor(advisor), { taxId: newDni(), name });
    for (let i = 0; i < 10; i++) {
      await createLicence(h.app.deps, teamsActor(advisor), { taxId: newDni(), name: `Ñ${"W".repeat(199)}` });
    }
    const mark = h.connector.mark();
    await h.say(advisor, "clientes");
    const [clients] = h.cardsSince(mark, dm);
    const text = cardText(clients?.card);
    expect(text).toContain("\\*\\*negrita\\*\\*");
    expect(text).toContain("\\[click\\](https://evil.example)");
    expect(text).toContain("<\u200bat>Todos<\u200b/at>");
    expect(text).not.toContain("<at>");
    expect(text).toContain("{\u200b{DATE");
    expect(actionsOf(clients?.card).some((a) => a.title === "Página siguiente")).toBe(true);
  });
});

describe("Teams support decisions, as a new support agent would try them", () => {
  let h: Harness;
  let advisor: User;
  let agents: User[];

  beforeAll(async () => {
    h = await Harness.start({ SUPPORT_USER_IDS: "aad-sara, aad-pablo, aad-self" });
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora" }));
    agents = [
      h.join(teamsUser(VENDOR, { name: "Sara Soporte", aadObjectId: "aad-sara" })),
      h.join(teamsUser(VENDOR, { name: "Pablo Soporte", aadObjectId: "aad-pablo" })),
    ];
  });
  afterAll(async () => {
    await h.stop();
  });

  it("two agents clicking Aprobar at once: one decision, one update, the other told who and when", async () => {
    await h.say(agents[0] as User, "pendientes", { channel: SUPPORT_CHANNEL });
    const mark = h.connector.mark();
    await h.submitDialog(
      advisor,
      { verb: "activation" },
      { firmName: "Asesoría Tenant", message: "Activad la solución, por favor" },
    );
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    const card = posted?.activity.attachments?.[0]?.content;
    const id = posted?.activityId ?? "";

    const answers = await Promise.all(
      agents.map((agent) => h.execute(agent, action(card, "Aprobar"), id, { channel: SUPPORT_CHANNEL })),
    );
    const texts = answers.map((a) => cardText(a.value));
    expect(texts.filter((t) => t.includes("ya estaba decidida"))).toHaveLength(1);
    expect(texts.every((t) => /Aprobada por (Sara|Pablo) Soporte el \d\d\/\d\d\/\d{4}/.test(t))).toBe(true);
    expect(h.connector.updatesOf(id)).toHaveLength(1);
    const told = h
      .cardsSince(mark, h.personalConversation(advisor))
      .filter((c) => cardText(c.card).includes("aprobado"));
    expect(told).toHaveLength(1);
  });

  it("the requester cannot decide their own request, even from the support channel", async () => {
    // On the allow-list, in the support channel: still not on a request of their own.
    const requester = h.join(teamsUser(VENDOR, { name: "Soporte que pide", aadObjectId: "aad-self" }));
    const mark = h.connector.mark();
    await h.submitDialog(
      requester,
      { verb: "activation" },
      { firmName: "Asesoría Tenant", message: "Lo pido yo mismo" },
    );
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    const card = posted?.activity.attachments?.[0]?.content;
    const own = await h.execute(requester, action(card, "Aprobar"), posted?.activityId ?? "", {
      channel: SUPPORT_CHANNEL,
    });
    expect(own.value).toBe("No puedes decidir sobre una solicitud tuya.");
    expect(h.connector.updatesOf(posted?.activityId ?? "")).toEqual([]);

    // In the support channel but not on SUPPORT_USER_IDS: refused too.
    const outsider = h.join(teamsUser(VENDOR, { name: "Becario" }));
    const refused = await h.execute(outsider, action(card, "Aprobar"), posted?.activityId ?? "", {
      channel: SUPPORT_CHANNEL,
    });
    expect(refused.value).toBe("Solo Soporte Técnico, desde su canal, puede decidir sobre las solicitudes.");
    expect(h.connector.updatesOf(posted?.activityId ?? "")).toEqual([]);
    expect(cardText(card)).toContain("Aprobar");
  });

  it("keeps tax ids, e-mails and licence numbers out of the logs", async () => {
    const taxId = newDni();
    const dm = h.personalConversation(advisor);
    await h.submitDialog(advisor, { verb: "licence" }, { taxId, name: "Log S.L.", email: "log@cliente.example.com" });
    const mark = h.connector.mark();
    await h.say(advisor, `enviar ${taxId}`);
    await h.say(advisor, "enviar ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
    await h.say(advisor, `historial ${taxId}`, { channel: "19:asesoria-logs@thread.tacv2" });
    const number = /([0-9A-Z]{5}-){3}[0-9A-Z]{5}/.exec(cardText(h.cardsSince(mark, dm).map((c) => c.card)))?.[0];
    expect(number).toBeDefined();
    const logs = h.app.logLines.join("\n");
    for (const secret of [taxId, "log@cliente.example.com", number ?? "-", "ZZZZZ-ZZZZZ"]) {
      expect(logs).not.toContain(secret);
    }
  });
});
