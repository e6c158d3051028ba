import { expect } from "vitest";
import type { Actor, Deps, WatchSender } from "../../src/handlers/index.ts";
import { actionsOf, type FoundAction } from "../teams/cards.ts";
import { Harness, SUPPORT_CHANNEL, SUPPORT_TEAM, teamsUser, type User } from "../teams/harness.ts";
import type { Driver, Person, Seen, Tone, Where } from "./driver.ts";

/** A channel of the firm where `avisos` is typed (with the bot mentioned). */
const ALERTS = { channel: "19:avisos-despacho@thread.tacv2", team: "19:despacho-general@thread.tacv2" };

/**
 * The contract driver for Teams: one tenant per firm, the vendor's tenant
 * with the support channel, driven with Bot Framework activities (messages,
 * Action.Execute invokes, task/fetch and task/submit dialogs).
 */

type Json = Record<string, unknown>;

const VENDOR = "tenant-vendor-contract";

interface TeamsPerson extends Person {
  user: User;
}

interface Shown {
  card: Json;
  activityId: string;
}

interface Ref {
  cards: Shown[];
  where: "personal" | { channel: string; team?: string };
  /** A dialog's card: its submit action is what `submit` presses. */
  dialog?: Json;
  /** A form inside a card in the chat, sent by one of its Action.Execute buttons. */
  inCard?: { shown: Shown; send: FoundAction };
}

/** Undoes the backslash escapes of Adaptive Card markdown, as Teams shows the text. */
function readable(text: string): string {
  // Unescaped `**` is bold markup, not text; a zero-width space keeps a typed `<` from being read as HTML.
  return text
    .replace(/(?<!\\)\*\*/g, "")
    .replace(/\u200b/g, "")
    .replace(/\\([\\`*_{}[\]()#+\-.!<>~|])/g, "$1");
}

/** The texts a person reads on a card, in order (actions apart); field errors by the input they follow. */
function readCard(card: Json): {
  texts: string[];
  errors: Record<string, string>;
  fields: string[];
  notes: { text: string; tone: Tone }[];
} {
  const texts: string[] = [];
  const notes: { text: string; tone: Tone }[] = [];
  const errors: Record<string, string> = {};
  const fields: string[] = [];
  let lastInput: string | undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== "object") return;
    const n = node as Json;
    const type = typeof n.type === "string" ? n.type : "";
    if (type.startsWith("Action.")) return;
    if (type === "TextBlock" || type === "TextRun") {
      const text = readable(String(n.text ?? ""));
      texts.push(text);
      if (type === "TextBlock" && n.color === "attention") errors[lastInput ?? "form"] = text;
      if (n.color === "good" || n.color === "warning" || n.color === "attention") notes.push({ text, tone: n.color });
      return;
    }
    if (type === "FactSet") {
      for (const f of (n.facts as Json[] | undefined) ?? [])
        texts.push(`${readable(String(f.title ?? ""))}: ${readable(String(f.value ?? ""))}`);
      return;
    }
    if (type.startsWith("Input.")) {
      lastInput = String(n.id);
      fields.push(lastInput);
      for (const key of ["label", "title"]) if (typeof n[key] === "string") texts.push(String(n[key]));
      if (typeof n.value === "string" && type !== "Input.Toggle") texts.push(n.value);
      for (const c of (n.choices as Json[] | undefined) ?? []) texts.push(String(c.title ?? ""));
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== "actions" && k !== "selectAction") visit(v);
  };
  visit(card.body);
  return { texts, errors, fields, notes };
}

export class TeamsDriver implements Driver {
  readonly platform = "teams" as const;
  readonly prefix = "";
  readonly platformName = "Microsoft Teams";
  private h?: Harness;
  private seq = 0;
  private readonly refs = new WeakMap<Seen, Ref>();
  /** Activities already returned as a result (not again as a private or support message). */
  private readonly consumed = new Set<string>();

  private get harness(): Harness {
    if (!this.h) throw new Error("the Teams driver is not started");
    return this.h;
  }

  get deps(): Deps {
    return this.harness.app.deps;
  }

  get watchSenders(): Partial<Record<"slack" | "teams", WatchSender>> {
    return this.harness.app.watchSenders;
  }

  get url(): string {
    return this.harness.app.url;
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    this.h = await Harness.start(env);
    // The bot learns the support channel when it is first mentioned there.
    const agent = await this.supportAgent();
    await this.say(agent, "ayuda", "support");
    await this.supportChannel();
  }

  async stop(): Promise<void> {
    await this.h?.stop();
  }

  private person(user: User): TeamsPerson {
    return { name: user.name, workspaceId: user.tenantId, locale: user.locale, user };
  }

  async advisor(firmKey: string, opts: { locale?: string; name?: string; sameFirmAs?: Person } = {}): Promise<Person> {
    this.seq++;
    const tenant = opts.sameFirmAs?.workspaceId ?? `tenant-${firmKey}-${this.seq}`;
    const user = this.harness.join(
      teamsUser(tenant, { name: opts.name ?? `Asesor ${this.seq}`, locale: opts.locale ?? "es-ES" }),
    );
    return this.person(user);
  }

  async supportAgent(opts: { name?: string } = {}): Promise<Person> {
    this.seq++;
    return this.person(this.harness.join(teamsUser(VENDOR, { name: opts.name ?? `Soporte ${this.seq}` })));
  }

  private userOf(person: Person): User {
    return (person as TeamsPerson).user;
  }

  /** Cards in a chat; a card with inputs is a form whose first Action.Execute sends it. */
  private fromCards(shown: Shown[], where: Ref["where"], texts: string[] = []): Seen {
    const all = [...texts];
    const fields: string[] = [];
    const errors: Record<string, string> = {};
    const notes: { text: string; tone: Tone }[] = [];
    for (const s of shown) {
      const read = readCard(s.card);
      all.push(...read.texts);
      notes.push(...read.notes);
      fields.push(...read.fields);
      Object.assign(errors, read.errors);
    }
    const form = fields.length > 0 ? shown.find((s) => readCard(s.card).fields.length > 0) : undefined;
    const send = form ? actionsOf(form.card).find((a) => a.type === "Action.Execute") : undefined;
    const seen: Seen = {
      kind: form ? "form" : "message",
      text: all.join("\n"),
      ...(notes.length > 0 ? { notes } : {}),
      buttons: shown.flatMap((s) =>
        actionsOf(s.card)
          .filter((a) => s !== form || a.title !== send?.title)
          .map((a) => a.title),
      ),
      ...(form ? { fields } : {}),
      ...(form && Object.keys(errors).length > 0 ? { errors } : {}),
    };
    const opens = shown.flatMap((s) => actionsOf(s.card).filter((a) => a.type === "Action.OpenUrl"));
    const links = opens.map((a) => a.title);
    if (links.length > 0) seen.links = links;
    const urls = Object.fromEntries(opens.flatMap((a) => (a.url && /^https?:/.test(a.url) ? [[a.title, a.url]] : [])));
    if (Object.keys(urls).length > 0) seen.urls = urls;
    this.refs.set(seen, { cards: shown, where, ...(form && send ? { inCard: { shown: form, send } } : {}) });
    return seen;
  }

  private fromDialog(title: string, card: Json, where: Ref["where"]): Seen {
    const read = readCard(card);
    const seen: Seen = {
      kind: read.fields.length > 0 ? "form" : "message",
      title,
      text: read.texts.join("\n"),
      ...(read.notes.length > 0 ? { notes: read.notes } : {}),
      // The dialog's own submit button is pressed by `submit`, not listed.
      buttons: actionsOf(card)
        .filter((a) => a.type !== "Action.Submit" || read.fields.length === 0)
        .map((a) => a.title),
      ...(read.fields.length > 0 ? { fields: read.fields } : {}),
      ...(Object.keys(read.errors).length > 0 ? { errors: read.errors } : {}),
    };
    this.refs.set(seen, { cards: [{ card, activityId: "" }], where, dialog: card });
    return seen;
  }

  /** What was sent to a conversation since a mark, as one screen. */
  private sentSince(mark: number, match: (conversationId: string) => boolean, where: Ref["where"]): Seen {
    const fresh = this.harness.connector
      .since(mark)
      .filter((s) => s.kind !== "update" && match(s.conversationId) && !this.consumed.has(s.activityId));
    for (const s of fresh) this.consumed.add(s.activityId);
    const texts = fresh.map((s) => s.activity.text).filter((t): t is string => typeof t === "string" && t !== "");
    const shown = fresh.flatMap((s) =>
      (s.activity.attachments ?? [])
        .filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive")
        .map((a) => ({ card: a.content as Json, activityId: s.activityId })),
    );
    return this.fromCards(shown, where, texts.map(unescape));
  }

  private dmOf(user: User): string {
    return this.harness.personalConversation(user);
  }

  async say(person: Person, text: string, where: Where = "private"): Promise<Seen> {
    const h = this.harness;
    const user = this.userOf(person);
    const mark = h.connector.mark();
    if (where === "support" || where === "channel") {
      const at = where === "support" ? { channel: SUPPORT_CHANNEL, team: SUPPORT_TEAM } : ALERTS;
      expect((await h.say(user, text, at)).status).toBe(200);
      // The answer is the reply in the thread of the mention; new threads are support channel posts.
      const replies = h.connector
        .since(mark)
        .filter((s) => s.kind === "send" && s.conversationId.startsWith(at.channel));
      const ids = new Set(replies.map((s) => s.conversationId));
      return this.sentSince(mark, (c) => ids.has(c), at);
    }
    expect((await h.say(user, text)).status).toBe(200);
    return this.sentSince(mark, (c) => c === this.dmOf(user), "personal");
  }

  async click(person: Person, seen: Seen, label: string, opts: { nth?: number } = {}): Promise<Seen> {
    const h = this.harness;
    const ref = this.refs.get(seen);
    if (!ref) throw new Error("this screen was not shown by the Teams driver");
    const found: { action: FoundAction; shown: Shown }[] = [];
    for (const shown of ref.cards)
      for (const a of actionsOf(shown.card)) if (a.title === label) found.push({ action: a, shown });
    const hit = found[opts.nth ?? 0];
    if (!hit) throw new Error(`no button "${label}"; there are: ${seen.buttons.join(", ")}`);
    const user = this.userOf(person);
    const { action, shown } = hit;
    if (action.type === "Action.Execute") {
      const body = await h.execute(user, action, shown.activityId, ref.where);
      if (body.type === "application/vnd.microsoft.card.adaptive") {
        return this.fromCards([{ card: body.value as Json, activityId: shown.activityId }], ref.where);
      }
      return this.fromCards([], ref.where, [readable(String(body.value ?? ""))]);
    }
    if (action.type === "Action.Submit" && (action.data.msteams as Json | undefined)?.type === "task/fetch") {
      const task = await h.fetchDialog(user, action.data, ref.where);
      if (task.kind === "dialog") return this.fromDialog(task.title, task.card, ref.where);
      return this.fromCards([], ref.where, task.kind === "message" ? [readable(task.text)] : []);
    }
    throw new Error(`the driver cannot press a ${action.type} ("${label}")`);
  }

  /** A message cannot open a dialog: the card's button opens it. */
  async opened(person: Person, seen: Seen, openLabel: string): Promise<Seen> {
    expect(seen.kind, "a Teams message opens no dialog").toBe("message");
    expect(seen.buttons).toContain(openLabel);
    return this.click(person, seen, openLabel);
  }

  async submit(person: Person, form: Seen, values: Record<string, string | boolean>): Promise<Seen> {
    const h = this.harness;
    const ref = this.refs.get(form);
    const user = this.userOf(person);
    const inputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) inputs[k] = typeof v === "boolean" ? String(v) : v;
    if (ref?.inCard) {
      const { shown, send } = ref.inCard;
      const body = await h.execute(user, send, shown.activityId, ref.where, inputs);
      if (body.type === "application/vnd.microsoft.card.adaptive") {
        return this.fromCards([{ card: body.value as Json, activityId: shown.activityId }], ref.where);
      }
      return this.fromCards([], ref.where, [readable(String(body.value ?? ""))]);
    }
    if (!ref?.dialog) throw new Error("this screen is not a Teams form");
    const send = actionsOf(ref.dialog).find((a) => a.type === "Action.Submit");
    if (!send) throw new Error("the dialog has no submit button");
    const mark = h.connector.mark();
    const task = await h.submitDialog(user, send.data, inputs, ref.where);
    if (task.kind === "dialog") return this.fromDialog(task.title, task.card, ref.where);
    if (task.kind === "message") return this.fromCards([], ref.where, [readable(task.text)]);
    if (ref.where !== "personal") {
      // A dialog opened from a card in a channel: the card, as it now is for everyone there.
      const { channel } = ref.where;
      const updated = h.connector
        .since(mark)
        .filter((s) => s.kind === "update" && s.conversationId.startsWith(channel))
        .at(-1);
      const card = updated?.activity.attachments?.[0]?.content as Json | undefined;
      if (updated && card) return this.fromCards([{ card, activityId: updated.activityId }], ref.where);
    }
    return this.sentSince(mark, (c) => c === this.dmOf(user), "personal");
  }

  async privateMessages(person: Person): Promise<Seen[]> {
    const dm = this.dmOf(this.userOf(person));
    return this.each((c) => c === dm, "personal");
  }

  /** Each message not yet returned in the conversations matched, one screen each. */
  private each(match: (conversationId: string) => boolean, where: Ref["where"]): Seen[] {
    const fresh = this.harness.connector.sent.filter(
      (s) => s.kind !== "update" && match(s.conversationId) && !this.consumed.has(s.activityId),
    );
    return fresh.map((s) => {
      this.consumed.add(s.activityId);
      const cards = (s.activity.attachments ?? []).map((a) => ({ card: a.content as Json, activityId: s.activityId }));
      const texts = typeof s.activity.text === "string" && s.activity.text ? [readable(s.activity.text)] : [];
      return this.fromCards(cards, where, texts);
    });
  }

  async supportChannel(): Promise<Seen[]> {
    // A new thread's card is clicked in that thread, in the support channel.
    return this.each((c) => c.startsWith(SUPPORT_CHANNEL), { channel: SUPPORT_CHANNEL, team: SUPPORT_TEAM });
  }

  actor(person: Person, where: Where = "private"): Actor {
    const user = this.userOf(person);
    return {
      platform: "teams",
      workspaceId: user.tenantId,
      userId: user.aadObjectId,
      userName: user.name,
      locale: person.locale.startsWith("en") ? "en" : "es",
      channelId: where === "support" ? SUPPORT_CHANNEL : this.dmOf(user),
    };
  }

  problems(): string[] {
    return this.harness.connector.invalidCards.map((c) => c.problems.join("; "));
  }
}
