import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, createLicence } from "../../src/handlers/index.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";
import { actionsOf, cardsOf, cardText } from "./cards.ts";
import { Harness, SUPPORT_CHANNEL, teamsUser, type User } from "./harness.ts";

const FIRM = "tenant-export-0001";
const VENDOR = "tenant-export-vendor";

function teamsActor(user: User, channelId = "a:personal"): Actor {
  return { platform: "teams", workspaceId: user.tenantId, userId: user.aadObjectId, locale: "es", channelId };
}

/** The link a card offers: its Action.OpenUrl. */
function linkOf(card: unknown): string {
  const open = actionsOf(card).find((a) => a.type === "Action.OpenUrl");
  expect(open?.title).toBe("Descargar CSV");
  return open?.url ?? "";
}

/** "exportar" in Teams: the link in the personal chat, also when typed in a channel (which gets a notice only). */
describe("Teams: exportar", () => {
  let h: Harness;
  let advisor: User;
  let dm: string;

  beforeAll(async () => {
    h = await Harness.start();
    advisor = h.join(teamsUser(FIRM, { name: "Ana Asesora" }));
    dm = h.personalConversation(advisor);
    const agent: Actor = { ...teamsActor(teamsUser(VENDOR), SUPPORT_CHANNEL), workspaceId: VENDOR };
    await activateFirm(h.app.deps, teamsActor(advisor), agent);
    await createLicence(h.app.deps, teamsActor(advisor), { taxId: newDni(), name: "Ferretería López S.L." });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("typed in the personal chat: the card with the link, which gives the CSV once", async () => {
    const mark = h.connector.mark();
    expect((await h.say(advisor, "exportar")).status).toBe(200);
    const [shown] = h.cardsSince(mark, dm);
    expect(cardText(shown?.card)).toContain("Exportación de clientes y licencias");
    const url = linkOf(shown?.card);
    expect(url).toMatch(new RegExp(`^${h.app.url}/export/[A-Za-z0-9_-]{43}$`));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(";Ferretería López S.L.;");
    expect((await fetch(url)).status).toBe(410);
  });

  it("typed in a channel: the link goes to the personal chat, the channel gets a neutral notice", async () => {
    const channel = "19:export-general@thread.tacv2";
    const mark = h.connector.mark();
    await h.say(advisor, "exportar", { channel });
    const inChannel = h.connector.since(mark).filter((s) => s.conversationId.startsWith(channel));
    expect(inChannel.map((s) => s.activity.text)).toEqual(["Te he respondido en nuestro chat personal."]);
    expect(JSON.stringify(inChannel)).not.toContain("/export/");
    const [shown] = h.cardsSince(mark, dm);
    const url = linkOf(shown?.card);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(";Ferretería López S.L.;");
  });

  it("in English, the card and the CSV's header are English", async () => {
    const english = h.join(teamsUser(FIRM, { name: "Eve Adviser", locale: "en-GB" }));
    const mark = h.connector.mark();
    await h.say(english, "export");
    const [shown] = h.cardsSince(mark, h.personalConversation(english));
    expect(cardText(shown?.card)).toContain("Clients and licences export");
    const open = actionsOf(shown?.card).find((a) => a.type === "Action.OpenUrl");
    expect(open?.title).toBe("Download CSV");
    const text = await (await fetch(open?.url ?? "")).text();
    expect(text.split("\r\n")[0]).toMatch(/^Tax id;Company name;/);
  });

  it("never logs a link's token (the connector's calls and the route's lines included)", () => {
    const tokens = h.connector
      .since(0)
      .flatMap((s) => actionsOf(cardsOf(s.activity)[0]).flatMap((a) => (a.url?.includes("/export/") ? [a.url] : [])))
      .map((url) => url.slice(url.lastIndexOf("/") + 1));
    expect(tokens).toHaveLength(3);
    const log = h.app.logLines.join("");
    expect(log).toContain("export link request");
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
