import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonActionId } from "../../src/bot/slack/ids.ts";
import { DAY_MS } from "../../src/domain/onboarding.ts";
import { createLicence, recordDetailsSent } from "../../src/handlers/index.ts";
import { formatDate } from "../../src/i18n/index.ts";
import { newDni } from "../support/fixtures.ts";
import { checkHome } from "./block-kit.ts";
import type { FakeUser } from "./fake-slack.ts";
import { activatedFirm, SECRET, type SingleWorkspace, singleWorkspace, TEAM } from "./setup.ts";
import { blockText, findButton, sign } from "./slack-sim.ts";

type Json = Record<string, unknown>;

/** The Home tab opened by the user, as Slack sends it (Events API, signed). */
function homeOpened(user: FakeUser, tab: "home" | "messages" = "home"): Json {
  return { type: "app_home_opened", user: user.id, channel: `D${user.id}`, tab, event_ts: `${Date.now() / 1000}` };
}

describe("Slack App Home: the dashboard, published with views.publish", () => {
  let w: SingleWorkspace;
  let advisor: FakeUser;
  let taxId: string;
  const sentAt = Date.now() - 8 * DAY_MS;

  beforeAll(async () => {
    w = await singleWorkspace();
    advisor = w.fake.addUser({ id: "U0HOME0001", teamId: TEAM, name: "Hortensia", locale: "es-ES" });
    const actor = await activatedFirm(w, advisor);
    taxId = newDni();
    await createLicence(w.app.deps, actor, { taxId, name: "Ferretería Home S.L." });
    await createLicence(w.app.deps, actor, { taxId: newDni(), name: "Bar Sin Enviar" });
    const firm = await w.app.deps.store.findFirm("slack", TEAM);
    if (!firm) throw new Error("no firm");
    await recordDetailsSent(w.app.deps.store, firm.id, { taxId }, { platform: "slack", id: advisor.id }, sentAt);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it("opening the Home tab publishes the firm's counts, the open items and Nuevo, Licencias, Clientes, Buscar", async () => {
    expect(await w.sim.event(TEAM, homeOpened(advisor))).toBe(200);
    const home = w.fake.home(advisor.id);
    expect(home?.type).toBe("home");
    expect(checkHome(home)).toEqual([]);
    const text = blockText(home?.blocks);
    expect(text).toContain("Resumen de");
    expect(text).toContain("Pendientes de enviar: 1");
    expect(text).toContain("Pendientes de instalar: 1");
    expect(text).toContain("Ferretería Home S.L.");
    expect(text).toContain(`Datos enviados hace 8 días (${formatDate(sentAt)}) y sin activar`);
    for (const id of [
      buttonActionId({ kind: "form", form: "licence" }),
      buttonActionId({ kind: "run", verb: "list" }),
      buttonActionId({ kind: "run", verb: "clients" }),
      buttonActionId({ kind: "form", form: "search" }),
      buttonActionId({ kind: "run", verb: "licence" }),
    ]) {
      expect(() => findButton(home?.blocks, id)).not.toThrow();
    }
    // Only to the person who opened it: one publish, for them.
    const publishes = w.fake.callsTo("views.publish");
    expect(publishes.at(-1)?.args.user_id).toBe(advisor.id);
  });

  it("the Messages tab publishes nothing; an unsigned event is refused", async () => {
    const before = w.fake.callsTo("views.publish").length;
    expect(await w.sim.event(TEAM, homeOpened(advisor, "messages"))).toBe(200);
    const body = JSON.stringify({ type: "event_callback", team_id: TEAM, event: homeOpened(advisor) });
    const forged = await fetch(`${w.app.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...sign("not-the-secret", body) },
      body,
    });
    expect(forged.status).toBe(401);
    expect(w.fake.callsTo("views.publish")).toHaveLength(before);
    expect(SECRET).not.toBe("not-the-secret");
  });

  it("a change the user makes publishes the Home tab again with what changed; reading does not", async () => {
    const before = w.fake.callsTo("views.publish").length;
    await w.sim.command(advisor, "lista");
    await w.sim.command(advisor, `licencia ${taxId}`);
    const next = w.fake.nextHome(advisor.id);
    await w.sim.command(advisor, "enviar Bar");
    // "enviar Bar" is no licence: the answer says so, and the Home tab is refreshed all the same (harmless).
    const refreshed = await next;
    expect(w.fake.callsTo("views.publish")).toHaveLength(before + 1);
    expect(checkHome(refreshed)).toEqual([]);

    const again = w.fake.nextHome(advisor.id);
    const list = await w.sim.command(advisor, "lista");
    const send = findButton(w.sim.lastAnswer(list.responseUrl).blocks, buttonActionId({ kind: "run", verb: "send" }));
    await w.sim.click(advisor, send, { kind: "message", channel: "C0GENERAL1", responseUrl: list.responseUrl });
    const after = blockText((await again).blocks);
    // Both licences' details were sent now: nothing left to send.
    expect(after).toContain("Pendientes de enviar: 0");
    expect(after).toContain("Pendientes de instalar: 2");
  });

  it("a button on the Home tab opens its answer in a modal (there is no modal to push onto)", async () => {
    const home = w.fake.home(advisor.id);
    const licences = findButton(home?.blocks, buttonActionId({ kind: "run", verb: "list" }));
    const { status } = await w.sim.click(advisor, licences, { kind: "home" });
    expect(status).toBe(200);
    const opened = w.fake.callsTo("views.open").at(-1);
    expect(blockText((opened?.args.view as Json | undefined)?.blocks)).toContain("Ferretería Home S.L.");
    expect(w.fake.failures).toEqual([]);
  });
  it("a walk through the screens from the Home tab never passes Slack's 3 views per modal", async () => {
    const home = w.fake.home(advisor.id);
    await w.sim.click(advisor, findButton(home?.blocks, buttonActionId({ kind: "run", verb: "list" })), {
      kind: "home",
    });
    let viewId = w.fake.views.at(-1)?.id ?? "";
    const pushes = w.fake.callsTo("views.push").length;
    const updates = w.fake.callsTo("views.update").length;
    // Ver ficha, Ver licencias, the other licence's Ver ficha: without care the third would be a fourth view.
    // (Each a different button: the same one clicked again is a double click, answered once.)
    const seen = new Set<string>();
    for (const verb of ["licence", "list", "licence"] as const) {
      const blocks = w.fake.views.find((v) => v.id === viewId)?.view.blocks as Json[] | undefined;
      const actionId = buttonActionId({ kind: "run", verb });
      const buttons = (blocks ?? []).flatMap((b) => ((b.elements as Json[] | undefined) ?? []) as Json[]);
      const fresh = buttons.find((e) => e.action_id === actionId && !seen.has(String(e.value)));
      seen.add(String(fresh?.value));
      const { status } = await w.sim.click(advisor, findButton(blocks, actionId, fresh?.value as string), {
        kind: "view",
        viewId,
      });
      expect(status, verb).toBe(200);
      const shown = w.fake.calls.filter((c) => c.method === "views.push" || c.method === "views.update").at(-1);
      viewId = shown?.method === "views.update" ? String(shown.args.view_id) : (w.fake.views.at(-1)?.id ?? "");
    }
    expect(w.fake.failures).toEqual([]);
    // The first answer was pushed over the list; the ones after it took its place.
    expect(w.fake.callsTo("views.push").length - pushes).toBe(1);
    expect(w.fake.callsTo("views.update").length - updates).toBe(2);
  });
});
