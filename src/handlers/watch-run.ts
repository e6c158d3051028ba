import type { Platform } from "../db/index.ts";
import type { Deps } from "./context.ts";
import type { WatchSender, WatchTarget } from "./ports.ts";
import { type WatchItem, watchList } from "./watch.ts";
import { madridDay } from "./watch-clock.ts";

/** One message the watch sends (or, in a dry run, would send). */
export interface WatchMessage {
  platform: Platform;
  target: WatchTarget;
  items: WatchItem[];
  more: number;
}

export interface FirmWatch {
  firmId: number;
  /**
   * nothing: nothing new to act on; unreachable: items, but no one to send them to on a platform that is
   * on (Slack or Teams not configured here); claimed: another run had this firm's day; sent / dry-run: see
   * messages.
   */
  outcome: "nothing" | "unreachable" | "claimed" | "sent" | "dry-run";
  /** With unreachable: how many items nobody could be told. */
  untold?: number;
  messages: WatchMessage[];
  /** Messages that could not be delivered (the person or channel was unreachable). */
  failed: number;
}

export interface WatchRun {
  /** The Madrid day the run belongs to (YYYY-MM-DD). */
  day: string;
  firms: FirmWatch[];
}

const FIRM_PAGE = 200;

/**
 * The daily watch (docs/architecture.md, "The daily watch"): each active
 * firm (or the one asked for) with something new to act on gets its
 * message, at most once per Madrid day. The firm's (firm, day) row is
 * claimed by one statement before anything is sent, so two runs (two
 * instances, a timer and the CLI) never send the same day twice; what was
 * sent is recorded, with its audit, in one unit after the sending, so that
 * an unchanged item is not repeated. A dry run
 * plans the messages and neither sends nor records anything.
 */
export async function runWatch(
  deps: Deps,
  senders: Partial<Record<Platform, WatchSender>>,
  opts: { firmId?: number; dryRun?: boolean } = {},
): Promise<WatchRun> {
  const day = madridDay(deps.now());
  const firms: FirmWatch[] = [];
  const ids =
    opts.firmId !== undefined
      ? (await deps.store.getFirm(opts.firmId))?.activationState === "active"
        ? [opts.firmId]
        : []
      : await allActiveFirms(deps);
  for (const firmId of ids) {
    firms.push(await watchFirm(deps, senders, firmId, day, opts.dryRun === true));
  }
  return { day, firms };
}

async function allActiveFirms(deps: Deps): Promise<number[]> {
  const ids: number[] = [];
  for (let after = 0; ; ) {
    const page = await deps.store.activeFirmIds(after, FIRM_PAGE);
    ids.push(...page);
    const last = page[page.length - 1];
    if (page.length < FIRM_PAGE || last === undefined) return ids;
    after = last;
  }
}

async function watchFirm(
  deps: Deps,
  senders: Partial<Record<Platform, WatchSender>>,
  firmId: number,
  day: string,
  dryRun: boolean,
): Promise<FirmWatch> {
  const list = await watchList(deps, firmId, { fresh: true });
  if (list.items.length === 0) return { firmId, outcome: "nothing", messages: [], failed: 0 };
  const messages = await planMessages(deps, senders, firmId, list.items, list.more);
  if (messages.length === 0) {
    deps.logger.warn(
      { firmId, items: list.items.length },
      "the daily watch has items for a firm but no one to send them to: is its platform (Slack or Teams) configured?",
    );
    return { firmId, outcome: "unreachable", messages: [], failed: 0, untold: list.items.length };
  }
  if (dryRun) return { firmId, outcome: "dry-run", messages, failed: 0 };
  if (!(await deps.store.claimWatchRun(firmId, day, deps.now()))) {
    return { firmId, outcome: "claimed", messages: [], failed: 0 };
  }
  const reached = new Map<string, string>();
  const unreachable = new Set<string>();
  let sent = 0;
  let failed = 0;
  const deliver = async (batch: WatchMessage[]) => {
    for (const message of batch) {
      const sender = senders[message.platform];
      if (!sender) continue;
      try {
        await sender.sendWatch(message.target, { items: message.items, more: message.more });
        sent++;
        for (const item of message.items) reached.set(item.key, item.signature);
      } catch (err) {
        failed++;
        unreachable.add(targetKey(message));
        // Ids only: the target's user or channel id is not personal data, its items' clients are not logged.
        deps.logger.warn(
          { err, firmId, platform: message.platform, items: message.items.length },
          "a watch message could not be delivered",
        );
      }
    }
  };
  await deliver(messages);
  // What an unreachable channel or person was to be told goes to the advisors' private chats, else to
  // whoever asked for the firm's activation; what nobody could be told comes back the next day.
  const missed = list.items.filter((i) => !reached.has(i.key));
  if (missed.length > 0) {
    const fallback = await planMessages(deps, senders, firmId, missed, 0, { channels: false, skip: unreachable });
    await deliver(fallback);
    messages.push(...fallback);
  }
  const items = [...reached].map(([key, signature]) => ({ key, signature }));
  const now = deps.now();
  await deps.store.unit("finishWatchRun", async (tx) => {
    await tx.setWatchRunSent(firmId, day, sent);
    await tx.recordWatchItemsSent(firmId, items, now);
    if (sent > 0) {
      await tx.audit({
        firmId,
        action: "watch.sent",
        actor: { platform: "cli", id: "watch" },
        details: { items: items.length, messages: sent, day },
        now,
      });
    }
  });
  deps.logger.info({ event: "watch_sent", firmId, messages: sent, items: reached.size, failed }, "watch sent");
  return { firmId, outcome: "sent", messages, failed };
}

/**
 * Who gets which items: on each platform of the firm, its alerts channel
 * (every item) when one is set, else each advisor who created or sent the
 * licence of an item's client (their items). An item nobody can be told
 * about goes to whoever asked for the firm's activation.
 */
async function planMessages(
  deps: Deps,
  senders: Partial<Record<Platform, WatchSender>>,
  firmId: number,
  items: WatchItem[],
  more: number,
  opts: { channels: boolean; skip?: ReadonlySet<string> } = { channels: true },
): Promise<WatchMessage[]> {
  const messages: WatchMessage[] = [];
  const workspaces = (await deps.store.watchWorkspaces(firmId)).filter((w) => senders[w.platform]);
  const workspaceOf = (platform: Platform) => workspaces.find((w) => w.platform === platform)?.externalId;
  const told = new Set<string>();
  const byUser = new Map<string, WatchMessage>();
  const tell = (platform: Platform, userId: string, item: WatchItem) => {
    const workspaceId = workspaceOf(platform);
    if (!workspaceId || opts.skip?.has(`${platform}:user:${userId}`)) return false;
    const key = `${platform}:${userId}`;
    let message = byUser.get(key);
    if (!message) {
      message = { platform, target: { workspaceId, userId }, items: [], more };
      byUser.set(key, message);
    }
    if (!message.items.includes(item)) message.items.push(item);
    return true;
  };
  const channelled = new Set<Platform>();
  for (const w of opts.channels ? workspaces : []) {
    const channel = await deps.store.alertsChannel(firmId, w.platform);
    if (!channel) continue;
    channelled.add(w.platform);
    messages.push({ platform: w.platform, target: { workspaceId: w.externalId, channel }, items, more });
    for (const item of items) told.add(item.key);
  }
  const advisors = await deps.store.watchAdvisors(
    firmId,
    items.map((i) => i.clientId),
  );
  for (const item of items) {
    for (const a of advisors.get(item.clientId) ?? []) {
      if (channelled.has(a.platform)) continue;
      if (tell(a.platform, a.userId, item)) told.add(item.key);
    }
  }
  const untold = items.filter((i) => !told.has(i.key));
  const requester = untold.length > 0 ? await deps.store.firmRequester(firmId) : undefined;
  if (requester) for (const item of untold) tell(requester.platform, requester.userId, item);
  return [...messages, ...byUser.values()];
}

/** Who a message goes to, to tell a retry not to try the same person or channel again. */
function targetKey(message: WatchMessage): string {
  const t = message.target;
  return "channel" in t ? `${message.platform}:channel:${t.channel.channelId}` : `${message.platform}:user:${t.userId}`;
}
