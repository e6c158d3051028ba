import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  decideActivation,
  getActivationStatus,
  getFirm,
  requestActivation,
} from "../../src/handlers/index.ts";
import { action, actionsOf, cardsOf, cardText } from "./cards.ts";
import { Harness, SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const FIRM = "tenant-firm-revoke-0001";
const OTHER_FIRM = "tenant-firm-revoke-0002";
const VENDOR = "tenant-vendor-revoke-0001";
const FIRM_CHANNEL = "19:asesoria-general@thread.tacv2";

/** The use cases' view of a Teams person (to check state without going through the bot). */
function actorFor(user: User, channelId: string): Actor {
  return { platform: "teams", workspaceId: user.tenantId, userId: user.aadObjectId, locale: "es", channelId };
}

/**
 * Support's other two words in the Teams support channel, as in Slack:
 * "despachos" lists every firm, "revocar <id>" asks, then revokes from
 * the card. Nowhere else, and by nobody else.
 */
describe("Teams: support lists firms and revokes one", () => {
  let h: Harness;
  let advisor: User;
  let agent: User;
  let firmId = 0;

  /** The cards the bot sent to the support channel since a mark. */
  function channelCards(mark: number) {
    return h.connector
      .since(mark)
      .filter((s) => s.kind !== "update" && s.conversationId.startsWith(SUPPORT_CHANNEL))
      .flatMap((s) => cardsOf(s.activity).map((card) => ({ card, activityId: s.activityId })));
  }

  /** What a person reads in answer to a message (cards or texts), wherever the bot wrote. */
  async function answerTo(user: User, words: string, where: "personal" | { channel: string } = "personal") {
    const mark = h.connector.mark();
    expect((await h.say(user, words, where)).status).toBe(200);
    return h.connector
      .since(mark)
      .map((s) => [s.activity.text ?? "", ...cardsOf(s.activity).map(cardText)].join("\n"))
      .join("\n");
  }

  beforeAll(async () => {
    h = await Harness.start();
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora" }));
    agent = h.join(teamsUser(VENDOR, { name: "Sara Soporte" }));
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    expect(h.connector.invalidCards).toEqual([]);
  });

  it("«despachos» lists the firms with id, state, licences and workspace once one was approved", async () => {
    const sent = await h.submitDialog(
      advisor,
      { verb: "activation" },
      { firmName: "Asesoría Tenant", message: "Activad la Solución" },
    );
    expect(sent.kind).toBe("closed");
    let mark = h.connector.mark();
    await h.say(agent, "pendientes", { channel: SUPPORT_CHANNEL });
    const posted = h.connector.since(mark).find((s) => s.kind === "create");
    const approval = posted?.activity.attachments?.[0]?.content;
    const decided = await h.execute(agent, action(approval, "Aprobar"), posted?.activityId ?? "", {
      channel: SUPPORT_CHANNEL,
    });
    expect(cardText(decided.value)).toContain("Aprobada por Sara Soporte");
    firmId = (await h.app.deps.store.findFirm("teams", FIRM))?.id ?? 0;
    expect(firmId).toBeGreaterThan(0);

    mark = h.connector.mark();
    await h.say(agent, "despachos", { channel: SUPPORT_CHANNEL });
    const [list] = channelCards(mark);
    const text = cardText(list?.card);
    expect(text).toContain("Despachos");
    expect(text).toContain("1 despacho · para revocar uno: «revocar id»");
    expect(text).toContain(`${firmId} · Asesoría Tenant · Activa · 0 licencias · Microsoft Teams ${FIRM}`);
    expect(actionsOf(list?.card)).toEqual([]);
  });

  it("speaks English to an English locale («firms»)", async () => {
    const english = h.join(teamsUser(VENDOR, { name: "Sam Support", locale: "en-GB" }));
    const text = await answerTo(english, "firms", { channel: SUPPORT_CHANNEL });
    expect(text).toContain("Firms");
    expect(text).toContain(`${firmId} · Asesoría Tenant · Active · 0 licences`);
  });

  it("the help in the support channel lists pendientes, despachos and revocar", async () => {
    const text = await answerTo(agent, "ayuda", { channel: SUPPORT_CHANNEL });
    expect(text).toContain("Soporte Técnico, desde su canal:");
    expect(text).toContain("**pendientes**");
    expect(text).toContain("**despachos**");
    // The placeholder is escaped: Teams would read <id…> as a tag.
    expect(text).toContain("**revocar <\u200bid del despacho>**");
    // An advisor's help does not mention support's words.
    expect(await answerTo(advisor, "ayuda")).not.toContain("**despachos**");
  });

  it("«revocar» without a numeric id, or with an unknown one, says what to write", async () => {
    const where = { channel: SUPPORT_CHANNEL };
    expect(await answerTo(agent, "revocar", where)).toContain(
      "Indica el id del despacho (sale en «despachos»), por ejemplo: «revocar 12».",
    );
    expect(await answerTo(agent, "revocar doce", where)).toContain(
      "Indica el id numérico del despacho (sale en «despachos»).",
    );
    expect(await answerTo(agent, "revocar -3", where)).toContain("Indica el id numérico del despacho");
    expect(await answerTo(agent, "revocar 999999", where)).toContain("No se ha encontrado el despacho.");
    expect((await getActivationStatus(h.app.deps, actorFor(advisor, "x"))).activationState).toBe("active");
  });

  it("the same words outside the support channel are refused and change nothing", async () => {
    const refused = "Esta orden solo está disponible en el canal de Soporte Técnico.";
    for (const words of ["despachos", `revocar ${firmId}`, "firms", `revoke ${firmId}`]) {
      expect(await answerTo(advisor, words)).toContain(refused);
      expect(await answerTo(advisor, words, { channel: FIRM_CHANNEL })).toContain(refused);
      // Support staff too, away from their channel.
      const text = await answerTo(agent, words);
      expect(text).toContain(refused);
      expect(text).not.toContain(FIRM);
    }
    expect((await getActivationStatus(h.app.deps, actorFor(advisor, "x"))).activationState).toBe("active");
  });

  it("an advisor cannot revoke, even with the button's data; nor can support from elsewhere", async () => {
    const mark = h.connector.mark();
    await h.say(agent, `revocar ${firmId}`, { channel: SUPPORT_CHANNEL });
    const [prompt] = channelCards(mark);
    const revoke = action(prompt?.card, "Revocar");

    for (const [user, where] of [
      [advisor, "personal"],
      [advisor, { channel: FIRM_CHANNEL }],
      [agent, "personal"],
    ] as const) {
      const answer = await h.execute(user, revoke, prompt?.activityId ?? "", where);
      // A message on a shared card; in the personal chat, a card for the clicker (nothing is replaced).
      const said = answer.type === "application/vnd.microsoft.activity.message" ? answer.value : cardText(answer.value);
      expect(said).toContain("Esta orden solo está disponible en el canal de Soporte Técnico.");
    }
    expect(h.connector.updatesOf(prompt?.activityId ?? "")).toEqual([]);
    expect((await getActivationStatus(h.app.deps, actorFor(advisor, "x"))).activationState).toBe("active");
  });

  let promptId = "";
  let revokeButton: ReturnType<typeof action> | undefined;

  it("«revocar id» asks with the firm's details, Revocar and Cancelar", async () => {
    const mark = h.connector.mark();
    await h.say(agent, `revocar ${firmId}`, { channel: SUPPORT_CHANNEL });
    const [prompt] = channelCards(mark);
    promptId = prompt?.activityId ?? "";
    const text = cardText(prompt?.card);
    expect(text).toContain("¿Revocar el despacho?");
    expect(text).toContain(`Asesoría Tenant (id ${firmId})`);
    expect(text).toContain("dejarán de validar");
    expect(actionsOf(prompt?.card).map((a) => `${a.type}:${a.title}`)).toEqual([
      "Action.Execute:Revocar",
      "Action.Execute:Cancelar",
    ]);
    revokeButton = action(prompt?.card, "Revocar");
    expect(revokeButton.data).toEqual({ firmId });
  });

  it("Revocar revokes the firm and replaces the card with the outcome for everyone", async () => {
    if (!revokeButton) throw new Error("no prompt");
    const mark = h.connector.mark();
    const answer = await h.execute(agent, revokeButton, promptId, { channel: SUPPORT_CHANNEL });
    // The advisor who asked for the feature is told, proactively, outside the support channel.
    const told = h.connector
      .since(mark)
      .filter((s) => s.kind !== "update" && !s.conversationId.startsWith(SUPPORT_CHANNEL))
      .flatMap((s) => cardsOf(s.activity).map(cardText));
    expect(told.join("\n")).toContain("ha revocado la Solución para PYMES");
    expect(cardText(answer.value)).toMatch(
      new RegExp(`revocada para Asesoría Tenant \\(id ${firmId}\\) por Sara Soporte el \\d\\d/\\d\\d/\\d{4}`),
    );
    expect(actionsOf(answer.value)).toEqual([]);

    const [update] = h.connector.updatesOf(promptId);
    expect(cardText(update?.activity.attachments?.[0]?.content)).toContain("revocada para");

    expect((await getActivationStatus(h.app.deps, actorFor(advisor, "x"))).activationState).toBe("revoked");
    const asSupport = actorFor(agent, SUPPORT_CHANNEL);
    expect((await getFirm(h.app.deps, asSupport, { firmId }))?.activationState).toBe("revoked");
  });

  it("a second click, and a new «revocar», say there is nothing to revoke", async () => {
    if (!revokeButton) throw new Error("no prompt");
    const again = await h.execute(agent, revokeButton, promptId, { channel: SUPPORT_CHANNEL });
    expect(cardText(again.value)).toContain("no tiene la Solución para PYMES activa (Revocada)");
    expect(actionsOf(again.value)).toEqual([]);
    const text = await answerTo(agent, `revocar ${firmId}`, { channel: SUPPORT_CHANNEL });
    expect(text).toContain("nada que revocar");
    expect(text).not.toContain("¿Revocar el despacho?");
  });

  it("Cancelar leaves the firm active and goes back to the firms", async () => {
    const other = h.join(teamsUser(OTHER_FIRM, { name: "Otro Asesor" }));
    const request = await requestActivation(h.app.deps, actorFor(other, h.personalConversation(other)), {
      message: "Queremos la Solución",
    });
    await decideActivation(h.app.deps, actorFor(agent, SUPPORT_CHANNEL), {
      requestId: request.id,
      decision: "approve",
    });
    const otherId = (await h.app.deps.store.findFirm("teams", OTHER_FIRM))?.id ?? 0;

    const mark = h.connector.mark();
    await h.say(agent, `revoke ${otherId}`, { channel: SUPPORT_CHANNEL });
    const [prompt] = channelCards(mark);
    // The advisor cannot dismiss support's card either.
    const refused = await h.execute(advisor, action(prompt?.card, "Cancelar"), prompt?.activityId ?? "", {
      channel: FIRM_CHANNEL,
    });
    expect(refused.value).toBe("Esta orden solo está disponible en el canal de Soporte Técnico.");

    const answer = await h.execute(agent, action(prompt?.card, "Cancelar"), prompt?.activityId ?? "", {
      channel: SUPPORT_CHANNEL,
    });
    expect(cardText(answer.value)).toContain("Despachos");
    // For the clicker only: nothing was done, the card stays for the others.
    expect(h.connector.updatesOf(prompt?.activityId ?? "")).toEqual([]);
    expect((await getActivationStatus(h.app.deps, actorFor(other, "x"))).activationState).toBe("active");
  });
});
