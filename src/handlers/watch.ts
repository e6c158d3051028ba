import { watchItemKey } from "../db/index.ts";
import type { Deps } from "./context.ts";
import { DAYS, madridDaysBetween, madridTime } from "./watch-clock.ts";

/** How many items of each kind a watch reads; the rest are counted ("y 40 más"). */
export const WATCH_LIMIT = 100;

interface ItemBase {
  /** The item's key in watch_items ("unactivated:12"): what a mute names. */
  key: string;
  /** What the item says; a change makes it news again (docs/architecture.md, "The daily watch"). */
  signature: string;
  clientId: number;
  clientName: string;
}

/** A licence whose details were sent `days` days ago and that no installation activated. */
export interface UnactivatedItem extends ItemBase {
  kind: "unactivated";
  licenceId: number;
  detailsSentAt: number;
  days: number;
}

/** A self-managed client whose app has not been in contact for `days` days. */
export interface SilentItem extends ItemBase {
  kind: "silent";
  licenceId: number;
  lastContactAt: number;
  days: number;
}

/** A notification of a client the firm watches, `daysLeft` days (0: today) from its fecha máxima de lectura. */
export interface DeadlineItem extends ItemBase {
  kind: "deadline";
  notificationId: number;
  organismo: string;
  asunto: string;
  fechaMaxLectura: number;
  daysLeft: number;
}

export type WatchItem = UnactivatedItem | SilentItem | DeadlineItem;

export interface WatchList {
  /** Deadlines first (the most urgent), then licences never activated, then silent apps; at most WATCH_LIMIT of each. */
  items: WatchItem[];
  /** How many open items of each kind there are in all. */
  counts: { unactivated: number; silent: number; deadline: number };
  /** Items counted but not in `items`. */
  more: number;
}

/**
 * What the watch would report for one firm at `deps.now()`, muted items left
 * out. `fresh` (the daily run) also leaves out what was already sent and has
 * not changed since.
 */
export async function watchList(
  deps: Deps,
  firmId: number,
  opts: { fresh: boolean; limit?: number },
): Promise<WatchList> {
  const now = deps.now();
  const { unactivatedDays, silentDays, deadlineDays } = deps.watch;
  const limit = opts.limit ?? WATCH_LIMIT;
  const found = await deps.store.watchItems({
    firmId,
    sentBefore: now - unactivatedDays * DAYS,
    silentBefore: now - silentDays * DAYS,
    // From the start of today (a deadline today is still open) to the end of the last day of the window.
    deadlineFrom: madridTime(now, 0, 0),
    deadlineTo: madridTime(now, deadlineDays + 1, 0),
    fresh: opts.fresh,
    limit,
  });
  const days = (since: number) => Math.max(0, Math.floor((now - since) / DAYS));
  const items: WatchItem[] = [
    ...found.deadline.rows.map((r): DeadlineItem => {
      const daysLeft = madridDaysBetween(now, r.fechaMaxLectura);
      return {
        kind: "deadline",
        key: watchItemKey.deadline(r.notificationId),
        signature: `${r.fechaMaxLectura}:${daysLeft}`,
        ...r,
        daysLeft,
      };
    }),
    ...found.unactivated.rows.map(
      (r): UnactivatedItem => ({
        kind: "unactivated",
        key: watchItemKey.unactivated(r.licenceId),
        signature: String(r.detailsSentAt),
        ...r,
        days: days(r.detailsSentAt),
      }),
    ),
    ...found.silent.rows.map(
      (r): SilentItem => ({
        kind: "silent",
        key: watchItemKey.silent(r.licenceId),
        signature: String(r.lastContactAt),
        ...r,
        days: days(r.lastContactAt),
      }),
    ),
  ];
  const counts = {
    unactivated: found.unactivated.total,
    silent: found.silent.total,
    deadline: found.deadline.total,
  };
  return { items, counts, more: counts.unactivated + counts.silent + counts.deadline - items.length };
}

/**
 * The firm's open watch items at `deps.now()` (the dashboard's list): what
 * the firm should act on, muted items left out, whether sent before or not.
 */
export async function openWatchItems(deps: Deps, firmId: number, opts: { limit?: number } = {}): Promise<WatchList> {
  return await watchList(deps, firmId, { fresh: false, ...opts });
}
