import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotContext, runCall, runCommand } from "../../src/bot/commands.ts";
import type { CardScreen, Outcome } from "../../src/bot/screen.ts";
import { type Actor, createLicence, decideActivation, requestActivation } from "../../src/handlers/index.ts";
import { t } from "../../src/i18n/index.ts";
import { advisor, supportAgent, testDeps } from "../support/app.ts";
import { newDni } from "../support/fixtures.ts";

/** Every text of a screen, for assertions. */
function texts(o: Outcome): string {
  const s = o.screen;
  if (s.kind === "notice") return s.text;
  if (s.kind === "form") return [s.title, ...s.fields.map((f) => f.label)].join("\n");
  return JSON.stringify(s);
}

const card = (o: Outcome): CardScreen => {
  if (o.screen.kind !== "card") throw new Error(`not a card: ${texts(o)}`);
  return o.screen;
};

/** The page cursor of a card's "Página siguiente". */
function next(o: Outcome): string {
  const action = card(o).actions?.find((a) => a.label === t("es", "button.nextPage"));
  if (!action || !("run" in action.target)) throw new Error("no next page");
  return String(action.target.run.args.after);
}

describe("the command layer, on its own", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let slack: BotContext;
  let actor: Actor;

  beforeAll(async () => {
    deps = await testDeps();
    slack = { deps, prefix: "/licencias " };
    actor = advisor("T0LAYER001");
    const request = await requestActivation(deps, actor, { message: "Activad", firmName: "Asesoría Capa" });
    await decideActivation(deps, supportAgent({ channelId: "CSUPPORT01" }), {
      requestId: request.id,
      decision: "approve",
    });
  });
  afterAll(async () => await deps.dispose());

  it("pages past a client whose long accented name makes a long cursor", async () => {
    const long = `Ab${"á".repeat(198)}`;
    for (let i = 0; i < 9; i++) await createLicence(deps, actor, { taxId: newDni(), name: `Aa cliente ${i}` });
    await createLicence(deps, actor, { taxId: newDni(), name: long });
    for (let i = 0; i < 3; i++) await createLicence(deps, actor, { taxId: newDni(), name: `Zz cliente ${i}` });
    for (const verb of ["clients", "list"] as const) {
      const first = await runCall(slack, actor, { verb, args: {} });
      expect(next(first).length, verb).toBeGreaterThan(500);
      const second = await runCall(slack, actor, { verb, args: { after: next(first) } });
      expect(texts(second), verb).toContain("Zz cliente 0");
    }
  });

  it("says a page emptied meanwhile is empty, not that there is nothing at all", async () => {
    const first = await runCall(slack, actor, { verb: "list", args: {} });
    const after = next(first);
    const second = card(await runCall(slack, actor, { verb: "list", args: { after } }));
    // Delete what the second page showed, then open it again.
    for (const block of second.blocks) {
      if (block.type !== "item") continue;
      const del = block.actions.find((a) => a.label === t("es", "button.delete"));
      if (del && "run" in del.target) await runCall(slack, actor, del.target.run);
    }
    const emptied = await runCall(slack, actor, { verb: "list", args: { after } });
    expect(texts(emptied)).toContain(t("es", "page.empty"));
    expect(texts(emptied)).not.toContain(t("es", "list.empty"));
  });

  it("tells the words to type as the platform types them", async () => {
    const stale = await runCall(slack, actor, { verb: "frobnicate", args: {} });
    expect(texts(stale)).toBe("Este botón ya no está disponible. Escribe «/licencias lista» para empezar de nuevo.");
    const teams = await runCall({ deps, prefix: "" }, { ...actor, locale: "en" }, { verb: "gone", args: {} });
    expect(texts(teams)).toBe("This button is no longer available. Type “list” to start again.");
    const agent = supportAgent({ channelId: "CSUPPORT01" });
    const firms = card(await runCommand(slack, agent, "despachos"));
    expect(firms.subtitle).toMatch(/«\/licencias revocar id»$/);
  });

  it("compares a NIF without separators only when the text looks like part of a NIF", async () => {
    const nif = newDni();
    await createLicence(deps, actor, { taxId: nif, name: "Sin Guiones Bajos" });
    const typed = `${nif.slice(4, 6)}-${nif.slice(6)}`;
    expect(texts(await runCommand(slack, actor, `buscar ${typed}`))).toContain("Sin Guiones Bajos");
    const underscore = await runCommand(slack, actor, `buscar ${nif.slice(-1)}_`);
    expect(texts(underscore)).toContain(t("es", "search.empty", { text: `${nif.slice(-1)}_` }));
  });
});
