import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Activity, ConversationParameters } from "botbuilder";
import express from "express";
import { ADAPTIVE_CARD, cardProblems, cardsOf, MAX_MESSAGE_BYTES } from "./cards.ts";

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  tenantId: string;
  userRole?: "user" | "guest" | "anonymous";
}

export interface Sent {
  kind: "send" | "update" | "create";
  conversationId: string;
  /** The id the connector gave the activity (send, create) or the one replaced (update). */
  activityId: string;
  replyToId?: string;
  activity: Partial<Activity>;
  authorization?: string;
}

/**
 * A local stand-in for the Bot Framework connector of Teams (the
 * activity's serviceUrl): records what the bot sends and updates under
 * /v3/conversations, and answers like the real service. Every Adaptive
 * Card it receives is validated; `invalidCards` lists the problems.
 */
export class FakeConnector {
  url = "";
  readonly sent: Sent[] = [];
  readonly created: ConversationParameters[] = [];
  readonly members = new Map<string, Member>();
  /** Channels of a team, by team id (for TeamsInfo.getTeamChannels). */
  readonly teamChannels = new Map<string, { id: string; name?: string }[]>();
  readonly invalidCards: { activity: Partial<Activity>; problems: string[] }[] = [];
  /** Conversation ids that answer 403, like a chat the bot was removed from. */
  readonly forbiddenConversations = new Set<string>();
  /** While true, every request is held and never answered: a serviceUrl that went silent. */
  silent = false;
  /** How many requests were held unanswered while silent. */
  held = 0;
  /** When set, every request answers this status (e.g. 503), as a connector in trouble does. */
  failWith?: number;
  /** How many requests were answered with `failWith`. */
  failed = 0;
  private server?: Server;
  private seq = 1000;

  private nextId(): string {
    this.seq++;
    return String(this.seq);
  }

  private check(activity: Partial<Activity>): void {
    const problems: string[] = [];
    const size = Buffer.byteLength(JSON.stringify(activity));
    if (size > MAX_MESSAGE_BYTES) problems.push(`activity is ${size} bytes`);
    for (const a of activity.attachments ?? []) {
      if (a.contentType !== ADAPTIVE_CARD) problems.push(`attachment of type ${a.contentType}`);
    }
    for (const card of cardsOf(activity)) problems.push(...cardProblems(card));
    if (problems.length > 0) this.invalidCards.push({ activity, problems });
  }

  private record(entry: Sent): void {
    this.check(entry.activity);
    this.sent.push(entry);
  }

  async start(): Promise<this> {
    const app = express();
    app.use((_req, _res, next) => {
      if (!this.silent) {
        next();
        return;
      }
      // No answer at all; stop() closes the connection.
      this.held++;
    });
    app.use((_req, res, next) => {
      if (this.failWith === undefined) {
        next();
        return;
      }
      this.failed++;
      res.status(this.failWith).json({ error: { code: "ServiceError", message: "Try again later." } });
    });
    app.use(express.json({ limit: "1mb" }));

    app.post("/v3/conversations", (req, res) => {
      const params = req.body as ConversationParameters;
      this.created.push(params);
      const channelId = (params.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
      if (channelId) {
        // A new thread in a channel: the conversation id carries the first message's id.
        const activityId = this.nextId();
        const conversationId = `${channelId};messageid=${activityId}`;
        if (params.activity) {
          this.record({
            kind: "create",
            conversationId,
            activityId,
            activity: params.activity,
            authorization: req.headers.authorization,
          });
        }
        res.status(201).json({ id: conversationId, activityId });
        return;
      }
      const member = params.members?.[0];
      if (!member?.id || !this.members.has(member.id)) {
        res.status(404).json({ error: { code: "MemberNotFoundInConversation", message: "The member was not found." } });
        return;
      }
      res.status(201).json({ id: `a:personal-${member.id}` });
    });

    const send = (req: express.Request, res: express.Response) => {
      const conversationId = String(req.params.conversationId);
      if (this.forbiddenConversations.has(conversationId)) {
        res.status(403).json({
          error: { code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." },
        });
        return;
      }
      const activityId = this.nextId();
      const replyToId = req.params.replyToId ? String(req.params.replyToId) : undefined;
      this.record({
        kind: "send",
        conversationId,
        activityId,
        ...(replyToId ? { replyToId } : {}),
        activity: req.body as Partial<Activity>,
        authorization: req.headers.authorization,
      });
      res.status(201).json({ id: activityId });
    };
    app.post("/v3/conversations/:conversationId/activities", send);
    app.post("/v3/conversations/:conversationId/activities/:replyToId", send);

    app.put("/v3/conversations/:conversationId/activities/:activityId", (req, res) => {
      const activityId = String(req.params.activityId);
      this.record({
        kind: "update",
        conversationId: String(req.params.conversationId),
        activityId,
        activity: req.body as Partial<Activity>,
        authorization: req.headers.authorization,
      });
      res.status(200).json({ id: activityId });
    });

    app.get("/v3/conversations/:conversationId/members/:userId", (req, res) => {
      const member = this.members.get(String(req.params.userId));
      if (!member) {
        res.status(404).json({ error: { code: "MemberNotFoundInConversation", message: "The member was not found." } });
        return;
      }
      res.json({ userRole: "user", ...member, userPrincipalName: `${member.aadObjectId}@example.com` });
    });

    app.get("/v3/teams/:teamId/conversations", (req, res) => {
      res.json({ conversations: this.teamChannels.get(String(req.params.teamId)) ?? [] });
    });

    app.use((req, res) => {
      res.status(404).json({ error: { code: "NotFound", message: `${req.method} ${req.path} is not faked` } });
    });

    this.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** What reached a conversation (sends and new threads), oldest first. */
  messagesIn(conversationId: string): Sent[] {
    return this.sent.filter((s) => s.kind !== "update" && s.conversationId === conversationId);
  }

  updatesOf(activityId: string): Sent[] {
    return this.sent.filter((s) => s.kind === "update" && s.activityId === activityId);
  }

  /** Sent entries after a mark (see `mark()`). */
  since(mark: number): Sent[] {
    return this.sent.slice(mark);
  }

  mark(): number {
    return this.sent.length;
  }
}
