import type { Activity } from "botbuilder";
import { expect } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { cardProblems, cardsOf } from "./cards.ts";
import { FakeConnector, type Member } from "./fake-connector.ts";

export const BOT = { id: "28:bot-licencias", name: "Licencias PYMES" };
export const SUPPORT_CHANNEL = "19:support-desk@thread.tacv2";
export const SUPPORT_TEAM = "19:vendor-general@thread.tacv2";
export const SLACK_SUPPORT_CHANNEL = "CSUPPORT01";

export interface User extends Member {
  locale: string;
}

let userSeq = 0;

export function teamsUser(tenantId: string, extra: Partial<User> = {}): User {
  userSeq++;
  return {
    id: `29:user-${userSeq}`,
    aadObjectId: `aad-${userSeq}-0000-0000-000000000000`,
    name: `Usuario ${userSeq}`,
    tenantId,
    userRole: "user",
    locale: "es-ES",
    ...extra,
  };
}

export interface Reply {
  status: number;
  body: unknown;
}

/** The whole app with a fake connector; activities are posted as Teams would post them. */
export class Harness {
  private seq = 0;
  constructor(
    readonly app: TestApp,
    readonly connector: FakeConnector,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<Harness> {
    const connector = await new FakeConnector().start();
    const app = await startTestApp({
      SUPPORT_TEAMS_CHANNEL_ID: SUPPORT_CHANNEL,
      INSTALLER_URL: "https://descargas.example.com/pymes",
      ...env,
    });
    return new Harness(app, connector);
  }

  async stop(): Promise<void> {
    await this.app.dispose();
    await this.connector.stop();
  }

  /** Lets the connector answer member lookups for this person. */
  join(user: User): User {
    this.connector.members.set(user.id, user);
    return user;
  }

  personalConversation(user: User): string {
    return `a:personal-${user.id}`;
  }

  private base(user: User, conversation: Partial<Activity["conversation"]>, channelData: Record<string, unknown>) {
    this.seq++;
    return {
      channelId: "msteams",
      serviceUrl: this.connector.url,
      id: `in-${this.seq}`,
      timestamp: new Date().toISOString(),
      locale: user.locale,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: BOT,
      conversation: { tenantId: user.tenantId, ...conversation },
      channelData: { tenant: { id: user.tenantId }, ...channelData },
    };
  }

  personal(user: User) {
    return this.base(user, { id: this.personalConversation(user), conversationType: "personal", isGroup: false }, {});
  }

  inChannel(user: User, channelId: string, teamId = channelId) {
    return this.base(
      user,
      { id: `${channelId};messageid=${1000 + this.seq}`, conversationType: "channel", isGroup: true },
      { channel: { id: channelId }, team: { id: teamId } },
    );
  }

  async post(activity: object, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(activity),
    });
    const textBody = await res.text();
    let body: unknown = textBody;
    try {
      body = textBody ? JSON.parse(textBody) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body };
  }

  /** A message from a person: in their personal chat, or in a channel with the bot @mentioned. */
  async say(user: User, text: string, where: "personal" | { channel: string; team?: string } = "personal") {
    if (where === "personal") {
      return this.post({ ...this.personal(user), type: "message", text });
    }
    const mention = `<at>${BOT.name}</at>`;
    return this.post({
      ...this.inChannel(user, where.channel, where.team),
      type: "message",
      text: `${mention} ${text}`,
      entities: [{ type: "mention", text: mention, mentioned: BOT }],
    });
  }

  /** A click on an Action.Execute button of the card `replyToId`; returns the card (or message) Teams would show. */
  async execute(
    user: User,
    button: { verb?: string; data: Record<string, unknown> },
    replyToId: string,
    where: { channel: string; team?: string } | "personal" = "personal",
    inputs: Record<string, string> = {},
  ) {
    const base = where === "personal" ? this.personal(user) : this.inChannel(user, where.channel, where.team);
    const reply = await this.post({
      ...base,
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId,
      value: {
        action: { type: "Action.Execute", verb: button.verb, data: { ...button.data, ...inputs } },
        trigger: "manual",
      },
    });
    expect(reply.status).toBe(200);
    const body = reply.body as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    if (body.type === "application/vnd.microsoft.card.adaptive") expect(cardProblems(body.value)).toEqual([]);
    return body;
  }

  private where(user: User, where: { channel: string; team?: string } | "personal") {
    return where === "personal" ? this.personal(user) : this.inChannel(user, where.channel, where.team);
  }

  /** Opens a dialog (task/fetch) from a button's data, on a card in the personal chat or in a channel. */
  async fetchDialog(
    user: User,
    data: Record<string, unknown>,
    where: { channel: string; team?: string } | "personal" = "personal",
  ) {
    const reply = await this.post({ ...this.where(user, where), type: "invoke", name: "task/fetch", value: { data } });
    expect(reply.status).toBe(200);
    return taskOf(reply.body);
  }

  /** Submits a dialog: its submit button's data with the inputs. */
  async submitDialog(
    user: User,
    data: Record<string, unknown>,
    inputs: Record<string, string>,
    where: { channel: string; team?: string } | "personal" = "personal",
  ) {
    const reply = await this.post({
      ...this.where(user, where),
      type: "invoke",
      name: "task/submit",
      value: { data: { ...data, ...inputs } },
    });
    expect(reply.status).toBe(200);
    return taskOf(reply.body);
  }

  /** The cards sent to a conversation since a mark. */
  cardsSince(mark: number, conversationId: string) {
    return this.connector
      .since(mark)
      .filter((s) => s.kind !== "update" && s.conversationId === conversationId)
      .flatMap((s) => cardsOf(s.activity).map((card) => ({ card, activityId: s.activityId })));
  }

  textsSince(mark: number, conversationId: string): string[] {
    return this.connector
      .since(mark)
      .filter((s) => s.kind !== "update" && s.conversationId === conversationId && typeof s.activity.text === "string")
      .map((s) => s.activity.text as string);
  }
}

export type Task =
  | { kind: "closed" }
  | { kind: "message"; text: string }
  | { kind: "dialog"; title: string; card: Record<string, unknown> };

function taskOf(body: unknown): Task {
  if (body === undefined || body === "") return { kind: "closed" };
  const task = (body as { task: { type: string; value: unknown } }).task;
  if (task.type === "message") return { kind: "message", text: String(task.value) };
  const info = task.value as { title: string; card: { contentType: string; content: Record<string, unknown> } };
  expect(info.card.contentType).toBe("application/vnd.microsoft.card.adaptive");
  expect(cardProblems(info.card.content)).toEqual([]);
  return { kind: "dialog", title: info.title, card: info.card.content };
}
