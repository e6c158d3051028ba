import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLicenceNumber, type RandomBytes } from "../../src/domain/licence-number.ts";
import { type Actor, createLicence, decideActivation, requestActivation } from "../../src/handlers/index.ts";
import { supportAgent } from "../support/app.ts";
import type { FakeUser } from "./fake-slack.ts";
import { ACTION, TICKED, VIEW } from "./ids.ts";
import { activatedFirm, SECRET, type SingleWorkspace, SUPPORT_CHANNEL, singleWorkspace, TEAM } from "./setup.ts";
import { blockText, findButton, sign } from "./slack-sim.ts";

type Json = Record<string, unknown>;

describe("Slack review: what a new advisor types", () => {
  let w: SingleWorkspace;
  let es: FakeUser;
  let en: FakeUser;
  let actor: Actor;
  let number = "";

  beforeAll(async () => {
    w = await singleWorkspace();
    es = w.fake.addUser({ id: "U0REVIEW01", teamId: TEAM, name: "Ana", locale: "es-ES" });
    en = w.fake.addUser({ id: "U0REVIEW02", teamId: TEAM, name: "John", locale: "en-US" });
    actor = await activatedFirm(w, es);
    // Random bytes 0, 1, 2…: the number starts 0123…, so it holds the 0 and 1 people mistype as O and I/L.
    const counting: RandomBytes = (n) => Uint8Array.from({ length: n }, (_, i) => i);
    const licence = await createLicence({ ...w.app.deps, randomBytes: counting }, actor, {
      taxId: "B12345674",
      name: "Ferretería López",
      email: "lopez@example.com",
    });
    number = formatLicenceNumber(licence.number);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  async function answer(user: FakeUser, text: string): Promise<{ text: string; body: Json }> {
    const cmd = await w.sim.command(user, text);
    expect(cmd.status).toBe(200);
    const body = w.sim.lastAnswer(cmd.responseUrl);
    return { text: blockText(body.blocks), body };
  }

  it("answers every word, Spanish and English, odd spacing, case and accents, ephemerally", async () => {
    const cases: [FakeUser, string, string][] = [
      [es, "", "Licencias PYMES generadas"],
      [es, "  LISTA  ", "Licencias PYMES generadas"],
      [en, "List", "SME licences"],
      [es, "Clientes", "Licencia PYME: Sí"],
      [en, "clients", "Clients"],
      [es, "notificaciones", "Notificaciones"],
      [es, "notificaciones b-1234567 4", "Notificaciones de Ferretería López"],
      [es, "historial  b 1234567-4 ", "Licencia creada"],
      [en, "HISTORY b12345674", "History"],
      [es, "AYUDA", "/licencias nuevo"],
      [en, "help", "/licencias new"],
      [es, "qué", "No conozco la palabra «qué»"],
      [en, "foo bar", "I don't know the word “foo”"],
    ];
    for (const [user, text, expected] of cases) {
      const a = await answer(user, text);
      expect(a.text, `/licencias ${text}`).toContain(expected);
      expect(a.body.response_type, `/licencias ${text}`).toBe("ephemeral");
    }
    expect(w.fake.failures).toEqual([]);
  });

  it("asks for the missing argument in the user's language, never an error", async () => {
    for (const word of ["cliente", "enviar", "desactivar", "reactivar", "desvincular", "eliminar", "historial"]) {
      const a = await answer(es, `${word}   `);
      expect(a.text, word).toMatch(/^Indica/);
    }
    for (const word of ["client", "send", "deactivate", "reactivate", "unlink", "delete", "history"]) {
      const a = await answer(en, word);
      expect(a.text, word).toMatch(/^Give/);
    }
  });

  it("reads licence numbers in lower case, without hyphens, with O/I/L, and tax ids with hyphens and spaces", async () => {
    const compact = number.replace(/-/g, "").toLowerCase();
    // Every 0 typed as the letter O, every 1 as I or L.
    const confused = compact.replace(/0/g, "o").replace(/1/g, "l");
    const confusedUpper = number.replace(/0/g, "O").replace(/1/g, "I");
    expect(confused).not.toBe(compact);
    expect(confusedUpper).not.toBe(number);
    expect(confused).toMatch(/o/);
    expect(confused).toMatch(/l/);
    for (const typed of [
      number,
      compact,
      confused,
      confusedUpper,
      `  ${number.toLowerCase()} `,
      "b-1234567-4",
      "B 1234567 4",
    ]) {
      const a = await answer(es, `historial ${typed}`);
      expect(a.text, typed).toContain("Historial de Ferretería López");
    }
    const a = await answer(es, "historial ZZZ");
    expect(a.text).toContain("Indica un número de licencia o un NIF/CIF válido");
    const b = await answer(es, "cliente B12345670");
    expect(b.text).toContain("NIF/CIF");
    const c = await answer(es, "historial A58818501");
    expect(c.text).toContain("No se ha encontrado");
  });

  it("'enviar' goes to the advisor's DM, even from a channel the bot is not in", async () => {
    const before = w.fake.dmsTo(es.id).length;
    const cmd = await w.sim.command(es, `enviar ${number.toLowerCase()}`, "C0NOTMEMBER");
    expect(w.fake.dmsTo(es.id)).toHaveLength(before + 1);
    const told = w.sim.lastAnswer(cmd.responseUrl);
    expect(told.response_type).toBe("ephemeral");
    expect(blockText(told.blocks)).toContain("en un mensaje privado");
    // Nothing was posted in the channel itself.
    expect(w.fake.messages.filter((m) => m.channel === "C0NOTMEMBER")).toEqual([]);
    expect(w.fake.callsTo("chat.postEphemeral")).toEqual([]);
  });
});

describe("Slack review: buttons, forms and support", () => {
  let w: SingleWorkspace;
  let es: FakeUser;
  let actor: Actor;

  beforeAll(async () => {
    w = await singleWorkspace();
    es = w.fake.addUser({ id: "U0REVIEW11", teamId: TEAM, name: "Ana", locale: "es-ES" });
    actor = await activatedFirm(w, es);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  const origin = (responseUrl: string) => ({ kind: "message" as const, channel: "C0GENERAL1", responseUrl });

  it("a button of an older release (a verb that no longer exists) says so, and how to start again", async () => {
    const stale = { type: "button" as const, action_id: "run:frobnicate", value: "{}", text: { text: "Viejo" } };
    const click = await w.sim.click(es, stale, origin(w.fake.responseUrl()));
    expect(click.status).toBe(200);
    expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks)).toContain(
      "Este botón ya no está disponible. Escribe «/licencias lista» para empezar de nuevo.",
    );
  });

  it("double clicks do one thing; a click on a deleted licence says so", async () => {
    const licence = await createLicence(w.app.deps, actor, {
      taxId: "A58818501",
      name: "Doble Clic SL",
      email: "doble@example.com",
    });
    const cmd = await w.sim.command(es, "lista");
    const blocks = w.sim.lastAnswer(cmd.responseUrl).blocks;
    const send = findButton(blocks, ACTION.licenceSend, String(licence.id));
    const dmsBefore = w.fake.dmsTo(es.id).length;
    await Promise.all([w.sim.click(es, send, origin(cmd.responseUrl)), w.sim.click(es, send, origin(cmd.responseUrl))]);
    expect(w.fake.dmsTo(es.id).length - dmsBefore).toBe(1);

    const del = findButton(blocks, ACTION.licenceDelete, String(licence.id));
    const before = w.fake.responsesTo(cmd.responseUrl).length;
    await Promise.all([w.sim.click(es, del, origin(cmd.responseUrl)), w.sim.click(es, del, origin(cmd.responseUrl))]);
    const answers = w.fake.responsesTo(cmd.responseUrl).slice(before);
    expect(answers).toHaveLength(1);
    expect(blockText(answers[0]?.blocks)).toContain("eliminada");

    // "Nuevo" and "Aprobar" clicked twice: one form, one decision, nothing shown for the second click.
    const nuevo = findButton(blocks, ACTION.licencesNew);
    const opened = w.fake.callsTo("views.open").length;
    await Promise.all([
      w.sim.click(es, nuevo, origin(cmd.responseUrl)),
      w.sim.click(es, nuevo, origin(cmd.responseUrl)),
    ]);
    expect(w.fake.callsTo("views.open").length - opened).toBe(1);

    // Later (not a double click), the same button on the deleted licence: a clear message.
    const later = await w.sim.click(es, findButton(blocks, ACTION.licenceDeactivate, String(licence.id)), {
      ...origin(w.fake.responseUrl()),
    });
    expect(blockText(w.sim.lastAnswer(later.responseUrl).blocks)).toContain("No se ha encontrado ninguna licencia");
    expect(w.fake.failures).toEqual([]);
  });

  it("pages with 'Más' and keeps every message within Slack's limits", async () => {
    for (let i = 0; i < 30; i++) {
      // DNI numbers with their check letter.
      const n = 10000000 + i;
      const taxId = `${n}${"TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]}`;
      await createLicence(w.app.deps, actor, { taxId, name: `Cliente ${i}` });
    }
    const cmd = await w.sim.command(es, "");
    const first = w.sim.lastAnswer(cmd.responseUrl);
    const more = findButton(first.blocks, ACTION.licencesMore);
    await w.sim.click(es, more, origin(cmd.responseUrl));
    const second = w.sim.lastAnswer(cmd.responseUrl);
    expect(second.replace_original).toBe(true);
    expect(blockText(second.blocks)).not.toEqual(blockText(first.blocks));
    const clients = await w.sim.command(es, "clientes");
    await w.sim.click(es, findButton(w.sim.lastAnswer(clients.responseUrl).blocks, ACTION.clientsMore), {
      ...origin(clients.responseUrl),
    });
    expect(w.fake.failures).toEqual([]);
  });

  it("the licence form: errors on the right blocks for every bad combination; long inputs are bounded", async () => {
    await w.sim.command(es, "nuevo");
    const form = w.sim.lastView(VIEW.licenceForm);
    expect(String((form.view.title as Json).text).length).toBeLessThanOrEqual(24);
    const inputs = (form.view.blocks as Json[]).filter((b) => b.type === "input");
    expect(inputs.map((b) => b.block_id)).toEqual(expect.arrayContaining(["taxId", "name", "email", "phone"]));
    for (const b of inputs) expect((b.element as Json).max_length, String(b.block_id)).toBeGreaterThan(0);
    const res = await w.sim.submit(es, form.id, {
      taxId: "X",
      name: "   ",
      email: "nope",
      contactPerson: null,
      phone: null,
      notes: null,
    });
    expect(res.body?.response_action).toBe("errors");
    const errors = res.body?.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(["email", "name", "taxId"]);
    const long = await w.sim.submit(es, form.id, {
      taxId: "B12345674",
      name: "x".repeat(5000),
      email: null,
      contactPerson: null,
      phone: "1".repeat(500),
      notes: null,
    });
    expect(long.body?.response_action).toBe("errors");
    expect(Object.keys(long.body?.errors as Json).sort()).toEqual(["name", "phone"]);
  });

  it("odd inputs get a clear answer: escaped text, bad NIF filters, ticking a client without a licence", async () => {
    // Slack sends &, < and > in a command's text as entities: the user sees what they typed.
    let cmd = await w.sim.command(es, "&lt;b&gt; &amp;");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("«<b>»");
    cmd = await w.sim.command(es, "notificaciones B1234");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("NIF/CIF");
    cmd = await w.sim.command(es, "notificaciones 12345678-z");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("No hay ningún cliente");
    // A client whose licence was deleted cannot be ticked: the error is on the tick box.
    cmd = await w.sim.command(es, "cliente A58818501");
    const form = w.sim.lastView(VIEW.clientForm);
    expect(blockText(form.view.blocks)).toContain("Licencia PYME: No");
    const res = await w.sim.submit(es, form.id, { selfManaged: TICKED });
    expect(res.body).toMatchObject({
      response_action: "errors",
      errors: { selfManaged: expect.stringContaining("Licencia PYME activa") },
    });
  });

  it("a tampered client form (another firm's client in private_metadata) changes nothing", async () => {
    const other: Actor = { ...actor, workspaceId: "T0OTHERFIRM", userId: "U0OTHER001" };
    w.fake.addUser({ id: other.userId, teamId: "T0OTHERFIRM" });
    await requestActivation(w.app.deps, other, { message: "x" });
    const pending = (await w.app.deps.store.listPendingRequests(10)).find((r) => r.requesterId === other.userId);
    if (!pending) throw new Error("no request");
    await decideActivation(w.app.deps, supportAgent({ workspaceId: TEAM, channelId: SUPPORT_CHANNEL }), {
      requestId: pending.id,
      decision: "approve",
    });
    await createLicence(w.app.deps, other, { taxId: "Q2826000H", name: "Ajeno" });
    await w.sim.command(es, "cliente 10000000z");
    const form = w.sim.lastView(VIEW.clientForm);
    form.view.private_metadata = JSON.stringify({ form: VIEW.clientForm, data: { taxId: "Q2826000H" } });
    const res = await w.sim.submit(es, form.id, { selfManaged: TICKED });
    expect(blockText((res.body?.view as Json | undefined)?.blocks)).toContain("No hay ningún cliente");
    const theirs = await w.app.deps.store.getClientByTaxId(
      (await w.app.deps.store.findFirm("slack", "T0OTHERFIRM"))?.id ?? 0,
      "Q2826000H",
    );
    expect(theirs?.selfManaged).toBe(false);
  });

  it("guests are refused on commands, clicks and form submissions", async () => {
    const guest = w.fake.addUser({ id: "U0GUEST011", teamId: TEAM, restricted: true, locale: "es-ES" });
    const refusal = "Los invitados y los usuarios de otras organizaciones";
    const cmd = await w.sim.command(guest, "nuevo");
    expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain(refusal);
    const list = await w.sim.command(es, "lista");
    const blocks = w.sim.lastAnswer(list.responseUrl).blocks;
    for (const b of [
      findButton(blocks, ACTION.licencesNew),
      findButton(blocks, ACTION.licenceSend),
      findButton(blocks, ACTION.licenceDelete),
      findButton(blocks, ACTION.licencesMore),
    ]) {
      const click = await w.sim.click(guest, b, origin(w.fake.responseUrl()));
      expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks), b.action_id).toContain(refusal);
    }
    // A form opened by a member, submitted by a guest (the view was shared or the member became a guest).
    await w.sim.command(es, "nuevo");
    const form = w.sim.lastView(VIEW.licenceForm);
    const res = await w.sim.submit(guest, form.id, { taxId: "B65410011", name: "Guest SL" });
    expect(blockText((res.body?.view as Json | undefined)?.blocks)).toContain(refusal);
    await w.sim.command(es, "cliente 1000-0000 z");
    const clientForm = w.sim.lastView(VIEW.clientForm);
    const res2 = await w.sim.submit(guest, clientForm.id, { selfManaged: TICKED });
    expect(blockText((res2.body?.view as Json | undefined)?.blocks)).toContain(refusal);
    // A Slack Connect user of another workspace submitting the same form.
    const outsider = w.fake.addUser({ id: "U0CONNECT2", teamId: "T0ELSEWHERE", locale: "es-ES" });
    await w.sim.command(es, "cliente 10000000Z");
    const res3 = await w.sim.submit(outsider, w.sim.lastView(VIEW.clientForm).id, { selfManaged: TICKED });
    expect(blockText((res3.body?.view as Json | undefined)?.blocks)).toContain(refusal);
    expect(
      (await w.app.deps.store.getClientByTaxId((await w.app.deps.store.findFirm("slack", TEAM))?.id ?? 0, "10000000Z"))
        ?.selfManaged,
    ).toBe(false);
  });

  it("an event retried by Slack (x-slack-retry-num) is answered once, harmlessly", async () => {
    const body = JSON.stringify({
      token: "legacy-verification-token",
      team_id: TEAM,
      api_app_id: "A0LICENCIAS",
      type: "event_callback",
      event_id: "Ev0RETRY01",
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "tokens_revoked", tokens: { oauth: ["U0X"] } },
      authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: "UBOT", is_bot: true }],
    });
    // Each retry is signed anew, with its own timestamp, as Slack does.
    const now = Math.floor(Date.now() / 1000);
    for (const [i, retry] of [undefined, "1", "2"].entries()) {
      const res = await fetch(`${w.app.url}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...sign(SECRET, body, now - 2 + i),
          ...(retry ? { "x-slack-retry-num": retry, "x-slack-retry-reason": "http_timeout" } : {}),
        },
        body,
      });
      expect(res.status).toBe(200);
    }
  });

  it("a Teams advisor's request is decided in Slack; reject reason reaches a Slack requester; revoke asks again", async () => {
    const teamsActor: Actor = {
      platform: "teams",
      workspaceId: "tenant-0001",
      workspaceName: "Asesoría Teams",
      userId: "aad-0001",
      userName: "Tere",
      locale: "es",
    };
    await requestActivation(w.app.deps, teamsActor, { message: "Desde Teams" });
    const msg = w.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).at(-1);
    if (!msg) throw new Error("no support message");
    expect(blockText(msg.blocks)).toContain("Teams");
    const agent = w.fake.addUser({ id: "U0AGENT011", teamId: TEAM, name: "Sole", locale: "es-ES" });
    const click = await w.sim.click(agent, findButton(msg.blocks, ACTION.supportApprove), {
      kind: "message",
      channel: SUPPORT_CHANNEL,
      ephemeral: false,
      ts: msg.ts,
      responseUrl: w.fake.responseUrl(),
    });
    expect(w.fake.responsesTo(click.responseUrl)).toEqual([]);
    const updated = w.fake.messages.find((m) => m.ts === msg.ts);
    expect(blockText(updated?.blocks)).toContain("Aprobada por Sole");

    // A Slack requester from another workspace (Slack Connect into the support workspace is not needed):
    // a fresh app where the requester's firm is rejected with a reason.
    const x = await singleWorkspace();
    try {
      const rita = x.fake.addUser({ id: "U0REQ00011", teamId: TEAM, name: "Rita", locale: "es-ES" });
      const sole = x.fake.addUser({ id: "U0AGENT012", teamId: TEAM, name: "Sole", locale: "es-ES" });
      const form = await x.sim.openActivationForm(rita);
      const empty = await x.sim.submit(rita, form.id, { message: null });
      expect(empty.body).toMatchObject({ response_action: "errors", errors: { message: expect.any(String) } });
      await x.sim.submit(rita, x.sim.lastView(VIEW.activationRequest).id, { message: "Por favor" });
      const req = x.fake.messages.find((m) => m.channel === SUPPORT_CHANNEL);
      if (!req) throw new Error("no support message");
      await x.sim.click(sole, findButton(req.blocks, ACTION.supportReject), {
        kind: "message",
        channel: SUPPORT_CHANNEL,
        ephemeral: false,
        ts: req.ts,
        responseUrl: x.fake.responseUrl(),
      });
      await x.sim.submit(sole, x.sim.lastView(VIEW.rejectReason).id, { reason: "Falta el contrato firmado" });
      const dm = x.fake.dmsTo(rita.id).at(-1);
      expect(blockText(dm?.blocks)).toContain("Falta el contrato firmado");

      // Approved later, then revoked: "nuevo" asks for the activation again.
      const again = await x.sim.command(rita, "nuevo");
      expect(blockText(x.sim.lastAnswer(again.responseUrl).blocks)).toContain("volver a solicitar");
      await x.sim.click(rita, findButton(x.sim.lastAnswer(again.responseUrl).blocks, ACTION.activationYes), {
        kind: "message",
        channel: "C0GENERAL1",
        responseUrl: again.responseUrl,
      });
      await x.sim.submit(rita, x.sim.lastView(VIEW.activationRequest).id, { message: "Ya firmado" });
      const req2 = x.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).at(-1);
      if (!req2) throw new Error("no support message");
      // A double click on "Aprobar": one decision, one DM, and no "already decided" for the second click.
      const updates = x.fake.callsTo("chat.update").length;
      const dms = x.fake.dmsTo(rita.id).length;
      const approveOrigin = { kind: "message" as const, channel: SUPPORT_CHANNEL, ephemeral: false, ts: req2.ts };
      const clicks = await Promise.all(
        [1, 2].map(() =>
          x.sim.click(sole, findButton(req2.blocks, ACTION.supportApprove), {
            ...approveOrigin,
            responseUrl: x.fake.responseUrl(),
          }),
        ),
      );
      expect(x.fake.callsTo("chat.update").length - updates).toBe(1);
      expect(x.fake.dmsTo(rita.id).length - dms).toBe(1);
      for (const c of clicks) expect(x.fake.responsesTo(c.responseUrl)).toEqual([]);
      const firmId = (await x.app.deps.store.findFirm("slack", TEAM))?.id;
      const prompt = await x.sim.command(sole, `revocar ${firmId}`, SUPPORT_CHANNEL);
      const revokeBtn = findButton(x.sim.lastAnswer(prompt.responseUrl).blocks, ACTION.supportRevoke);
      await x.sim.click(sole, revokeBtn, {
        kind: "message",
        channel: SUPPORT_CHANNEL,
        responseUrl: prompt.responseUrl,
      });
      expect(blockText(x.sim.lastAnswer(prompt.responseUrl).blocks)).toContain("revocada");
      // The advisor who asked for the feature is told in a DM.
      expect(blockText(x.fake.dmsTo(rita.id).at(-1)?.blocks)).toContain("ha revocado la Solución para PYMES");
      const after = await x.sim.command(rita, "nuevo");
      expect(blockText(x.sim.lastAnswer(after.responseUrl).blocks)).toContain("¿Quieres volver a solicitar");
      expect(
        x.fake.callsTo("views.open").filter((c) => (c.args.view as Json).callback_id === VIEW.licenceForm),
      ).toEqual([]);
      expect(x.fake.failures).toEqual([]);
    } finally {
      await x.dispose();
    }
  });
});

describe("Slack review: the log", () => {
  it("holds no tax id, e-mail or licence number, even at debug level", async () => {
    // Its own app and log: what is checked is what this test made the app do.
    const x = await singleWorkspace();
    try {
      const ana = x.fake.addUser({ id: "U0REVIEW21", teamId: TEAM, name: "Ana", locale: "es-ES" });
      const firmActor = await activatedFirm(x, ana);
      const licence = await createLicence(x.app.deps, firmActor, {
        taxId: "A58818501",
        name: "Doble Clic SL",
        email: "doble@example.com",
      });
      const number = formatLicenceNumber(licence.number);
      // Through Slack: the details DM goes through the Web API client, which logs bodies at debug.
      for (const text of [
        `enviar ${number}`,
        "historial a-58818501",
        "cliente A58818501",
        "cliente B12345670",
        `desactivar ${number.toLowerCase()}`,
      ]) {
        expect((await x.sim.command(ana, text)).status, text).toBe(200);
      }
      const dms = JSON.stringify(x.fake.dmsTo(ana.id));
      // The secrets did travel through the app, so their absence from the log means something.
      for (const secret of [number, "A58818501", "doble@example.com"]) expect(dms, secret).toContain(secret);

      const all = x.app.logLines.join("\n");
      expect(all).toContain("chat.postMessage");
      for (const secret of ["A58818501", "a-58818501", "doble@example.com", "doble%40example.com", licence.number]) {
        expect(all, secret).not.toContain(secret);
      }
      expect(all).not.toContain(number);
      expect(all.toUpperCase()).not.toContain(number);
      expect(all).not.toMatch(
        /[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}/i,
      );
      // Every failure above was a coded one: no user got the generic "something went wrong".
      expect(x.app.logLines.filter((l) => /"level":50/.test(l))).toEqual([]);
      expect(x.fake.failures).toEqual([]);
    } finally {
      await x.dispose();
    }
  });
});
