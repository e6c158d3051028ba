import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Actor, createLicence, decideActivation, requestActivation } from "../../src/handlers/index.ts";
import { t } from "../../src/i18n/index.ts";
import { captureLogger, supportAgent, tempDir } from "../support/app.ts";
import { fuzzSeed, prng } from "../support/fuzz.ts";
import { type FakeUser, startFakeSlack } from "./fake-slack.ts";
import { ACTION, VIEW } from "./ids.ts";
import { SECRET, type SingleWorkspace, SUPPORT_CHANNEL, singleWorkspace, TEAM, TOKEN } from "./setup.ts";
import { blockText, sign } from "./slack-sim.ts";

type Json = Record<string, unknown>;

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const nowSeconds = () => Math.floor(Date.now() / 1000);
const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

/** The fields of `/licencias <text>` as Slack posts them. */
function commandFields(
  w: SingleWorkspace,
  user: FakeUser,
  text: string,
  command = "/licencias",
): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: user.teamId,
    team_domain: user.teamId.toLowerCase(),
    channel_id: "C0GENERAL1",
    channel_name: "general",
    user_id: user.id,
    user_name: user.id,
    command,
    text,
    api_app_id: "A0LICENCIAS",
    is_enterprise_install: "false",
    response_url: w.fake.responseUrl(),
    trigger_id: `trig-${randomUUID()}`,
  };
}

/** What every interaction payload carries about who and where. */
function interactionBase(user: FakeUser): Json {
  return {
    team: { id: user.teamId, domain: "firm" },
    user: { id: user.id, username: user.id, name: user.id, team_id: user.teamId },
    api_app_id: "A0LICENCIAS",
    token: "legacy-verification-token",
    trigger_id: `trig-${randomUUID()}`,
    is_enterprise_install: false,
    enterprise: null,
  };
}

function blockActions(w: SingleWorkspace, user: FakeUser, actionId: string, value?: string): Json {
  return {
    type: "block_actions",
    ...interactionBase(user),
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b",
        text: { type: "plain_text", text: "x" },
        ...(value !== undefined ? { value } : {}),
        action_ts: `${Date.now() / 1000}`,
      },
    ],
    container: { type: "message", message_ts: "1700000000.000001", channel_id: "C0GENERAL1", is_ephemeral: true },
    channel: { id: "C0GENERAL1", name: "general" },
    response_url: w.fake.responseUrl(),
  };
}

function viewSubmission(user: FakeUser, view: Json): Json {
  return {
    type: "view_submission",
    ...interactionBase(user),
    view: {
      id: `V${randomUUID().slice(0, 8)}`,
      team_id: user.teamId,
      type: "modal",
      callback_id: VIEW.licenceForm,
      private_metadata: JSON.stringify({ form: VIEW.licenceForm, data: {} }),
      blocks: [{ type: "input", block_id: "taxId" }],
      state: { values: { taxId: { value: { type: "plain_text_input", value: "B12345674" } } } },
      hash: "h",
      app_installed_team_id: user.teamId,
      ...view,
    },
    response_urls: [],
  };
}

function eventCallback(event: Json, eventId = `Ev${randomUUID().slice(0, 10)}`): Json {
  return {
    token: "legacy-verification-token",
    team_id: TEAM,
    api_app_id: "A0LICENCIAS",
    type: "event_callback",
    event_id: eventId,
    event_time: nowSeconds(),
    event,
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: "UBOT", is_bot: true }],
  };
}

/**
 * Writes the headers and the first bytes of a body and waits for the answer
 * without ever sending the rest: an answer proves the server did not wait for it.
 */
function partialPost(
  url: string,
  headers: Record<string, string>,
  first: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/slack/events`, { method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    // Once answered the server closes the connection while we still "send": that error is expected.
    req.on("error", reject);
    req.write(first);
  });
}

describe("Slack hostile input", () => {
  let w: SingleWorkspace;
  let ana: FakeUser;
  let actor: Actor;

  async function post(
    body: string,
    contentType: string,
    options: { ts?: number; headers?: Record<string, string>; path?: string } = {},
  ): Promise<{ status: number; text: string; ms: number }> {
    const started = Date.now();
    const res = await fetch(`${w.app.url}${options.path ?? "/slack/events"}`, {
      method: "POST",
      headers: { "content-type": contentType, ...sign(SECRET, body, options.ts), ...options.headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, text, ms: Date.now() - started };
  }

  beforeAll(async () => {
    w = await singleWorkspace();
    ana = w.fake.addUser({ id: "U0HOSTILE1", teamId: TEAM, name: "Ana", locale: "es-ES" });
    actor = { platform: "slack", workspaceId: TEAM, userId: ana.id, locale: "es", channelId: "C0GENERAL1" };
    await requestActivation(w.app.deps, actor, { message: "Activad" });
    const pending = (await w.app.deps.store.listPendingRequests(10)).find((r) => r.requesterId === ana.id);
    if (!pending) throw new Error("no pending request");
    await decideActivation(w.app.deps, supportAgent({ workspaceId: TEAM, channelId: SUPPORT_CHANNEL }), {
      requestId: pending.id,
      decision: "approve",
    });
    await createLicence(w.app.deps, actor, { taxId: "B12345674", name: "Ferretería López" });
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it("answers 400, with no body, to malformed requests Bolt failed on, and changes nothing", async () => {
    const click = () => blockActions(w, ana, ACTION.licencesMore, "");
    const without = (o: Json, ...keys: string[]) => {
      for (const k of keys) delete o[k];
      return o;
    };
    const submission = (view: Json) => viewSubmission(ana, view);
    const cases: Record<string, [string, string]> = {
      "block_actions without container": [form(without(click(), "container")), FORM],
      "block_actions from a message without channel": [form(without(click(), "channel")), FORM],
      "block_actions whose actions are not an array": [form({ ...click(), actions: "licences_more" }), FORM],
      "block_actions with no action": [form({ ...click(), actions: [] }), FORM],
      "block_actions without user": [form(without(click(), "user")), FORM],
      "block_actions without team": [form(without(click(), "team")), FORM],
      "block_actions with a value that is a number": [
        form({ ...click(), actions: [{ type: "button", action_id: ACTION.licencesMore, value: 7 }] }),
        FORM,
      ],
      "view_submission without view": [form(without(submission({}), "view")), FORM],
      "view_submission without view.blocks": [form(submission({ blocks: undefined })), FORM],
      "view_submission with view.blocks null": [form(submission({ blocks: null })), FORM],
      "view_submission with typed values of the wrong type": [
        form(submission({ state: { values: { taxId: { value: { value: 42 } } } } })),
        FORM,
      ],
      "view_submission without user": [form(without(submission({}), "user")), FORM],
      "payload=null": ["payload=null", FORM],
      "payload=[]": ["payload=%5B%5D", FORM],
      "payload that is not JSON": ["payload=%7Bnope", FORM],
      "a repeated payload field": [`${form(click())}&${form(click())}`, FORM],
      "JSON null": ["null", JSON_TYPE],
      "a JSON string": ['"event_callback"', JSON_TYPE],
      "a body that is not JSON": ["{nope", JSON_TYPE],
      "event_callback without team_id": [
        JSON.stringify(without(eventCallback({ type: "app_uninstalled" }), "team_id")),
        JSON_TYPE,
      ],
      "event_callback whose event has no type": [JSON.stringify(eventCallback({})), JSON_TYPE],
      "tokens_revoked without tokens": [JSON.stringify(eventCallback({ type: "tokens_revoked" })), JSON_TYPE],
      "slash command without trigger_id": [
        new URLSearchParams(without(commandFields(w, ana, "lista"), "trigger_id") as Record<string, string>).toString(),
        FORM,
      ],
      "slash command with a repeated user_id": [
        `${new URLSearchParams(commandFields(w, ana, "lista")).toString()}&user_id=U0OTHER001`,
        FORM,
      ],
      "url_verification without challenge": [JSON.stringify({ type: "url_verification", token: "x" }), JSON_TYPE],
      "an object with no type": [JSON.stringify({ hello: "world" }), JSON_TYPE],
    };
    const callsBefore = w.fake.calls.length;
    const responsesBefore = w.fake.responses.length;
    const answers: Record<string, number> = {};
    for (const [name, [body, type]] of Object.entries(cases)) {
      const res = await post(body, type);
      answers[name] = res.status;
      expect(res.text, name).toBe("");
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(cases).map((k) => [k, 400])));
    expect(w.fake.calls.length).toBe(callsBefore);
    expect(w.fake.responses.length).toBe(responsesBefore);
  });

  it("acknowledges at once (200) and dispatches nothing for what Slack may send but the app does not listen to", async () => {
    const cases: Record<string, [string, string]> = {
      app_rate_limited: [
        JSON.stringify({ token: "t", type: "app_rate_limited", team_id: TEAM, minute_rate_limited: 1 }),
        JSON_TYPE,
      ],
      "a global shortcut": [form({ type: "shortcut", callback_id: "x", trigger_id: "t", user: { id: ana.id } }), FORM],
      "a message shortcut": [form({ type: "message_action", callback_id: "x", user: { id: ana.id } }), FORM],
      "an options request": [form({ type: "block_suggestion", action_id: "x", value: "a" }), FORM],
      "a closed modal": [form({ ...viewSubmission(ana, {}), type: "view_closed", is_cleared: false }), FORM],
      "a legacy attachment button": [form({ type: "interactive_message", actions: [{ name: "x" }] }), FORM],
      "an event the app does not subscribe to": [
        JSON.stringify(eventCallback({ type: "member_joined_channel", user: ana.id, channel: "C0GENERAL1" })),
        JSON_TYPE,
      ],
      "a button the app never showed": [form(blockActions(w, ana, "not_ours")), FORM],
      "a form the app never opened": [form(viewSubmission(ana, { callback_id: "not_ours" })), FORM],
      "another slash command": [new URLSearchParams(commandFields(w, ana, "lista", "/otro")).toString(), FORM],
    };
    const callsBefore = w.fake.calls.length;
    for (const [name, [body, type]] of Object.entries(cases)) {
      const res = await post(body, type);
      expect(res.status, name).toBe(200);
      // Not Bolt's "nobody acknowledged" answer, which comes after 3 seconds.
      expect(res.ms, name).toBeLessThan(2000);
    }
    expect(w.fake.calls.length).toBe(callsBefore);
  });

  it("answers a signed request alike at the exact path (served before Express) and at every other spelling", async () => {
    // src/app.ts hands POST /slack/events to the Slack edge itself; Express's router serves the rest.
    const fields = (text: string) => new URLSearchParams(commandFields(w, ana, text)).toString();
    for (const path of ["/slack/events", "/slack/events/", "/SLACK/Events", "/slack/events?x=1"]) {
      const list = await post(fields("lista"), FORM, { path });
      expect(list.status, path).toBe(200);
      expect((JSON.parse(list.text) as Json).response_type, path).toBe("ephemeral");
      expect(list.text, path).toContain("Licencias PYMES generadas");
      const code = `c0ffee-${path.length}-${randomUUID()}`;
      const challenge = await post(
        JSON.stringify({ type: "url_verification", token: "t", challenge: code }),
        JSON_TYPE,
        {
          path,
        },
      );
      expect(JSON.parse(challenge.text), path).toEqual({ challenge: code });
      // The same signed bytes twice: a replay, refused whichever way each came in.
      const body = fields("ayuda");
      const ts = Math.floor(Date.now() / 1000);
      expect((await post(body, FORM, { path, ts })).status, path).toBe(200);
      expect((await post(body, FORM, { path: "/slack/events", ts })).status, path).toBe(401);
    }
  });

  it("url_verification and ssl_check still reach Bolt's answers once signed", async () => {
    const challenge = await post(
      JSON.stringify({ type: "url_verification", token: "t", challenge: "c0ffee" }),
      JSON_TYPE,
    );
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.text)).toEqual({ challenge: "c0ffee" });
    const ssl = await post("ssl_check=1&token=t", FORM);
    expect(ssl.status).toBe(200);
    expect(ssl.text).toBe("");
  });

  it("listeners cope with shapes Bolt accepts: a form without state, a value that is not JSON, metadata 'null'", async () => {
    const noState = await post(form(viewSubmission(ana, { state: undefined })), FORM);
    expect(noState.status).toBe(200);
    const answer = JSON.parse(noState.text) as Json;
    expect(answer.response_action).toBe("errors");
    expect(Object.keys(answer.errors as Json)).toContain("taxId");

    const click = blockActions(w, ana, ACTION.notificationsMore, "{not json");
    const more = await post(form(click), FORM);
    expect(more.status).toBe(200);
    expect(w.fake.responsesTo(String(click.response_url))).toHaveLength(1);

    const reject = await post(
      form(viewSubmission(ana, { callback_id: VIEW.rejectReason, private_metadata: "null", blocks: [] })),
      FORM,
    );
    expect(reject.status).toBe(200);
    const modal = JSON.parse(reject.text) as Json;
    expect(modal.response_action).toBe("update");
    expect(blockText((modal.view as Json).blocks)).toContain(
      t("es", "action.unknown", { command: "/licencias lista" }),
    );
  });

  it("refuses timestamps more than 5 minutes away, ahead as well as behind (401); a small skew is fine", async () => {
    for (const skew of [6 * 60, -6 * 60, 10 * 365 * 86400]) {
      const fields = commandFields(w, ana, "ayuda");
      const res = await post(new URLSearchParams(fields).toString(), FORM, { ts: nowSeconds() + skew });
      expect(res.status, `skew ${skew}`).toBe(401);
      expect(w.fake.responsesTo(fields.response_url as string)).toEqual([]);
    }
    const fields = commandFields(w, ana, "ayuda");
    const ok = await post(new URLSearchParams(fields).toString(), FORM, { ts: nowSeconds() + 4 * 60 });
    expect(ok.status).toBe(200);
    // The help, in the command's own HTTP response.
    expect(ok.text).toContain(t("es", "help.title"));
  });

  it("the same signed bytes sent twice are processed once: the replay is refused (401)", async () => {
    const firmId = (await w.app.deps.store.findFirm("slack", TEAM))?.id ?? 0;
    const client = await w.app.deps.store.getClientByTaxId(firmId, "B12345674");
    if (!client) throw new Error("no client");
    const sent = async () =>
      (await w.app.deps.store.history(firmId, client.id, 100)).filter((e) => e.action === "licence.detailsSent");
    const before = { dms: w.fake.dmsTo(ana.id).length, audited: (await sent()).length };

    const body = new URLSearchParams(commandFields(w, ana, "enviar B12345674")).toString();
    const headers = { "content-type": FORM, ...sign(SECRET, body) };
    const send = () => fetch(`${w.app.url}/slack/events`, { method: "POST", headers, body });
    const first = await send();
    expect(first.status).toBe(200);
    const again = await send();
    expect(again.status).toBe(401);
    expect(await again.text()).toBe("");

    expect(w.fake.dmsTo(ana.id).length).toBe(before.dms + 1);
    expect((await sent()).length).toBe(before.audited + 1);
  });

  it("a retry (x-slack-retry-num) is acknowledged without running the listener again; an event never seen is handled", async () => {
    const fields = commandFields(w, ana, "ayuda");
    const body = new URLSearchParams(fields).toString();
    const retry = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
    const first = await post(body, FORM, { ts: nowSeconds() - 2 });
    expect(first.status).toBe(200);
    expect(first.text).toContain(t("es", "help.title"));
    // A retry is the same body, signed anew with a later timestamp: acknowledged, not answered again.
    const again = await post(body, FORM, { ts: nowSeconds() - 1, headers: retry });
    expect(again.status).toBe(200);
    expect(again.text).not.toContain(t("es", "help.title"));
    expect(w.fake.responsesTo(fields.response_url as string)).toEqual([]);

    const revoked = () => w.app.logLines.filter((l) => l.includes("the Slack bot token was revoked")).length;
    const start = revoked();
    const event = JSON.stringify(eventCallback({ type: "tokens_revoked", tokens: { oauth: ["U0X"] } }, "Ev0HOSTILE1"));
    expect((await post(event, JSON_TYPE, { ts: nowSeconds() - 3 })).status).toBe(200);
    expect(revoked()).toBe(start + 1);
    for (const [i, n] of ["1", "2"].entries()) {
      const res = await post(event, JSON_TYPE, {
        ts: nowSeconds() - 2 + i,
        headers: { ...retry, "x-slack-retry-num": n },
      });
      expect(res.status).toBe(200);
    }
    expect(revoked()).toBe(start + 1);
    // The first delivery of this one never arrived: its retry is the only one, and is handled.
    const lost = JSON.stringify(eventCallback({ type: "tokens_revoked", tokens: { oauth: ["U0X"] } }, "Ev0HOSTILE2"));
    expect((await post(lost, JSON_TYPE, { headers: retry })).status).toBe(200);
    expect(revoked()).toBe(start + 2);
  });

  it("refuses a 3.9 MB body without reading it: 401 unsigned, 413 signed; larger than 256 KB streamed is 413", async () => {
    const size = String(Math.floor(3.9 * 1024 * 1024));
    const chunk = Buffer.alloc(16 * 1024, "a");
    // 48 at once, each answered while 3.9 MB of it were never sent.
    const unsigned = await Promise.all(
      Array.from({ length: 48 }, () =>
        partialPost(w.app.url, { "content-type": JSON_TYPE, "content-length": size }, chunk),
      ),
    );
    expect(new Set(unsigned.map((r) => r.status))).toEqual(new Set([401]));
    expect(unsigned.every((r) => r.body === "")).toBe(true);

    const signed = await partialPost(
      w.app.url,
      { "content-type": JSON_TYPE, "content-length": size, ...sign(SECRET, "whatever") },
      chunk,
    );
    expect(signed.status).toBe(413);

    // No declared length (chunked): reading stops at the limit.
    const streamed = await partialPost(
      w.app.url,
      { "content-type": JSON_TYPE, ...sign(SECRET, "whatever") },
      Buffer.alloc(300 * 1024, "a"),
    );
    expect(streamed.status).toBe(413);

    // A stale timestamp is refused before the body too.
    const stale = await partialPost(
      w.app.url,
      { "content-type": JSON_TYPE, "content-length": size, ...sign(SECRET, "x", nowSeconds() - 3600) },
      chunk,
    );
    expect(stale.status).toBe(401);

    // A body under the limit still works.
    const padded = JSON.stringify({
      ...eventCallback({ type: "app_home_opened", user: "U0NOBODY1", tab: "messages" }),
      padding: "a".repeat(200 * 1024),
    });
    expect((await post(padded, JSON_TYPE)).status).toBe(200);
  });

  it("a seeded mini-fuzz of signed but malformed payloads: never 5xx, never a stack trace or an internal path", async () => {
    const seed = fuzzSeed();
    console.log(`Slack fuzz seed: ${seed} (FUZZ_SEED=${seed} replays it)`);
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const odd: (() => unknown)[] = [
      () => undefined,
      () => null,
      () => 0,
      () => -1.5,
      () => "",
      () => "x".repeat(5000),
      () => [],
      () => [null],
      () => ({}),
      () => true,
      () => "null",
      () => "{not json",
      () => "__proto__",
      () => ({ __proto__: { polluted: true } }),
      () => "<!channel> &amp; %00",
      () => ACTION.licenceDelete,
      () => VIEW.rejectReason,
    ];
    const paths = (v: unknown, prefix: string[] = []): string[][] => {
      if (!v || typeof v !== "object") return [prefix];
      const out: string[][] = prefix.length > 0 ? [prefix] : [];
      for (const [k, x] of Object.entries(v as Json)) out.push(...paths(x, [...prefix, k]));
      return out;
    };
    const mutate = (o: Json): Json => {
      const copy = structuredClone(o);
      const times = 1 + Math.floor(random() * 3);
      for (let i = 0; i < times; i++) {
        const path = pick(paths(copy));
        let parent: Json = copy;
        for (const k of path.slice(0, -1)) {
          const next = parent[k];
          if (!next || typeof next !== "object") break;
          parent = next as Json;
        }
        const key = path[path.length - 1] ?? "type";
        const value = pick(odd)();
        if (value === undefined) delete parent[key];
        else parent[key] = value;
      }
      return copy;
    };
    const templates: (() => [Json, "payload" | "json" | "fields"])[] = [
      () => [blockActions(w, ana, pick(Object.values(ACTION)), pick(["1", "", "{}", "B12345674"])), "payload"],
      () => [viewSubmission(ana, { callback_id: pick(Object.values(VIEW)) }), "payload"],
      () => [eventCallback({ type: pick(["tokens_revoked", "app_uninstalled"]), tokens: { bot: ["UBOT"] } }), "json"],
      () => [commandFields(w, ana, pick(["lista", "ayuda", "enviar B12345674", "historial 1", ""])), "fields"],
      () => [{ type: "url_verification", challenge: "c", token: "t" }, "json"],
    ];
    const encode = (o: Json, how: "payload" | "json" | "fields"): [string, string] => {
      const r = random();
      if (r < 0.05) return [JSON.stringify(o), FORM];
      if (r < 0.1) return [form(o), JSON_TYPE];
      if (how === "json") return [JSON.stringify(o), JSON_TYPE];
      if (how === "payload") return [form(o), FORM];
      const fields = Object.entries(o).map(([k, v]): [string, string] => [
        k,
        typeof v === "string" ? v : (JSON.stringify(v) ?? ""),
      ]);
      return [new URLSearchParams(fields).toString(), FORM];
    };

    const bad: string[] = [];
    const statuses = new Map<number, number>();
    const cases = Array.from({ length: Number(process.env.FUZZ_RUNS ?? 300) }, () => {
      const [template, how] = pick(templates)();
      return encode(mutate(template), how);
    });
    const worker = async () => {
      for (let c = cases.shift(); c; c = cases.shift()) {
        const [body, type] = c;
        const res = await post(body, type);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500 || /Error|\bat \S+ \(|node_modules|\/src\/|\.ts:\d/.test(res.text)) {
          bad.push(`${res.status} ${res.text.slice(0, 200)} for ${decodeURIComponent(body).slice(0, 3000)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(bad, `seed ${seed}`).toEqual([]);
    // The fuzz reached both sides of the guard.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});

describe("Slack Web API calls and response_url posts have a deadline", () => {
  it("a hung users.info gives up within 2 s and the user is told; a hung response_url does not hold the listener", async () => {
    const x = await singleWorkspace();
    try {
      const user = x.fake.addUser({ id: "U0HUNG0001", teamId: TEAM, locale: "es-ES" });
      x.fake.stall("users.info");
      const started = Date.now();
      const cmd = await x.sim.command(user, "lista");
      const elapsed = Date.now() - started;
      expect(cmd.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(2900);
      expect(blockText(x.sim.lastAnswer(cmd.responseUrl).blocks)).toContain("Algo ha fallado");

      x.fake.stall("response_url");
      const again = Date.now();
      const hung = await x.sim.command(user, "ayuda");
      expect(hung.status).toBe(200);
      // users.info, then the answer and the failure notice: each gives up after 2 s.
      expect(Date.now() - again).toBeLessThan(7000);
    } finally {
      await x.dispose();
    }
  }, 15_000);
});

describe("Slack replays across instances", () => {
  it("two instances on one database: the same signed bytes sent to both are processed once", async () => {
    const fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez" });
    const user = fake.addUser({ id: "U0TWICE001", teamId: TEAM, locale: "es-ES" });
    const tmp = tempDir();
    const config = loadConfig({
      PORT: "0",
      DATABASE_PATH: join(tmp.dir, "licencias.db"),
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
    });
    const overrides = {
      logger: captureLogger().logger,
      slackClientOptions: { slackApiUrl: fake.apiUrl },
      slackProcessBeforeResponse: true,
    };
    const one = await startApp(config, overrides);
    const two = await startApp(config, overrides);
    try {
      const responseUrl = fake.responseUrl();
      const body = new URLSearchParams({
        team_id: TEAM,
        channel_id: "C0GENERAL1",
        user_id: user.id,
        command: "/licencias",
        text: "ayuda",
        response_url: responseUrl,
        trigger_id: `trig-${randomUUID()}`,
      }).toString();
      const headers = { "content-type": FORM, ...sign(SECRET, body) };
      const answers = await Promise.all(
        [one, two].map(async (a) => {
          const r = await fetch(`${a.url}/slack/events`, { method: "POST", headers, body });
          return { status: r.status, text: await r.text() };
        }),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
      // One answer in all: in the accepted command's HTTP response.
      expect(answers.filter((a) => a.text.includes(t("es", "help.title")))).toHaveLength(1);
      expect(fake.responsesTo(responseUrl)).toEqual([]);
    } finally {
      await one.stop();
      await two.stop();
      await fake.close();
      tmp.remove();
    }
  });
});
