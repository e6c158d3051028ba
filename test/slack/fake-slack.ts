import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { checkHome, checkMessage, checkModal } from "./block-kit.ts";

/**
 * A local stand-in for Slack's Web API and response URLs. It records every
 * call, answers like Slack, and refuses what Slack refuses (unknown block
 * types, missing required fields, limits): refusals are kept in `failures`.
 */

type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  teamId: string;
  name?: string;
  locale?: string;
  restricted?: boolean;
  ultraRestricted?: boolean;
  stranger?: boolean;
  enterpriseId?: string;
}

export interface FakeToken {
  teamId: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  enterpriseId?: string;
}

export interface OAuthGrant {
  teamId: string;
  teamName: string;
  token: string;
  installerId: string;
  enterpriseId?: string;
}

export interface ApiCall {
  method: string;
  token: string | undefined;
  args: Json;
}

export interface ResponsePost {
  id: string;
  body: Json;
  /** It came in the command's HTTP response, not as a post to the response_url. */
  acknowledgement?: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks: Json[];
  user?: string;
}

export interface StoredView {
  id: string;
  view: Json;
  user?: string;
  /** The view it was pushed onto (Slack's previous_view_id); none for a modal opened afresh. */
  previous?: string;
}

export interface FakeSlack {
  url: string;
  /** For clientOptions.slackApiUrl. */
  apiUrl: string;
  calls: ApiCall[];
  responses: ResponsePost[];
  failures: string[];
  messages: StoredMessage[];
  views: StoredView[];
  clientId: string;
  clientSecret: string;
  addUser(user: FakeUser): FakeUser;
  addToken(token: string, info: FakeToken): void;
  addOAuthCode(code: string, grant: OAuthGrant): void;
  /** A fresh response_url for a slash command or a click. */
  responseUrl(): string;
  /** A click in a view: the trigger it carries comes from that view (Slack's view stack). */
  triggerFrom(trigger: string, viewId: string): void;
  /** Posts made to one response_url (and a command's answer in its own HTTP response, as Slack shows it). */
  responsesTo(url: string): Json[];
  /** A slash command's answer that came in its HTTP response (the acknowledgement), checked like a post. */
  acknowledged(url: string, body: Json): void;
  callsTo(method: string): ApiCall[];
  /** The user's App Home as last published (views.publish), or undefined. */
  home(userId: string): Json | undefined;
  /** Resolves with the next App Home published for the user (views.publish happens off the response path). */
  nextHome(userId: string): Promise<Json>;
  /** Messages whose channel is a DM with the user. */
  dmsTo(userId: string): StoredMessage[];
  /** From now on, calls to a Web API method (or "response_url") get no answer at all, as a hung Slack would. */
  stall(method: string): void;
  /** The next `times` calls to a Web API method get HTTP 429 with Retry-After: 1, as Slack's rate limit does. */
  rateLimit(method: string, times: number): void;
  close(): Promise<void>;
}

function parseArgs(body: unknown): Json {
  const args: Json = {};
  if (body && typeof body === "object") {
    for (const [k, v] of Object.entries(body as Json)) {
      if (typeof v === "string" && (k === "blocks" || k === "view" || k === "attachments")) {
        try {
          args[k] = JSON.parse(v);
        } catch {
          args[k] = v;
        }
      } else {
        args[k] = v;
      }
    }
  }
  return args;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const users = new Map<string, FakeUser>();
  const tokens = new Map<string, FakeToken>();
  const codes = new Map<string, OAuthGrant>();
  const usedTriggers = new Set<string>();
  /** The view a click's trigger came from, as the simulator tells it (Slack knows it from the trigger). */
  const triggerViews = new Map<string, string>();
  const calls: ApiCall[] = [];
  const responses: ResponsePost[] = [];
  const failures: string[] = [];
  const messages: StoredMessage[] = [];
  const views: StoredView[] = [];
  const stalled = new Set<string>();
  const limited = new Map<string, number>();
  let seq = 0;
  let responseSeq = 0;
  const clientId = "111.222";
  const clientSecret = "fake-client-secret";

  const app = express();
  app.use(express.urlencoded({ extended: false, limit: "2mb" }));
  app.use(express.json({ limit: "2mb" }));

  const nextTs = () => `1700000000.${String(++seq).padStart(6, "0")}`;

  type Handler = (args: Json, auth: FakeToken | undefined, token: string | undefined) => Json;

  const fail = (method: string, error: string, detail?: string[]): Json => {
    failures.push(`${method}: ${error}${detail?.length ? ` ${detail.join("; ")}` : ""}`);
    return { ok: false, error, ...(detail ? { response_metadata: { messages: detail } } : {}) };
  };

  const checkMsg = (method: string, args: Json): Json | undefined => {
    const errors = checkMessage(args);
    if (errors.length > 0)
      return fail(method, errors.includes("message: no_text") ? "no_text" : "invalid_blocks", errors);
    return undefined;
  };

  const takeTrigger = (method: string, args: Json): Json | undefined => {
    const trigger = args.trigger_id;
    if (typeof trigger !== "string" || trigger === "")
      return fail(method, "invalid_arguments", ["trigger_id required"]);
    if (usedTriggers.has(trigger)) return fail(method, "expired_trigger_id");
    usedTriggers.add(trigger);
    return undefined;
  };

  const homes = new Map<string, Json>();
  const homeWaiters: ((user: string, view: Json) => void)[] = [];
  const storeView = (method: string, args: Json, id?: string): Json => {
    const errors = checkModal(args.view);
    if (errors.length > 0) return fail(method, "invalid_arguments", errors);
    const viewId = id ?? `V${String(++seq).padStart(8, "0")}`;
    const stored = { id: viewId, view: args.view as Json };
    const existing = views.findIndex((v) => v.id === viewId);
    // An update keeps the view's place in its modal's stack.
    if (existing >= 0)
      views[existing] = { ...stored, ...(views[existing]?.previous ? { previous: views[existing]?.previous } : {}) };
    else views.push(stored);
    return { ok: true, view: { id: viewId, ...(args.view as Json) } };
  };

  const methods: Record<string, Handler> = {
    "auth.test": (_a, auth) => ({
      ok: true,
      url: "https://fake.slack.test/",
      team: auth?.teamName ?? "Team",
      user: "bot",
      team_id: auth?.teamId,
      user_id: auth?.botUserId ?? "UBOT",
      bot_id: auth?.botId ?? "BBOT",
      ...(auth?.enterpriseId ? { enterprise_id: auth.enterpriseId } : {}),
      is_enterprise_install: false,
    }),
    "users.info": (args) => {
      const u = users.get(String(args.user));
      if (!u) return fail("users.info", "user_not_found");
      const external = u.stranger;
      return {
        ok: true,
        user: {
          id: u.id,
          team_id: u.teamId,
          name: u.name ?? u.id.toLowerCase(),
          real_name: u.name ?? u.id,
          deleted: false,
          is_bot: false,
          is_restricted: Boolean(u.restricted || u.ultraRestricted),
          is_ultra_restricted: Boolean(u.ultraRestricted),
          ...(external ? { is_stranger: true } : {}),
          // Slack gives no locale for external users, and only with include_locale.
          ...(args.include_locale === "true" && u.locale && !external ? { locale: u.locale } : {}),
          ...(u.enterpriseId
            ? { enterprise_user: { enterprise_id: u.enterpriseId, id: u.id, teams: [u.teamId] } }
            : {}),
          profile: { display_name: u.name ?? "", real_name: u.name ?? u.id },
        },
      };
    },
    "team.info": (args, auth) => {
      const id = typeof args.team === "string" && args.team ? args.team : auth?.teamId;
      const known = [...tokens.values()].find((t) => t.teamId === id);
      return { ok: true, team: { id, name: known?.teamName ?? `Team ${id}`, domain: String(id).toLowerCase() } };
    },
    "chat.postMessage": (args) => {
      if (typeof args.channel !== "string" || args.channel === "") return fail("chat.postMessage", "channel_not_found");
      const bad = checkMsg("chat.postMessage", args);
      if (bad) return bad;
      const ts = nextTs();
      const msg: StoredMessage = {
        channel: args.channel,
        ts,
        ...(typeof args.text === "string" ? { text: args.text } : {}),
        blocks: (args.blocks as Json[] | undefined) ?? [],
      };
      messages.push(msg);
      return { ok: true, channel: args.channel, ts, message: { ts, text: args.text, blocks: args.blocks } };
    },
    "chat.update": (args) => {
      const found = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
      if (!found) return fail("chat.update", "message_not_found");
      const bad = checkMsg("chat.update", args);
      if (bad) return bad;
      found.blocks = (args.blocks as Json[] | undefined) ?? [];
      if (typeof args.text === "string") found.text = args.text;
      return { ok: true, channel: found.channel, ts: found.ts };
    },
    "chat.postEphemeral": (args) => {
      if (typeof args.channel !== "string" || args.channel === "")
        return fail("chat.postEphemeral", "channel_not_found");
      if (typeof args.user !== "string" || args.user === "") return fail("chat.postEphemeral", "user_not_in_channel");
      const bad = checkMsg("chat.postEphemeral", args);
      if (bad) return bad;
      const ts = nextTs();
      messages.push({
        channel: args.channel,
        ts,
        user: args.user,
        blocks: (args.blocks as Json[] | undefined) ?? [],
        ...(typeof args.text === "string" ? { text: args.text } : {}),
      });
      return { ok: true, message_ts: ts };
    },
    "views.open": (args) => takeTrigger("views.open", args) ?? storeView("views.open", args),
    "views.push": (args) => {
      // Slack knows the view a trigger came from: a modal holds at most 3 views (push_limit_reached).
      const parent = triggerViews.get(String(args.trigger_id ?? ""));
      let depth = 1;
      for (let v = parent; v; v = views.find((x) => x.id === v)?.previous) depth++;
      if (parent && depth > 3) return fail("views.push", "push_limit_reached");
      const answer = takeTrigger("views.push", args) ?? storeView("views.push", args);
      const id = (answer.view as Json | undefined)?.id;
      const stored = views.find((v) => v.id === id);
      if (stored && parent) stored.previous = parent;
      return answer;
    },
    "views.publish": (args) => {
      const user = String(args.user_id ?? "");
      if (!users.has(user)) return fail("views.publish", "user_not_found");
      const errors = checkHome(args.view);
      if (errors.length > 0) return fail("views.publish", "invalid_arguments", errors);
      homes.set(user, args.view as Json);
      for (const waiter of homeWaiters.splice(0)) waiter(user, args.view as Json);
      return { ok: true, view: { id: `VHOME${user}`, ...(args.view as Json) } };
    },
    "views.update": (args) => {
      const id = String(args.view_id ?? "");
      if (!views.some((v) => v.id === id)) return fail("views.update", "not_found");
      return storeView("views.update", args, id);
    },
    "conversations.open": (args) => {
      const user = String(args.users ?? "");
      if (!user || user.includes(",")) return fail("conversations.open", "invalid_arguments", ["one user expected"]);
      if (!users.has(user)) return fail("conversations.open", "user_not_found");
      return { ok: true, channel: { id: `D${user}` } };
    },
    "oauth.v2.access": (args) => {
      if (args.client_id !== clientId || args.client_secret !== clientSecret) {
        return fail("oauth.v2.access", "invalid_client_id");
      }
      const grant = codes.get(String(args.code));
      if (!grant) return fail("oauth.v2.access", "invalid_code");
      codes.delete(String(args.code));
      tokens.set(grant.token, {
        teamId: grant.teamId,
        teamName: grant.teamName,
        botUserId: `UBOT${grant.teamId}`,
        botId: `BBOT${grant.teamId}`,
        ...(grant.enterpriseId ? { enterpriseId: grant.enterpriseId } : {}),
      });
      return {
        ok: true,
        app_id: "A0LICENCIAS",
        authed_user: { id: grant.installerId },
        scope: "commands,chat:write,chat:write.public,im:write,users:read,team:read",
        token_type: "bot",
        access_token: grant.token,
        bot_user_id: `UBOT${grant.teamId}`,
        team: { id: grant.teamId, name: grant.teamName },
        enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: "Org" } : null,
        is_enterprise_install: false,
      };
    },
  };

  app.post("/api/:method", (req, res) => {
    const method = String(req.params.method);
    const header = req.headers.authorization;
    const args = parseArgs(req.body);
    const token = header?.startsWith("Bearer ")
      ? header.slice(7)
      : typeof args.token === "string"
        ? args.token
        : undefined;
    calls.push({ method, token, args });
    if (stalled.has(method)) return;
    const left = limited.get(method) ?? 0;
    if (left > 0) {
      limited.set(method, left - 1);
      res.status(429).set("Retry-After", "1").json({ ok: false, error: "ratelimited" });
      return;
    }
    const handler = methods[method];
    if (!handler) {
      res.json(fail(method, "unknown_method"));
      return;
    }
    const auth = token ? tokens.get(token) : undefined;
    if (method !== "oauth.v2.access" && !auth) {
      res.json(fail(method, token ? "invalid_auth" : "not_authed"));
      return;
    }
    res.json(handler(args, auth, token));
  });

  app.post("/response/:id", (req, res) => {
    const body = (req.body ?? {}) as Json;
    const id = String(req.params.id);
    if (stalled.has("response_url")) return;
    const errors = body.delete_original ? [] : checkMessage(body);
    if (errors.length > 0) {
      failures.push(`response_url ${id}: ${errors.join("; ")}`);
      res.status(400).send("invalid_blocks");
      return;
    }
    responses.push({ id, body });
    res.send("ok");
  });

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    responses,
    failures,
    messages,
    views,
    clientId,
    clientSecret,
    addUser(user) {
      users.set(user.id, user);
      return user;
    },
    addToken(token, info) {
      tokens.set(token, info);
    },
    addOAuthCode(code, grant) {
      codes.set(code, grant);
    },
    responseUrl() {
      return `${url}/response/r${++responseSeq}`;
    },
    triggerFrom(trigger, viewId) {
      triggerViews.set(trigger, viewId);
    },
    acknowledged(responseUrl, body) {
      const id = responseUrl.slice(responseUrl.lastIndexOf("/") + 1);
      const errors = checkMessage(body);
      if (errors.length > 0) failures.push(`acknowledgement ${id}: ${errors.join("; ")}`);
      responses.push({ id, body, acknowledgement: true });
    },
    responsesTo(responseUrl) {
      const id = responseUrl.slice(responseUrl.lastIndexOf("/") + 1);
      return responses.filter((r) => r.id === id).map((r) => r.body);
    },
    callsTo(method) {
      return calls.filter((c) => c.method === method);
    },
    home(userId) {
      return homes.get(userId);
    },
    nextHome(userId) {
      return new Promise<Json>((resolve) => {
        const waiter = (user: string, view: Json) => {
          if (user === userId) resolve(view);
          else homeWaiters.push(waiter);
        };
        homeWaiters.push(waiter);
      });
    },
    dmsTo(userId) {
      return messages.filter((m) => m.channel === `D${userId}`);
    },
    stall(method) {
      stalled.add(method);
    },
    rateLimit(method, times) {
      limited.set(method, times);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
