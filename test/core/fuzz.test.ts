import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND } from "../../src/bot/slack/ids.ts";
import { activeFirm, boundLicence } from "../api/helpers.ts";
import { type FakeSlack, startFakeSlack } from "../slack/fake-slack.ts";
import { ACTION, VIEW } from "../slack/ids.ts";
import { SECRET, TEAM, TOKEN } from "../slack/setup.ts";
import { sign } from "../slack/slack-sim.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { fuzzSeed, prng } from "../support/fuzz.ts";
import { FakeConnector } from "../teams/fake-connector.ts";

/**
 * A bounded, seeded fuzzer over the three surfaces (Slack, Teams, the client
 * API): well-formed requests mutated at random, signed where the surface
 * needs it. No answer may be a 5xx, hang, or show a stack trace or an
 * internal path. FUZZ_SEED=<n> reproduces a run; the seed is printed.
 */

const SEED = fuzzSeed();
const PER_SURFACE = Number(process.env.FUZZ_CASES ?? 1000);
const IN_FLIGHT = 8;
const ANSWER_MS = 8_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A value of any shape: what a hostile client might put anywhere. */
  value(depth = 0): Json {
    const kinds = depth > 2 ? 9 : 12;
    switch (this.int(kinds)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1]);
      case 3:
        return "";
      case 4:
        return "x".repeat(this.pick([1, 300, 3_001, 40_000]));
      case 5:
        return this.pick(["<script>alert(1)</script>", "*bold* <!channel>", "\u0000\u202e\ud800", "__proto__", "{}"]);
      case 6:
        return this.pick(["B12345674", "12345678Z", "ABCDE-FGHJK-MNPQR-STVWX", "a@b.es", "constructor"]);
      case 7:
        return String.fromCharCode(...Array.from({ length: 1 + this.int(20) }, () => this.int(0x3000)));
      case 8:
        return this.pick(["lista", "nuevo", "cliente", "enviar", "eliminar x", "historial", "revocar T1", "ayuda"]);
      case 9:
        return [];
      case 10:
        return Array.from({ length: 1 + this.int(3) }, () => this.value(depth + 1));
      default: {
        const o: Record<string, Json> = {};
        for (let i = this.int(4); i > 0; i--)
          o[this.pick(["type", "id", "value", "data", "text", "x"])] = this.value(depth + 1);
        return o;
      }
    }
  }
  /** A copy of a well-formed value with one to four parts replaced, removed or retyped. */
  mutate(template: Json): Json {
    let out: Json = structuredClone(template);
    for (let n = 1 + this.int(4); n > 0; n--) out = this.mutateOnce(out, 0);
    return out;
  }
  private mutateOnce(v: Json, depth: number): Json {
    const container = v !== null && typeof v === "object";
    if (!container || depth > 6 || this.chance(0.2)) return this.value();
    if (Array.isArray(v)) {
      if (v.length === 0 || this.chance(0.2)) return this.chance(0.5) ? [] : [...v, this.value()];
      const i = this.int(v.length);
      v[i] = this.mutateOnce(v[i] as Json, depth + 1);
      return v;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return this.value();
    const key = this.pick(keys);
    if (this.chance(0.25)) delete v[key];
    else v[key] = this.mutateOnce(v[key] as Json, depth + 1);
    return v;
  }
}

interface Probe {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** What an answer must never show. */
const LEAKS = [/\n\s+at\s/, /node_modules/, /\.ts:\d+/, /\/src\//, /\b(TypeError|ReferenceError|SyntaxError)\b/];

interface Outcome {
  status: number;
  text: string;
  ms: number;
}

async function send(base: string, probe: Probe): Promise<Outcome> {
  const start = performance.now();
  const res = await fetch(`${base}${probe.path}`, {
    method: "POST",
    headers: probe.headers,
    body: probe.body,
    signal: AbortSignal.timeout(ANSWER_MS),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - start };
}

/** Runs probes a few at a time and returns the ones that failed, with why. */
async function run(base: string, probes: Probe[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const i = next++;
      const probe = probes[i] as Probe;
      let outcome: Outcome;
      try {
        outcome = await send(base, probe);
      } catch (err) {
        failures.push(`#${i} ${probe.path}: no answer (${(err as Error).name}) for ${probe.body.slice(0, 300)}`);
        continue;
      }
      if (outcome.status >= 500) {
        failures.push(`#${i} ${probe.path}: ${outcome.status} for ${probe.body.slice(0, 300)}`);
      }
      const leak = LEAKS.find((re) => re.test(outcome.text));
      if (leak) failures.push(`#${i} ${probe.path}: answer shows ${leak} for ${probe.body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return failures;
}

let app: TestApp;
let fake: FakeSlack;
let connector: FakeConnector;
let token: string;
let licence: { number: string; taxId: string; installationId: string };

beforeAll(async () => {
  console.log(`fuzz seed: ${SEED} (FUZZ_SEED=${SEED} reproduces this run)`);
  fake = await startFakeSlack();
  fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Fuzz", botUserId: "UBOT", botId: "BBOT" });
  fake.addUser({ id: "UFUZZ01", teamId: TEAM, name: "fuzz", locale: "es-ES" });
  connector = await new FakeConnector().start();
  app = await startTestApp(
    {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01",
      LOG_LEVEL: "warn",
    },
    { slackClientOptions: { slackApiUrl: fake.apiUrl } },
  );
  const firm = await activeFirm(app.deps);
  const bound = await boundLicence(app, firm);
  token = bound.token;
  licence = { number: bound.licence.number, taxId: bound.licence.client.taxId, installationId: bound.installationId };
});

afterAll(async () => {
  await app?.dispose();
  await fake?.close();
  await connector?.stop();
});

function slackProbes(g: Gen): Probe[] {
  const user = { id: "UFUZZ01", username: "fuzz", name: "fuzz", team_id: TEAM };
  const team = { id: TEAM, domain: "fuzz" };
  const actionTemplate = (): Json => ({
    type: "block_actions",
    user,
    team,
    api_app_id: "AFUZZ",
    token: "legacy",
    trigger_id: "1.2.3",
    response_url: fake.responseUrl(),
    container: { type: "message", message_ts: "1700000000.000100", channel_id: "DFUZZ", is_ephemeral: true },
    channel: { id: "DFUZZ", name: "directmessage" },
    actions: [
      {
        type: "button",
        action_id: g.pick(Object.values(ACTION)),
        block_id: "b1",
        value: g.pick(["1", "{}", '{"licenceId":1}', "x", ""]),
        action_ts: "1700000000.1",
      },
    ],
  });
  const viewTemplate = (): Json => ({
    type: "view_submission",
    user,
    team,
    api_app_id: "AFUZZ",
    trigger_id: "1.2.3",
    view: {
      id: "VFUZZ",
      type: "modal",
      callback_id: g.pick(Object.values(VIEW)),
      private_metadata: g.pick(["", "{}", '{"channel":"DFUZZ"}', "not json"]),
      blocks: [],
      state: { values: { taxId: { value: { type: "plain_text_input", value: "B12345674" } } } },
      hash: "h",
    },
  });
  const eventTemplate = (): Json => ({
    type: "event_callback",
    team_id: TEAM,
    api_app_id: "AFUZZ",
    event: { type: g.pick(["app_uninstalled", "tokens_revoked", "app_home_opened", "message"]), user: "UFUZZ01" },
    event_id: `Ev${g.int(1e9)}`,
    event_time: 1700000000,
  });
  const probes: Probe[] = [];
  for (let i = 0; i < PER_SURFACE; i++) {
    let body: string;
    let contentType = "application/x-www-form-urlencoded";
    const kind = g.int(5);
    if (kind === 0) {
      const form: Record<string, string> = {
        token: "legacy",
        team_id: TEAM,
        team_domain: "fuzz",
        channel_id: "DFUZZ",
        user_id: "UFUZZ01",
        command: COMMAND,
        text: String(g.value()),
        response_url: fake.responseUrl(),
        trigger_id: "1.2.3",
        api_app_id: "AFUZZ",
      };
      for (const k of Object.keys(form)) if (g.chance(0.15)) delete form[k];
      if (g.chance(0.2)) form[g.pick(Object.keys(form).concat("extra"))] = JSON.stringify(g.value());
      body = new URLSearchParams(form).toString();
    } else if (kind === 3) {
      contentType = "application/json";
      body = JSON.stringify(g.chance(0.1) ? g.value() : g.mutate(eventTemplate()));
    } else if (kind === 4 && g.chance(0.5)) {
      body = g.pick(["payload=", "payload=null", "payload=%7B", "payload=[]", "payload=%22x%22", "a=b", "", "%%%"]);
    } else {
      const template = kind === 1 ? actionTemplate() : viewTemplate();
      body = new URLSearchParams({ payload: JSON.stringify(g.mutate(template)) }).toString();
    }
    probes.push({ path: "/slack/events", body, headers: { "content-type": contentType, ...sign(SECRET, body) } });
  }
  return probes;
}

function teamsProbes(g: Gen): Probe[] {
  const tenant = "fuzz-tenant";
  const base = (): Record<string, Json> => ({
    channelId: "msteams",
    serviceUrl: connector.url,
    id: `in-${g.int(1e9)}`,
    timestamp: new Date().toISOString(),
    locale: g.pick(["es-ES", "en-US"]),
    from: { id: "29:fuzz", name: "Fuzz", aadObjectId: "aad-fuzz" },
    recipient: { id: "28:bot", name: "Licencias PYMES" },
    conversation: { id: "a:personal-fuzz", conversationType: "personal", tenantId: tenant },
    channelData: { tenant: { id: tenant } },
  });
  const templates: (() => Json)[] = [
    () => ({ ...base(), type: "message", text: String(g.value()) }),
    () => ({
      ...base(),
      type: "invoke",
      name: "adaptiveCard/action",
      value: {
        action: { type: "Action.Execute", verb: g.pick(["licence", "support", "x"]), data: {} },
        trigger: "manual",
      },
    }),
    () => ({ ...base(), type: "invoke", name: g.pick(["task/fetch", "task/submit"]), value: { data: { kind: "x" } } }),
    () => ({ ...base(), type: "conversationUpdate", membersAdded: [{ id: "28:bot" }] }),
    () => ({ ...base(), type: "installationUpdate", action: "add" }),
  ];
  const probes: Probe[] = [];
  for (let i = 0; i < PER_SURFACE; i++) {
    const value = g.chance(0.05) ? g.value() : g.mutate(g.pick(templates)());
    probes.push({
      path: "/api/messages",
      body: JSON.stringify(value),
      headers: { "content-type": "application/json" },
    });
  }
  return probes;
}

function apiProbes(g: Gen): Probe[] {
  const templates: [string, () => Json][] = [
    [
      "/api/v1/activations",
      () => ({ licenceNumber: licence.number, taxId: licence.taxId, installationId: licence.installationId }),
    ],
    ["/api/v1/validations", () => ({})],
    [
      "/api/v1/notifications",
      () => ({
        notifications: [
          { id: "N1", organismo: "AEAT", asunto: "x", fechaPuestaDisposicion: "01/11/2026", estado: "Leída" },
        ],
      }),
    ],
  ];
  const probes: Probe[] = [];
  for (let i = 0; i < PER_SURFACE; i++) {
    const [path, template] = g.pick(templates);
    const headers: Record<string, string> = { "content-type": g.chance(0.9) ? "application/json" : "text/plain" };
    // Header values are bytes: fetch refuses characters outside Latin-1 before sending anything.
    const garbage = String(g.value()).replace(/[^\x20-\x7e]/g, "?");
    if (g.chance(0.7)) headers.authorization = g.chance(0.5) ? `Bearer ${token}` : `Bearer ${garbage}`;
    const body = g.chance(0.05)
      ? g.pick(["{", "[", "null", '"x"', "", "\u0000"])
      : JSON.stringify(g.mutate(template()));
    probes.push({ path, body, headers });
  }
  return probes;
}

describe(`fuzzing the three surfaces (seed ${SEED})`, () => {
  it("Slack: signed but malformed requests never get a 5xx, a hang or a stack trace", async () => {
    const failures = await run(app.url, slackProbes(new Gen(prng(SEED))));
    expect(failures.slice(0, 10)).toEqual([]);
  }, 120_000);

  it("Teams: malformed activities never get a 5xx, a hang or a stack trace", async () => {
    const failures = await run(app.url, teamsProbes(new Gen(prng(SEED + 1))));
    expect(failures.slice(0, 10)).toEqual([]);
  }, 120_000);

  it("client API: malformed bodies and tokens never get a 5xx, a hang or a stack trace", async () => {
    const failures = await run(app.url, apiProbes(new Gen(prng(SEED + 2))));
    expect(failures.slice(0, 10)).toEqual([]);
  }, 120_000);

  it("the server is still healthy afterwards", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
