import { expect } from "vitest";
import type { Actor, Deps, WatchSender } from "../../src/handlers/index.ts";
import { type FakeSlack, type FakeUser, startFakeSlack } from "../slack/fake-slack.ts";
import { buttons, type Origin, SlackSim } from "../slack/slack-sim.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import type { Driver, Person, Seen, Tone, Where } from "./driver.ts";

/**
 * The contract driver for Slack: the app installed by OAuth in one workspace
 * per firm (and the vendor's, with the support channel), driven with signed
 * slash commands, block_actions and view_submissions.
 */

type Json = Record<string, unknown>;

const SECRET = "contract-signing-secret";
const VENDOR = "T0VENDOR99";
const SUPPORT_CHANNEL = "CSUPPORT99";
/** Where advisors type /licencias: any channel of their workspace (answers are ephemeral). */
const GENERAL = "C0GENERAL1";
/** A channel of the firm where `avisos` is typed. */
const ALERTS = "C0AVISOS01";

interface SlackPerson extends Person {
  user: FakeUser;
}

/** What a Seen was taken from, to press its buttons and submit it. */
interface Ref {
  origin: Origin;
  blocks: Json[];
}

/** Undoes Slack's three mrkdwn entities, as the client shows them. */
function readable(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** What a person reads of mrkdwn: `<url|label>` shows the label; `*bold*` and `code` lose their marks. */
function readMrkdwn(text: string): string {
  return text.replace(/<([^|>]+)\|([^>]+)>/g, "$2").replace(/[*`]/g, "");
}

/** The texts a person reads in blocks, in order; buttons and confirm dialogs apart. */
function visibleTexts(blocks: Json[]): string[] {
  const out: string[] = [];
  const t = (o: unknown) => {
    const obj = o as Json | undefined;
    if (typeof obj?.text !== "string") return;
    // mrkdwn holds only the app's own texts: its markup (bold, code, links) is not read as text.
    out.push(obj.type === "mrkdwn" ? readable(readMrkdwn(obj.text)) : obj.text);
  };
  for (const b of blocks) {
    switch (b.type) {
      case "header":
      case "section":
        t(b.text);
        for (const f of (b.fields as Json[] | undefined) ?? []) t(f);
        break;
      case "context":
        for (const e of (b.elements as Json[] | undefined) ?? []) t(e);
        break;
      case "input": {
        t(b.label);
        const el = b.element as Json | undefined;
        if (typeof el?.initial_value === "string") out.push(el.initial_value);
        for (const o of (el?.options as Json[] | undefined) ?? []) t(o.text);
        t(b.hint);
        break;
      }
      case "rich_text":
        out.push(JSON.stringify(b.elements));
        break;
      default:
        break;
    }
  }
  return out;
}

/** The links in mrkdwn texts (`<url|label>`) and the url buttons, by label. */
function linksOf(blocks: Json[]): { links?: string[]; urls?: Record<string, string> } {
  const links = [...JSON.stringify(blocks).matchAll(/<([^|>"]+)\|([^>"]+)>/g)].map((m) => readable(m[2] ?? ""));
  const urls: Record<string, string> = {};
  for (const b of buttons(blocks)) {
    const url = b.url;
    if (url === undefined) continue;
    links.push(b.text.text);
    urls[b.text.text] = url;
  }
  if (links.length === 0) return {};
  return Object.keys(urls).length > 0 ? { links, urls } : { links };
}

/** Slack has no colours: a toned text starts with its sign (src/bot/slack/render). */
const SIGNS: [string, Tone][] = [
  ["✅ ", "good"],
  ["⚠️ ", "warning"],
  ["⛔ ", "attention"],
];

function notesOf(texts: string[]): { notes?: { text: string; tone: Tone }[] } {
  const notes = texts.flatMap((text) => {
    const sign = SIGNS.find(([s]) => text.startsWith(s));
    return sign ? [{ text: text.slice(sign[0].length), tone: sign[1] }] : [];
  });
  return notes.length > 0 ? { notes } : {};
}

/** The confirm dialogs of the buttons, by label. */
function confirmsOf(blocks: Json[]): { confirms?: Record<string, string> } {
  const confirms: Record<string, string> = {};
  for (const b of buttons(blocks)) {
    const text = (b.confirm?.text as Json | undefined)?.text;
    if (typeof text === "string") confirms[b.text.text] = readable(readMrkdwn(text));
  }
  return Object.keys(confirms).length > 0 ? { confirms } : {};
}

function inputIds(blocks: Json[]): string[] {
  return blocks.filter((b) => b.type === "input").map((b) => String(b.block_id));
}

export class SlackDriver implements Driver {
  readonly platform = "slack" as const;
  readonly prefix = "/licencias ";
  readonly platformName = "Slack";
  private app?: TestApp;
  private fake?: FakeSlack;
  private sim?: SlackSim;
  private seq = 0;
  private readonly refs = new WeakMap<Seen, Ref>();
  /** Per user, the DM timestamps already returned. */
  private readonly seenDms = new Set<string>();
  private supportCursor = 0;
  /** The workspaces' names, as the adapter reads them (team.info). */
  private readonly teamNames = new Map<string, string>();

  get deps(): Deps {
    return this.running.app.deps;
  }

  get watchSenders(): Partial<Record<"slack" | "teams", WatchSender>> {
    return this.running.app.watchSenders;
  }

  get url(): string {
    return this.running.app.url;
  }

  private get running(): { app: TestApp; fake: FakeSlack; sim: SlackSim } {
    if (!this.app || !this.fake || !this.sim) throw new Error("the Slack driver is not started");
    return { app: this.app, fake: this.fake, sim: this.sim };
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    const fake = await startFakeSlack();
    this.fake = fake;
    this.app = await startTestApp(
      {
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_CLIENT_ID: fake.clientId,
        SLACK_CLIENT_SECRET: fake.clientSecret,
        SLACK_STATE_SECRET: "contract-state-secret",
        SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
        SUPPORT_SLACK_TEAM_ID: VENDOR,
        INSTALLER_URL: "https://descargas.example.com/pymes",
        ...env,
      },
      { slackClientOptions: { slackApiUrl: fake.apiUrl } },
    );
    this.sim = new SlackSim(this.app.url, SECRET, fake);
    await this.install(VENDOR, "Proveedor");
  }

  async stop(): Promise<void> {
    await this.app?.dispose();
    await this.fake?.close();
  }

  /** The OAuth install as a browser does it (see test/slack/oauth.test.ts). */
  private async install(teamId: string, teamName: string): Promise<void> {
    const { app, fake } = this.running;
    this.teamNames.set(teamId, teamName);
    const start = await fetch(`${app.url}/slack/install`, { redirect: "manual" });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const code = `code-${teamId}`;
    fake.addOAuthCode(code, { teamId, teamName, token: `xoxb-${teamId}`, installerId: `U0ADMIN${teamId}` });
    const back = await fetch(`${app.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
      redirect: "manual",
    });
    await back.text();
    expect(back.status).toBe(200);
  }

  private person(user: FakeUser, locale: string): SlackPerson {
    return { name: user.name ?? user.id, workspaceId: user.teamId, locale, user };
  }

  async advisor(firmKey: string, opts: { locale?: string; name?: string; sameFirmAs?: Person } = {}): Promise<Person> {
    this.seq++;
    let teamId = opts.sameFirmAs?.workspaceId;
    if (!teamId) {
      teamId = `T0${firmKey.toUpperCase().replace(/[^A-Z0-9]/g, "")}${this.seq}`;
      await this.install(teamId, `Asesoría ${firmKey}`);
    }
    const locale = opts.locale ?? "es-ES";
    const user = this.running.fake.addUser({
      id: `U0ADV${this.seq}`,
      teamId,
      name: opts.name ?? `Asesor ${this.seq}`,
      locale,
    });
    return this.person(user, locale);
  }

  async supportAgent(opts: { name?: string } = {}): Promise<Person> {
    this.seq++;
    const user = this.running.fake.addUser({
      id: `U0SUP${this.seq}`,
      teamId: VENDOR,
      name: opts.name ?? `Soporte ${this.seq}`,
      locale: "es-ES",
    });
    return this.person(user, "es-ES");
  }

  private userOf(person: Person): FakeUser {
    return (person as SlackPerson).user;
  }

  private mark() {
    const { fake } = this.running;
    return {
      calls: fake.calls.length,
      responses: fake.responses.length,
      views: new Map(fake.views.map((v) => [v.id, JSON.stringify(v.view)])),
    };
  }

  private fromView(id: string, view: Json, errors?: Record<string, string>): Seen {
    const blocks = (view.blocks as Json[] | undefined) ?? [];
    const fields = inputIds(blocks);
    const seen: Seen = {
      kind: fields.length > 0 ? "form" : "message",
      title: String((view.title as Json | undefined)?.text ?? ""),
      text: visibleTexts(blocks).join("\n"),
      ...notesOf(visibleTexts(blocks)),
      buttons: buttons(blocks).map((b) => b.text.text),
      ...confirmsOf(blocks),
      ...(fields.length > 0 ? { fields } : {}),
      ...(errors ? { errors } : {}),
    };
    this.refs.set(seen, { origin: { kind: "view", viewId: id }, blocks });
    return seen;
  }

  private fromMessage(body: Json, origin: Origin): Seen {
    const blocks = (body.blocks as Json[] | undefined) ?? [];
    const texts = visibleTexts(blocks);
    if (texts.length === 0 && typeof body.text === "string") texts.push(readable(body.text));
    const seen: Seen = {
      kind: "message",
      text: texts.join("\n"),
      ...notesOf(texts),
      buttons: buttons(blocks).map((b) => b.text.text),
      ...linksOf(blocks),
      ...confirmsOf(blocks),
    };
    this.refs.set(seen, { origin, blocks });
    return seen;
  }

  /** What the person sees after an action: a modal opened or changed, else an answer, else a message changed or posted. */
  private after(mark: ReturnType<SlackDriver["mark"]>, user: FakeUser, channel: string): Seen {
    const { fake } = this.running;
    const changed = fake.views.filter((v) => mark.views.get(v.id) !== JSON.stringify(v.view));
    const view = changed.at(-1);
    if (view) return this.fromView(view.id, view.view);
    const response = fake.responses.slice(mark.responses).at(-1);
    if (response && !response.body.delete_original) {
      return this.fromMessage(response.body, {
        kind: "message",
        channel,
        responseUrl: `${fake.url}/response/${response.id}`,
      });
    }
    const calls = fake.calls.slice(mark.calls);
    const update = calls.filter((c) => c.method === "chat.update").at(-1);
    const stored = update && fake.messages.find((m) => m.channel === update.args.channel && m.ts === update.args.ts);
    if (stored) return this.fromStored(stored);
    const dm = fake
      .dmsTo(user.id)
      .find((m) => !this.seenDms.has(m.ts) && calls.some((c) => c.args.channel === m.channel));
    if (dm) {
      this.seenDms.add(dm.ts);
      return this.fromStored(dm);
    }
    return { kind: "message", text: "", buttons: [] };
  }

  private fromStored(m: { channel: string; ts: string; text?: string; blocks: Json[] }): Seen {
    return this.fromMessage(
      { blocks: m.blocks, ...(m.text !== undefined ? { text: m.text } : {}) },
      { kind: "message", channel: m.channel, ts: m.ts, ephemeral: false, responseUrl: this.running.fake.responseUrl() },
    );
  }

  async say(person: Person, text: string, where: Where = "private"): Promise<Seen> {
    const { sim } = this.running;
    const user = this.userOf(person);
    const channel = where === "support" ? SUPPORT_CHANNEL : where === "channel" ? ALERTS : GENERAL;
    const mark = this.mark();
    const cmd = await sim.command(user, text, channel);
    expect(cmd.status).toBe(200);
    return this.after(mark, user, channel);
  }

  async click(person: Person, seen: Seen, label: string, opts: { nth?: number } = {}): Promise<Seen> {
    const { sim, fake } = this.running;
    const ref = this.refs.get(seen);
    if (!ref) throw new Error("this screen was not shown by the Slack driver");
    const button = buttons(ref.blocks).filter((b) => b.text.text === label)[opts.nth ?? 0];
    if (!button) throw new Error(`no button "${label}"; there are: ${seen.buttons.join(", ")}`);
    const user = this.userOf(person);
    // A fresh response_url per click on a posted message, as Slack gives; an answer's own otherwise.
    const origin: Origin =
      ref.origin.kind === "message" && ref.origin.ts ? { ...ref.origin, responseUrl: fake.responseUrl() } : ref.origin;
    const mark = this.mark();
    const res = await sim.click(user, button, origin);
    expect(res.status).toBe(200);
    return this.after(mark, user, origin.kind === "message" ? origin.channel : GENERAL);
  }

  /** A command that opens a form opens the modal at once. */
  async opened(_person: Person, seen: Seen, _openLabel: string): Promise<Seen> {
    expect(seen.kind, "Slack opens the modal at once").toBe("form");
    return seen;
  }

  async submit(person: Person, form: Seen, values: Record<string, string | boolean>): Promise<Seen> {
    const { sim } = this.running;
    const ref = this.refs.get(form);
    if (ref?.origin.kind !== "view") throw new Error("this screen is not a Slack modal");
    const viewId = ref.origin.viewId;
    const state: Record<string, string | string[] | null> = {};
    for (const b of ref.blocks.filter((x) => x.type === "input")) {
      const id = String(b.block_id);
      const el = b.element as Json;
      const value = values[id];
      if (el.type === "checkboxes") {
        const option = String(((el.options as Json[])[0] as Json).value);
        const initial = ((el.initial_options as Json[] | undefined) ?? []).length > 0;
        state[id] = (typeof value === "boolean" ? value : initial) ? [option] : [];
      } else if (value !== undefined) {
        state[id] = String(value);
      } else if (typeof el.initial_value !== "string") {
        state[id] = null;
      }
    }
    const user = this.userOf(person);
    const mark = this.mark();
    const res = await sim.submit(user, viewId, state);
    expect(res.status).toBe(200);
    if (res.body?.response_action === "errors") {
      return this.fromView(viewId, sim.view(viewId), res.body.errors as Record<string, string>);
    }
    return this.after(mark, user, GENERAL);
  }

  async privateMessages(person: Person): Promise<Seen[]> {
    const user = this.userOf(person);
    const fresh = this.running.fake.dmsTo(user.id).filter((m) => !this.seenDms.has(m.ts));
    for (const m of fresh) this.seenDms.add(m.ts);
    return fresh.map((m) => this.fromStored(m));
  }

  async supportChannel(): Promise<Seen[]> {
    const all = this.running.fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL && !m.user);
    const fresh = all.slice(this.supportCursor);
    this.supportCursor = all.length;
    return fresh.map((m) => this.fromStored(m));
  }

  actor(person: Person, where: Where = "private"): Actor {
    const user = this.userOf(person);
    return {
      platform: "slack",
      workspaceId: user.teamId,
      workspaceName: this.teamNames.get(user.teamId),
      userId: user.id,
      userName: user.name,
      locale: person.locale.startsWith("en") ? "en" : "es",
      channelId: where === "support" ? SUPPORT_CHANNEL : GENERAL,
    };
  }

  problems(): string[] {
    return [...this.running.fake.failures];
  }
}
