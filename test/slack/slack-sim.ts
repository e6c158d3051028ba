import { createHmac, randomUUID } from "node:crypto";
import { checkModal } from "./block-kit.ts";
import type { FakeSlack, FakeUser } from "./fake-slack.ts";
import { ACTION, VIEW } from "./ids.ts";

/**
 * Plays Slack's side against the app: signed slash commands, clicks and form
 * submissions over HTTP to /slack/events, exactly as Slack sends them.
 */

type Json = Record<string, unknown>;

export interface Button {
  type: "button";
  action_id: string;
  value?: string;
  text: { text: string };
  confirm?: Json;
  /** A link button's address. */
  url?: string;
}

/** Where a button was clicked: a message (its response_url and channel) or a modal. */
export type Origin =
  | { kind: "message"; channel: string; responseUrl: string; ephemeral?: boolean; ts?: string }
  | { kind: "view"; viewId: string }
  /** The user's App Home tab, as the fake Slack last had it published. */
  | { kind: "home" };

export function sign(secret: string, body: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return { "x-slack-signature": sig, "x-slack-request-timestamp": String(ts) };
}

/** Every button of a list of blocks, with the block it is in. */
export function buttons(blocks: unknown): (Button & { block_id: string })[] {
  const out: (Button & { block_id: string })[] = [];
  if (!Array.isArray(blocks)) return out;
  for (const b of blocks as Json[]) {
    const els = b.type === "actions" ? (b.elements as Json[]) : b.accessory ? [b.accessory as Json] : [];
    for (const e of els) {
      if (e.type !== "button") continue;
      out.push({
        type: "button",
        action_id: String(e.action_id),
        ...(typeof e.value === "string" ? { value: e.value } : {}),
        text: { text: String((e.text as Json | undefined)?.text ?? "") },
        ...(e.confirm ? { confirm: e.confirm as Json } : {}),
        ...(typeof e.url === "string" ? { url: e.url } : {}),
        block_id: String(b.block_id ?? ""),
      });
    }
  }
  return out;
}

/** Whether a button carries this value: as its value, or (a call's arguments as JSON) as one of them (a licence id). */
function carries(b: Button, value: string): boolean {
  if (b.value === value) return true;
  try {
    const parsed: unknown = JSON.parse(b.value ?? "");
    return (
      Boolean(parsed) &&
      typeof parsed === "object" &&
      Object.values(parsed as Json)
        .map(String)
        .includes(value)
    );
  } catch {
    return false;
  }
}

/** The first button with this action_id (or a second one of its block: `<id>:<n>`), carrying `value` when given. */
export function findButton(blocks: unknown, actionId: string, value?: string): Button & { block_id: string } {
  const found = buttons(blocks).find(
    (b) =>
      (b.action_id === actionId || b.action_id.startsWith(`${actionId}:`)) &&
      (value === undefined || carries(b, value)),
  );
  if (!found) throw new Error(`no button ${actionId}${value ? `=${value}` : ""} in ${JSON.stringify(blocks)}`);
  return found;
}

/** All the text of a list of blocks, to assert on what a person would read. */
export function blockText(blocks: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Json;
      if (typeof o.text === "string") parts.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== "text" || typeof x !== "string") walk(x);
    }
  };
  walk(blocks);
  return parts.join("\n");
}

/**
 * The ts of the message answered through a response_url: each answer is its
 * own message (a double click on it repeats the same ts; another message has
 * another ts), and replacing it keeps its ts, as in Slack.
 */
function messageTs(responseUrl: string): string {
  const n = /(\d+)$/.exec(responseUrl)?.[1] ?? "1";
  return `1700000000.${n.padStart(6, "0")}`;
}

export class SlackSim {
  constructor(
    readonly appUrl: string,
    readonly secret: string,
    readonly fake: FakeSlack,
    readonly opts: { enterpriseId?: string } = {},
  ) {}

  /** Posts a body to /slack/events, signed (or not) as told. */
  async post(
    body: string,
    contentType: string,
    options: { secret?: string; timestamp?: number; unsigned?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { "content-type": contentType };
    if (!options.unsigned) Object.assign(headers, sign(options.secret ?? this.secret, body, options.timestamp));
    return fetch(`${this.appUrl}/slack/events`, { method: "POST", headers, body });
  }

  private async form(fields: Record<string, string>, options?: { secret?: string; timestamp?: number }) {
    const res = await this.post(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded", options);
    const text = await res.text();
    return { status: res.status, text, json: text.startsWith("{") ? (JSON.parse(text) as Json) : undefined };
  }

  /** `/licencias <text>` typed by a user in a channel; returns the response_url to read the answers from. */
  async command(
    user: FakeUser,
    text: string,
    channel = "C0GENERAL1",
    options?: { secret?: string; timestamp?: number },
  ): Promise<{ status: number; responseUrl: string; trigger: string; acknowledgement: Json | undefined }> {
    const responseUrl = this.fake.responseUrl();
    const trigger = `trig-${randomUUID()}`;
    const res = await this.form(
      {
        token: "legacy-verification-token",
        team_id: user.teamId,
        team_domain: user.teamId.toLowerCase(),
        ...(this.opts.enterpriseId ? { enterprise_id: this.opts.enterpriseId, enterprise_name: "Org" } : {}),
        channel_id: channel,
        channel_name: "general",
        user_id: user.id,
        user_name: user.name ?? user.id,
        command: "/licencias",
        text,
        api_app_id: "A0LICENCIAS",
        is_enterprise_install: "false",
        response_url: responseUrl,
        trigger_id: trigger,
      },
      options,
    );
    // Slack shows an acknowledgement's message as it shows a post to the response_url.
    if (res.json && (res.json.blocks !== undefined || res.json.text !== undefined))
      this.fake.acknowledged(responseUrl, res.json);
    return { status: res.status, responseUrl, trigger, acknowledgement: res.json };
  }

  /** The last answer posted to a response_url. */
  lastAnswer(responseUrl: string): Json {
    const all = this.fake.responsesTo(responseUrl);
    const last = all[all.length - 1];
    if (!last) throw new Error(`nothing was posted to ${responseUrl}`);
    return last;
  }

  /** "nuevo" (or another word), then "Sí": the activation request form the user now sees. */
  async openActivationForm(user: FakeUser, word = "nuevo"): Promise<{ id: string; view: Json }> {
    const cmd = await this.command(user, word);
    await this.click(user, findButton(this.lastAnswer(cmd.responseUrl).blocks, ACTION.activationYes), {
      kind: "message",
      channel: "C0GENERAL1",
      responseUrl: cmd.responseUrl,
    });
    return this.lastView(VIEW.activationRequest);
  }

  /** A click on a button; returns the response_url of the click (for answers to it). */
  async click(
    user: FakeUser,
    button: Button & { block_id?: string },
    origin: Origin,
    options?: { secret?: string; timestamp?: number; teamId?: string },
  ): Promise<{ status: number; responseUrl: string }> {
    const responseUrl = this.fake.responseUrl();
    const teamId = options?.teamId ?? user.teamId;
    const view = origin.kind === "view" ? this.fake.views.find((v) => v.id === origin.viewId) : undefined;
    const trigger = `trig-${randomUUID()}`;
    if (origin.kind === "view") this.fake.triggerFrom(trigger, origin.viewId);
    const payload: Json = {
      type: "block_actions",
      team: { id: teamId, domain: teamId.toLowerCase() },
      user: { id: user.id, username: user.name ?? user.id, name: user.name ?? user.id, team_id: user.teamId },
      api_app_id: "A0LICENCIAS",
      token: "legacy-verification-token",
      trigger_id: trigger,
      is_enterprise_install: false,
      enterprise: this.opts.enterpriseId ? { id: this.opts.enterpriseId, name: "Org" } : null,
      actions: [
        {
          type: "button",
          action_id: button.action_id,
          block_id: button.block_id ?? "b",
          text: { type: "plain_text", text: button.text.text },
          ...(button.value !== undefined ? { value: button.value } : {}),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
      ...(origin.kind === "message"
        ? {
            container: {
              type: "message",
              message_ts: origin.ts ?? messageTs(origin.responseUrl),
              channel_id: origin.channel,
              is_ephemeral: origin.ephemeral ?? true,
            },
            channel: { id: origin.channel, name: "channel" },
            response_url: origin.responseUrl,
          }
        : origin.kind === "home"
          ? {
              container: { type: "view", view_id: `VHOME${user.id}` },
              view: {
                id: `VHOME${user.id}`,
                team_id: teamId,
                type: "home",
                private_metadata: "",
                callback_id: "",
                state: { values: {} },
                hash: "h",
                blocks: (this.fake.home(user.id)?.blocks as Json[] | undefined) ?? [],
                app_installed_team_id: teamId,
              },
            }
          : {
              container: { type: "view", view_id: origin.viewId },
              view: {
                id: origin.viewId,
                team_id: teamId,
                type: "modal",
                callback_id: view?.view.callback_id ?? "",
                private_metadata: view?.view.private_metadata ?? "",
                state: { values: {} },
                hash: "h",
                previous_view_id: view?.previous ?? null,
                blocks: view?.view.blocks ?? [],
                app_installed_team_id: teamId,
              },
            }),
    };
    const res = await this.form({ payload: JSON.stringify(payload) }, options);
    if (res.status !== 200) return { status: res.status, responseUrl };
    return { status: res.status, responseUrl: origin.kind === "message" ? origin.responseUrl : responseUrl };
  }

  /**
   * Submits a modal with values by block id (a string for a text input, an
   * array of option values for checkboxes). Returns the app's answer; an
   * answer that is a view is checked against Slack's rules.
   */
  async submit(
    user: FakeUser,
    viewId: string,
    values: Record<string, string | string[] | null>,
    options?: { secret?: string; timestamp?: number },
  ): Promise<{ status: number; body: Json | undefined }> {
    const stored = this.fake.views.find((v) => v.id === viewId);
    if (!stored) throw new Error(`no view ${viewId}`);
    const state: Record<string, Record<string, Json>> = {};
    // Like Slack, an input left as the form showed it is sent with its initial value.
    const initial: Record<string, string> = {};
    for (const b of (stored.view.blocks ?? []) as Json[]) {
      const element = b.element as Json | undefined;
      if (b.type === "input" && typeof b.block_id === "string" && typeof element?.initial_value === "string") {
        initial[b.block_id] = element.initial_value;
      }
    }
    for (const [blockId, value] of Object.entries({ ...initial, ...values })) {
      state[blockId] = {
        value: Array.isArray(value)
          ? {
              type: "checkboxes",
              selected_options: value.map((v) => ({ value: v, text: { type: "plain_text", text: v } })),
            }
          : { type: "plain_text_input", value },
      };
    }
    const payload: Json = {
      type: "view_submission",
      team: { id: user.teamId, domain: user.teamId.toLowerCase() },
      user: { id: user.id, username: user.name ?? user.id, name: user.name ?? user.id, team_id: user.teamId },
      api_app_id: "A0LICENCIAS",
      token: "legacy-verification-token",
      trigger_id: `trig-${randomUUID()}`,
      is_enterprise_install: false,
      enterprise: this.opts.enterpriseId ? { id: this.opts.enterpriseId, name: "Org" } : null,
      view: {
        id: viewId,
        team_id: user.teamId,
        type: "modal",
        callback_id: stored.view.callback_id,
        private_metadata: stored.view.private_metadata ?? "",
        blocks: stored.view.blocks,
        state: { values: state },
        hash: "h",
        title: stored.view.title,
        app_installed_team_id: user.teamId,
      },
      response_urls: [],
    };
    const res = await this.form({ payload: JSON.stringify(payload) }, options);
    const body = res.json;
    if (body && (body.response_action === "update" || body.response_action === "push")) {
      const errors = checkModal(body.view);
      if (errors.length > 0) throw new Error(`Slack would refuse the view: ${errors.join("; ")}`);
      // Slack now shows that view in place of the submitted one (update) or on top of it (push).
      if (body.response_action === "update") stored.view = body.view as Json;
      else this.fake.views.push({ id: `${viewId}P${this.fake.views.length}`, view: body.view as Json });
    }
    return { status: res.status, body };
  }

  /** An Events API callback (app_uninstalled, tokens_revoked…). */
  async event(teamId: string, event: Json, options?: { secret?: string }): Promise<number> {
    const body = JSON.stringify({
      token: "legacy-verification-token",
      team_id: teamId,
      api_app_id: "A0LICENCIAS",
      type: "event_callback",
      event_id: `Ev${randomUUID().slice(0, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
      authorizations: [
        { enterprise_id: null, team_id: teamId, user_id: `UBOT${teamId}`, is_bot: true, is_enterprise_install: false },
      ],
    });
    const res = await this.post(body, "application/json", options);
    await res.text();
    return res.status;
  }

  /** The modal stored under an id (after any update). */
  view(id: string): Json {
    const found = this.fake.views.find((v) => v.id === id);
    if (!found) throw new Error(`no view ${id}`);
    return found.view;
  }

  /** The modal Slack shows now for a view id (after updates), or the last opened one. */
  lastView(callbackId?: string): { id: string; view: Json } {
    const all = this.fake.views.filter((v) => callbackId === undefined || v.view.callback_id === callbackId);
    const last = all[all.length - 1];
    if (!last) throw new Error(`no view ${callbackId ?? ""} was opened`);
    return last;
  }
}
