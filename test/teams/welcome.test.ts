import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/domain/onboarding.ts";
import { type Actor, createLicence, recordDetailsSent } from "../../src/handlers/index.ts";
import { formatDate } from "../../src/i18n/index.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";
import { actionsOf, cardText } from "./cards.ts";
import { BOT, Harness, SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const ACTIVE = "tenant-welcome-0001";
const NEW_FIRM = "tenant-welcome-0002";
const VENDOR = "tenant-welcome-vendor";

function teamsActor(user: User, channelId = "a:personal"): Actor {
  return { platform: "teams", workspaceId: user.tenantId, userId: user.aadObjectId, locale: "es", channelId };
}

/** The bot installed in a person's personal scope: the welcome, as Teams shows it. */
describe("Teams welcome: the dashboard when the app is installed", () => {
  let h: Harness;
  const sentAt = Date.now() - 9 * DAY_MS;

  beforeAll(async () => {
    h = await Harness.start();
    const advisor = h.join(teamsUser(ACTIVE, { name: "Ana Asesora" }));
    const agent: Actor = { ...teamsActor(teamsUser(VENDOR), SUPPORT_CHANNEL), workspaceId: VENDOR };
    await activateFirm(h.app.deps, teamsActor(advisor), agent);
    const taxId = newDni();
    await createLicence(h.app.deps, teamsActor(advisor), { taxId, name: "Panadería Olvidada S.L." });
    const firm = await h.app.deps.store.findFirm("teams", ACTIVE);
    if (!firm) throw new Error("no firm");
    await recordDetailsSent(
      h.app.deps.store,
      firm.id,
      { taxId },
      { platform: "teams", id: advisor.aadObjectId },
      sentAt,
    );
  });
  afterAll(async () => {
    await h.stop();
  });

  async function install(user: User) {
    const mark = h.connector.mark();
    const reply = await h.post({ ...h.personal(user), type: "conversationUpdate", membersAdded: [{ id: BOT.id }] });
    expect(reply.status).toBe(200);
    const conversation = h.personalConversation(user);
    return { texts: h.textsSince(mark, conversation), cards: h.cardsSince(mark, conversation).map((c) => c.card) };
  }

  it("an active firm's advisor gets the counts, the open items and the buttons in", async () => {
    const { texts, cards } = await install(h.join(teamsUser(ACTIVE, { name: "Nuevo Asesor" })));
    expect(texts).toEqual(["Hola, soy el bot de Licencias PYMES."]);
    expect(cards).toHaveLength(1);
    const text = cardText(cards[0]);
    expect(text).toContain("Resumen de");
    expect(text).toContain("Pendientes de instalar");
    expect(text).toContain("Panadería Olvidada S.L.");
    expect(text).toContain(`Datos enviados hace 9 días (${formatDate(sentAt)}) y sin activar`);
    const labels = actionsOf(cards[0]).map((a) => a.title);
    for (const label of ["Nuevo", "Licencias", "Clientes", "Buscar", "Ver ficha"]) expect(labels).toContain(label);
  });

  it("a firm without the Solución para PYMES is told how to start, then the help", async () => {
    const { cards } = await install(h.join(teamsUser(NEW_FIRM, { name: "Recién Llegado" })));
    expect(cards).toHaveLength(2);
    expect(cardText(cards[0])).toContain("Para empezar, solicita su activación a Soporte Técnico");
    expect(actionsOf(cards[0]).map((a) => a.title)).toContain("Solicitar activación");
    expect(cardText(cards[1])).toContain("**nuevo**");
  });

  it("a guest gets the help only: no firm data", async () => {
    const { cards } = await install(h.join(teamsUser(ACTIVE, { name: "Invitada", userRole: "guest" })));
    expect(cards).toHaveLength(1);
    const text = cardText(cards[0]);
    expect(text).toContain("**nuevo**");
    expect(text).not.toContain("Panadería Olvidada S.L.");
  });

  it("in English for an English locale", async () => {
    const { cards } = await install(h.join(teamsUser(ACTIVE, { name: "Eve", locale: "en-GB" })));
    expect(cardText(cards[0])).toContain(": summary");
    expect(cardText(cards[0])).toContain("Waiting for installation");
  });
});
