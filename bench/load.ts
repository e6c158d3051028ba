/**
 * A small load generator on node:http keep-alive connections (a fixed
 * number of requests in flight), and the outside world the servers talk to:
 * Slack's Web API, the response_urls, and a Bot Framework connector.
 */
import { createHmac } from "node:crypto";
import { Agent, createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WORKSPACES } from "./seed.ts";

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface Answer {
  status: number;
  body: string;
}

/** One HTTP request on a kept-alive connection. */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const req = request(
      url,
      {
        method: init.method ?? "POST",
        agent,
        headers: { ...init.headers, ...(body ? { "content-length": String(body.length) } : { "content-length": "0" }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export interface Throughput {
  /** Completed operations per second. */
  rps: number;
  p50: number;
  p99: number;
  count: number;
  errors: number;
  /** The first error's message, when there was one. */
  firstError?: string;
}

/**
 * Runs `op` with `concurrency` in flight for `durationMs` after a warm-up,
 * counting only what starts after the warm-up. The warm-up lasts
 * `warmupMs` and until every worker has completed one op, so a slow first
 * wave (a cold app, a slower storage) never eats into the measured window.
 * An op that throws counts as an error (and its time is not recorded).
 */
export async function drive(
  op: (i: number) => Promise<unknown>,
  options: { concurrency: number; durationMs: number; warmupMs: number },
): Promise<Throughput> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let seq = 0;
  const started = performance.now();
  let end = started + options.warmupMs + options.durationMs;
  let warming = options.concurrency;
  let warmed: () => void = () => {};
  const allWarm = new Promise<void>((resolve) => {
    warmed = resolve;
  });
  const attempt = async (measured: boolean) => {
    const t0 = performance.now();
    try {
      await op(seq++);
      if (measured) latencies.push(performance.now() - t0);
    } catch (err) {
      if (measured) errors++;
      firstError ??= err instanceof Error ? err.message : String(err);
    }
  };
  const worker = async () => {
    if (options.warmupMs > 0) {
      do await attempt(false);
      while (performance.now() - started < options.warmupMs);
      if (--warming === 0) {
        end = performance.now() + options.durationMs;
        warmed();
      }
      await allWarm;
    }
    while (performance.now() < end) await attempt(true);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    rps: latencies.length / (options.durationMs / 1000),
    p50: at(0.5),
    p99: at(0.99),
    count: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

export const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
export const BENCH_USERS = 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Slack's Web API (the few methods a command needs), the response_urls of
 * the commands, and a Bot Framework connector that accepts every reply.
 */
export class Outside {
  private server: Server | undefined;
  url = "";
  private readonly waiting = new Map<string, () => void>();
  private seq = 0;
  /** The body of the last post to a response_url. */
  lastAnswer = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const path = req.url ?? "/";
        const json = (status: number, value: unknown) => {
          const text = JSON.stringify(value);
          res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          res.end(text);
        };
        if (path.startsWith("/respond/")) {
          this.lastAnswer = body;
          const id = path.slice("/respond/".length);
          this.waiting.get(id)?.();
          this.waiting.delete(id);
          res.writeHead(200, { "content-type": "text/plain", "content-length": 2 });
          res.end("ok");
          return;
        }
        if (path.startsWith("/api/")) {
          const method = path.slice("/api/".length).split("?")[0];
          const params = new URLSearchParams(body);
          switch (method) {
            case "auth.test":
              return json(200, {
                ok: true,
                user_id: "U0BOTUSER1",
                bot_id: "B0BOT00001",
                team_id: WORKSPACES.slack,
                team: WORKSPACES.slackName,
              });
            case "users.info": {
              const id = params.get("user") ?? "U0UNKNOWN1";
              return json(200, {
                ok: true,
                user: { id, team_id: WORKSPACES.slack, name: id, real_name: id, locale: "es-ES", profile: {} },
              });
            }
            case "team.info":
              return json(200, { ok: true, team: { id: WORKSPACES.slack, name: WORKSPACES.slackName } });
            default:
              return json(200, { ok: true, channel: { id: "D0DIRECT01" }, ts: "1700000000.000100" });
          }
        }
        if (path.startsWith("/v3/")) {
          // The Teams connector: every reply is accepted; members are ordinary users of the tenant.
          const member = /\/members\/([^/?]+)/.exec(path)?.[1];
          if (req.method === "GET" && member) {
            return json(200, {
              id: decodeURIComponent(member),
              name: "Usuario",
              aadObjectId: "aad-bench-0000-0000-000000000000",
              tenantId: WORKSPACES.teams,
              userRole: "user",
              userPrincipalName: "usuario@example.com",
            });
          }
          return json(req.method === "PUT" ? 200 : 201, { id: `act-${++this.seq}` });
        }
        json(404, { ok: false, error: "unknown_method" });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A fresh response_url and the promise of its first post. */
  responseUrl(timeoutMs = 10_000): { url: string; answered: Promise<void> } {
    const id = String(++this.seq);
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error("no answer on the response_url"));
      }, timeoutMs);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { url: `${this.url}/respond/${id}`, answered };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

/**
 * `/licencias <text>` as Slack sends it, signed, to `appUrl`; done when the
 * answer is in: the HTTP response itself (an answer in the acknowledgement)
 * or the first post to the command's response_url.
 */
export async function slashCommand(outside: Outside, appUrl: string, text: string, user: number): Promise<string> {
  const { url, answered } = outside.responseUrl();
  // Awaited below, or not at all when the command fails first: never an unhandled rejection.
  answered.catch(() => undefined);
  const body = new URLSearchParams({
    token: "legacy-verification-token",
    team_id: WORKSPACES.slack,
    team_domain: "bench",
    channel_id: "C0GENERAL1",
    channel_name: "general",
    user_id: `U0BENCH${String(user % BENCH_USERS).padStart(3, "0")}`,
    user_name: "asesor",
    command: "/licencias",
    text,
    api_app_id: "A0LICENCIAS",
    is_enterprise_install: "false",
    response_url: url,
    trigger_id: `trig-${url.slice(-12)}-${Math.random().toString(36).slice(2)}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  const res = await send(`${appUrl}/slack/events`, {
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-signature": signature,
      "x-slack-request-timestamp": String(ts),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`Slack command answered ${res.status}`);
  // Answered in the acknowledgement: nothing more will come (or it does not matter).
  if (res.body.trim().startsWith("{")) return res.body;
  await answered;
  return outside.lastAnswer;
}

/** The client app's validation with an installation token; anything but VALID is an error. */
export async function validation(appUrl: string, token: string): Promise<void> {
  const res = await send(`${appUrl}/api/v1/validations`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body.includes('"VALID"')) throw new Error(`validation answered ${res.status}`);
}

let teamsSeq = 0;
/** A Teams message in a personal chat, in local emulator mode; done when the app answers the HTTP request. */
export async function teamsMessage(outside: Outside, appUrl: string, text: string, user: number): Promise<void> {
  const id = `29:bench-user-${user % BENCH_USERS}`;
  const activity = {
    type: "message",
    text,
    channelId: "msteams",
    serviceUrl: `${outside.url}/`,
    id: `in-${++teamsSeq}`,
    timestamp: new Date().toISOString(),
    locale: "es-ES",
    from: { id, name: "Usuario", aadObjectId: "aad-bench-0000-0000-000000000000" },
    recipient: { id: "28:bot-licencias", name: "Licencias PYMES" },
    conversation: { id: `a:personal-${id}`, conversationType: "personal", isGroup: false, tenantId: WORKSPACES.teams },
    channelData: { tenant: { id: WORKSPACES.teams } },
  };
  const res = await send(`${appUrl}/api/messages`, {
    headers: { "content-type": "application/json" },
    body: JSON.stringify(activity),
  });
  if (res.status >= 300) throw new Error(`Teams message answered ${res.status}`);
}
