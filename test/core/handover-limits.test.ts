import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { licenceScreen, licencesScreen } from "../../src/bot/screens/licences.ts";
import { summaryScreen } from "../../src/bot/screens/summary.ts";
import { renderHome, renderMessage } from "../../src/bot/slack/render/index.ts";
import { renderScreen } from "../../src/bot/teams/render.ts";
import type { Locale } from "../../src/config.ts";
import { DAY_MS } from "../../src/domain/onboarding.ts";
import {
  type Actor,
  createLicence,
  getLicenceStatus,
  getSummary,
  listLicences,
  recordDetailsSent,
  type Summary,
  type WatchItem,
} from "../../src/handlers/index.ts";
import { checkHome, checkMessage } from "../slack/block-kit.ts";
import { advisor, testDeps } from "../support/app.ts";
import { activateFirm, newDni } from "../support/fixtures.ts";
import { cardProblems, cardText } from "../teams/cards.ts";

// The longest names the forms accept, with markup of both platforms in them.
const long = (n: number, seed = "Ñ<*é>_[x](y){{") => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);

/**
 * A firm at a busy advisor's scale (500 licences, 100 of them sent a week
 * ago and never activated): the dashboard, a list page and a ficha stay
 * inside Slack's block limits (App Home and messages) and Teams' card size,
 * summarising what does not fit ("y 90 más").
 */
describe("the handover screens at 500 licences and 100 open watch items", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let actor: Actor;
  let firstId = 0;
  afterAll(async () => await deps.dispose());

  beforeAll(async () => {
    deps = await testDeps();
    actor = advisor("T0LIMITS01");
    await activateFirm(deps, actor);
    const firm = await deps.store.findFirm("slack", "T0LIMITS01");
    if (!firm) throw new Error("no firm");
    const weekAgo = deps.now() - 8 * DAY_MS;
    for (let i = 0; i < 500; i++) {
      const taxId = newDni();
      const l = await createLicence(deps, actor, {
        taxId,
        name: `${String(i).padStart(3, "0")} ${long(190)}`,
        contactPerson: long(200),
        email: `${"a".repeat(200)}@example.com`,
        phone: "+34 600 000 000",
      });
      if (i === 0) firstId = l.id;
      if (i < 100)
        await recordDetailsSent(deps.store, firm.id, { taxId }, { platform: "slack", id: actor.userId }, weekAgo);
    }
  });

  function fits(locale: Locale, screen: Parameters<typeof renderScreen>[0], opts: { home?: boolean } = {}) {
    const message = renderMessage(locale, screen);
    expect(checkMessage({ text: message.text, blocks: message.blocks })).toEqual([]);
    if (opts.home) expect(checkHome(renderHome(locale, screen))).toEqual([]);
    const card = renderScreen(screen, locale);
    expect(cardProblems(card)).toEqual([]);
    return { message, card };
  }

  it.each(["es", "en"] as const)(
    "the dashboard (%s): counted in full, ten items listed, the rest summarised",
    async (locale) => {
      const summary = await getSummary(deps, { ...actor, locale });
      expect(summary.counts).toMatchObject({ live: 500, toInstall: 100, toSend: 400, active: 500 });
      expect(summary.watch?.counts.unactivated).toBe(100);
      const { card } = fits(locale, summaryScreen(locale, summary), { home: true });
      expect(cardText(card)).toContain(locale === "es" ? "y 90 más" : "and 90 more");
    },
  );

  it("the dashboard with 100 open items of each kind, names at their longest", () => {
    const item = (i: number): WatchItem => {
      const base = { key: `k${i}`, signature: "s", clientId: i, clientName: long(200) };
      if (i % 3 === 0) return { ...base, kind: "unactivated", licenceId: i, detailsSentAt: 0, days: 9 };
      if (i % 3 === 1) return { ...base, kind: "silent", licenceId: i, lastContactAt: 0, days: 4 };
      return {
        ...base,
        kind: "deadline",
        notificationId: i,
        organismo: long(200),
        asunto: long(1000),
        fechaMaxLectura: 0,
        daysLeft: i % 4,
      };
    };
    const summary: Summary = {
      firmName: long(200),
      activationState: "active",
      counts: {
        live: 100_000,
        active: 99_000,
        deactivated: 1000,
        toSend: 5,
        toInstall: 100,
        selfManaged: 100,
        silent: 100,
      },
      watch: {
        items: Array.from({ length: 300 }, (_, i) => item(i)),
        counts: { unactivated: 100, silent: 100, deadline: 100 },
        more: 0,
      },
    };
    const { card } = fits("es", summaryScreen("es", summary), { home: true });
    expect(cardText(card)).toContain("y 290 más");
  });

  it("a list page (as the list command pages it) and a ficha", async () => {
    const page = await listLicences(deps, actor);
    expect(page.total).toBe(500);
    const { message } = fits("es", licencesScreen("es", page, page.next));
    // The page keeps its way on even when not every row fits a message.
    expect(JSON.stringify(message.blocks.at(-1))).toContain("run:list");
    fits("es", licenceScreen("es", await getLicenceStatus(deps, actor, { licenceId: firstId })));
  });
});
