import type { TeamsAdapter } from "@microsoft/teams-ai";
import {
  type Activity,
  type ConversationParameters,
  type ConversationReference,
  TeamsInfo,
  type TurnContext,
} from "botbuilder";
import type { Locale, SupportConfig } from "../../config.ts";
import { forbidden } from "../../errors.ts";
import { type Actor, type Deps, loadRef, saveRef } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import type { TtlCache } from "../cache.ts";

/** Everything the Teams listeners share, built once per app. */
export interface Runtime {
  deps: Deps;
  adapter: TeamsAdapter;
  /** The bot's app id; "" in local emulator mode. */
  appId: string;
  emulator: boolean;
  support: SupportConfig;
  defaultLocale: Locale;
  logger: Logger;
  /** Users known not to be guests, by tenant and user (two minutes, bounded in size; guests are never cached). */
  memberCache: TtlCache<boolean>;
}

/** Where stored references live (see handlers/refs.ts). */
export const REF_PERSONAL = "teams.personal";
export const REF_SUPPORT = "teams.support";

/**
 * How long a member lookup is trusted. Membership decides who may act for a
 * firm, so it is short, and only a member (not a guest) is remembered: a
 * refusal is asked about again on the next request (docs/architecture.md,
 * "Several instances").
 */
export const MEMBER_CACHE_MS = 2 * 60 * 1000;

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return activity.conversation?.tenantId ?? fromChannelData ?? undefined;
}

/** The Teams channel (19:…@thread.tacv2) of a channel conversation, without the thread's ;messageid=. */
export function channelOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
  return fromChannelData ?? activity.conversation?.id?.split(";")[0];
}

export function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type === "personal" || (!type && activity.conversation?.isGroup !== true);
}

export function isSupportChannel(rt: Runtime, activity: Partial<Activity>): boolean {
  return Boolean(rt.support.teamsChannelId) && channelOf(activity) === rt.support.teamsChannelId;
}

/** The person's id for the use cases: the Entra object id (what SUPPORT_USER_IDS lists), else the Teams id. */
export function userIdOf(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? "";
}

export function personalKey(tenantId: string, userId: string): string {
  return `${tenantId}:${userId}`;
}

export function localeOf(rt: Runtime, activity: Partial<Activity>): Locale {
  return pickLocale(activity.locale, rt.defaultLocale);
}

/**
 * The verified person acting: the firm is the activity's tenant (the token
 * was checked by the adapter), guests are marked so the use cases refuse them.
 */
export async function actorOf(rt: Runtime, ctx: TurnContext): Promise<Actor> {
  const a = ctx.activity;
  const tenantId = tenantOf(a);
  if (!tenantId || !a.from?.id) throw forbidden();
  const userId = userIdOf(a);
  return {
    platform: "teams",
    workspaceId: tenantId,
    userId,
    userName: a.from.name || undefined,
    locale: localeOf(rt, a),
    channelId: isPersonal(a) ? a.conversation.id : channelOf(a),
    guest: await isGuest(rt, ctx, tenantId),
  };
}

async function isGuest(rt: Runtime, ctx: TurnContext, tenantId: string): Promise<boolean> {
  const from = ctx.activity.from;
  const key = personalKey(tenantId, from.id);
  const cached = rt.memberCache.get(key);
  if (cached !== undefined) return cached;
  try {
    const member = await TeamsInfo.getMember(ctx, from.id);
    const guest = member.userRole === "guest" || member.userRole === "anonymous";
    if (!guest) rt.memberCache.set(key, false);
    return guest;
  } catch (err) {
    // The local emulator (Agents Playground) may not answer member lookups.
    if (rt.emulator) {
      rt.logger.debug({ err }, "member lookup failed; emulator mode goes on without it");
      return false;
    }
    throw err;
  }
}

/** A reference to the user's personal chat with the bot, to write there later. */
export function personalRefFrom(activity: Partial<Activity>, conversationId: string): Partial<ConversationReference> {
  const tenantId = tenantOf(activity);
  return {
    channelId: activity.channelId ?? "msteams",
    serviceUrl: activity.serviceUrl,
    conversation: {
      id: conversationId,
      conversationType: "personal",
      isGroup: false,
      tenantId,
      name: "",
    },
    ...(activity.recipient ? { bot: activity.recipient } : {}),
    ...(activity.from ? { user: activity.from } : {}),
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
}

/** Keeps how to reach this user in their personal chat (every time they write to the bot there). */
export async function rememberPersonalChat(rt: Runtime, ctx: TurnContext): Promise<void> {
  const a = ctx.activity;
  const tenantId = tenantOf(a);
  if (!tenantId || !isPersonal(a) || !a.from?.id || !a.serviceUrl) return;
  await saveRef(
    rt.deps,
    REF_PERSONAL,
    personalKey(tenantId, userIdOf(a)),
    JSON.stringify(personalRefFrom(a, a.conversation.id)),
  );
}

interface ConnectorLike {
  conversations: {
    createConversation(parameters: ConversationParameters): Promise<{ id?: string; activityId?: string }>;
  };
}

/** The connector client of the current turn (its credentials and serviceUrl). */
export function connectorOf(ctx: TurnContext): ConnectorLike {
  return ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorLike;
}

/** The stored personal chat reference (unless it failed), or a new 1:1 conversation stored for next time. */
async function personalChatRef(
  rt: Runtime,
  ctx: TurnContext,
  useStored: boolean,
): Promise<{ ref: Partial<ConversationReference>; stored: boolean }> {
  const a = ctx.activity;
  const tenantId = tenantOf(a) ?? "";
  const key = personalKey(tenantId, userIdOf(a));
  const stored = useStored ? await loadRef(rt.deps, REF_PERSONAL, key) : undefined;
  if (stored) return { ref: JSON.parse(stored) as Partial<ConversationReference>, stored: true };
  const created = await connectorOf(ctx).conversations.createConversation({
    isGroup: false,
    bot: a.recipient,
    members: [{ id: a.from.id, name: a.from.name }],
    tenantId,
    channelData: { tenant: { id: tenantId } },
  } as ConversationParameters);
  if (!created.id) throw new Error("the connector created no conversation");
  const ref = personalRefFrom(a, created.id);
  await saveRef(rt.deps, REF_PERSONAL, key, JSON.stringify(ref));
  return { ref, stored: false };
}

export type Outgoing = Partial<Activity>;

/**
 * Runs `logic` in a stored conversation (proactively). Errors reach the
 * caller: the adapter would otherwise hand them to the app's error handler
 * and report success.
 */
export async function proactive(
  rt: Runtime,
  ref: Partial<ConversationReference>,
  logic: (ctx: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: { err: unknown } | undefined;
  await rt.adapter.continueConversationAsync(rt.appId, ref, async (ctx) => {
    try {
      await logic(ctx);
    } catch (err) {
      failure = { err };
    }
  });
  if (failure) throw failure.err;
}

/**
 * Sends what carries client data to the user only: here when this is the
 * personal chat, else in the user's personal chat (the caller says so here).
 */
export async function sendPrivately(rt: Runtime, ctx: TurnContext, activities: Outgoing[]): Promise<void> {
  if (isPersonal(ctx.activity)) {
    for (const activity of activities) await ctx.sendActivity(activity);
    return;
  }
  const send = (ref: Partial<ConversationReference>) =>
    proactive(rt, ref, async (personal) => {
      for (const activity of activities) await personal.sendActivity(activity);
    });
  const first = await personalChatRef(rt, ctx, true);
  try {
    await send(first.ref);
  } catch (err) {
    if (!first.stored) throw err;
    // A stale reference (the app was removed and installed again): open the chat anew.
    rt.logger.info({ err }, "the stored personal chat failed; creating it again");
    await send((await personalChatRef(rt, ctx, false)).ref);
  }
}

/** How to tell this person later (an activation decision): this personal chat, or the one stored for them. */
export async function requesterRefOf(rt: Runtime, ctx: TurnContext, actor: Actor): Promise<string | undefined> {
  if (isPersonal(ctx.activity)) return JSON.stringify(personalRefFrom(ctx.activity, ctx.activity.conversation.id));
  return await loadRef(rt.deps, REF_PERSONAL, personalKey(actor.workspaceId, userIdOf(ctx.activity)));
}
