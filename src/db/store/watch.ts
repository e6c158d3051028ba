/**
 * The watch area of the storage interface (src/db/store/index.ts): the daily
 * watch (its items, who is told, the once-a-day claim, mutes, the alerts
 * channel) and the export links. The rules (a run sends a firm's day once, a
 * link serves once, a person holds a few live links at most) are decided in
 * the handlers; these methods only know rows. See docs/architecture.md,
 * "Storage" and "The daily watch".
 */
import type { Platform } from "../types.ts";

/** A licence whose details were sent and that no installation activated. */
export interface UnactivatedRow {
  licenceId: number;
  clientId: number;
  clientName: string;
  detailsSentAt: number;
}

/** A self-managed client whose app has not been in contact. */
export interface SilentRow {
  licenceId: number;
  clientId: number;
  clientName: string;
  /** The installation's last contact, else when it was linked, else when self-management was ticked. */
  lastContactAt: number;
}

/** A notification of a client the firm watches, close to its fecha máxima de lectura and not handled. */
export interface DeadlineRow {
  notificationId: number;
  clientId: number;
  clientName: string;
  organismo: string;
  asunto: string;
  fechaMaxLectura: number;
}

/** One kind of the watch's items: the first `limit` rows and how many there are in all. */
export interface WatchSlice<T> {
  rows: T[];
  total: number;
}

export interface WatchQuery {
  firmId: number;
  /** Details sent at or before this instant count as unactivated. */
  sentBefore: number;
  /** A last contact at or before this instant counts as silent. */
  silentBefore: number;
  /** Deadlines in [deadlineFrom, deadlineTo). */
  deadlineFrom: number;
  deadlineTo: number;
  /** Only items never sent or whose signature changed since (the run); else every open item (the dashboard). */
  fresh: boolean;
  /** Rows of each kind. */
  limit: number;
}

export interface WatchItemsFound {
  unactivated: WatchSlice<UnactivatedRow>;
  silent: WatchSlice<SilentRow>;
  deadline: WatchSlice<DeadlineRow>;
}

/** A firm's alerts channel on one platform: its id, and the adapter's opaque reference to post there. */
export interface AlertsChannel {
  channelId: string;
  ref: string;
}

/** One client as the export writes it: its data, its live licence, its current installation's last contact. */
export interface ExportRow {
  id: number;
  taxId: string;
  name: string;
  contactPerson: string | null;
  email: string | null;
  phone: string | null;
  selfManaged: boolean;
  createdAt: number;
  licence: {
    number: string;
    state: "active" | "deactivated";
    linked: boolean;
    detailsSentAt: number | null;
    /** The bound installation's last validation or report (null when none or never). */
    lastSeenAt: number | null;
  } | null;
}

/** Who asked for a link, and where (the CSV's language is theirs). */
export interface ExportLink {
  firmId: number;
  platform: Platform;
  userId: string;
  locale: string;
}

/** A stored link, as opening it finds it. */
export interface ExportLinkRow extends ExportLink {
  expiresAt: number;
  usedAt: number | null;
}

export interface WatchReads {
  /** The watch's open items of one firm, each kind bounded by `limit`, with its total. */
  watchItems(w: WatchQuery): Promise<WatchItemsFound>;
  /** The chat users who created or sent the licences of these clients, by client. */
  watchAdvisors(firmId: number, clientIds: number[]): Promise<Map<number, { platform: Platform; userId: string }[]>>;
  /** Active firms by id, keyset-paged (the run walks them all). */
  activeFirmIds(afterId: number, limit: number): Promise<number[]>;
  /** The firm's workspaces (a Slack team, a Teams tenant): where its messages go. */
  watchWorkspaces(firmId: number): Promise<{ platform: Platform; externalId: string }[]>;
  /** Who asked for the firm's activation (the last approved request): told what no advisor of a client can be. */
  firmRequester(firmId: number): Promise<{ platform: Platform; userId: string } | undefined>;
  /** The firm's alerts channel of a platform, if one is set. */
  alertsChannel(firmId: number, platform: Platform): Promise<AlertsChannel | undefined>;
  /** A notification of the firm, for a mute (its client is what the trail records). */
  findNotification(firmId: number, notificationId: number): Promise<{ id: number; clientId: number } | undefined>;
  /** One page of the firm's clients by (name, id), after the previous page's last row: a keyset read. */
  exportPage(firmId: number, after: { name: string; id: number } | undefined, limit: number): Promise<ExportRow[]>;
  /** A link by the hash of its secret, used or not. */
  exportLink(tokenHash: string): Promise<ExportLinkRow | undefined>;
  /** How many unused, unexpired links the person holds. */
  liveExportLinks(person: Omit<ExportLink, "locale">, now: number): Promise<number>;
}

export interface WatchWrites {
  /** The alerts channel as `alertsChannel` reads it, its row locked until the unit ends (PostgreSQL). */
  alertsChannelForUpdate(firmId: number, platform: Platform): Promise<AlertsChannel | undefined>;
  /** Sets (or, with null, removes) the firm's alerts channel of a platform. */
  putAlertsChannel(firmId: number, platform: Platform, channel: AlertsChannel | null, now: number): Promise<void>;
  /** What a claimed run sent: the count of messages on its (firm, day) row. */
  setWatchRunSent(firmId: number, day: string, messages: number): Promise<void>;
  /** The items a run told someone about, with their signature: unchanged, they are not sent again. */
  recordWatchItemsSent(firmId: number, items: { key: string; signature: string }[], now: number): Promise<void>;
  /** Mutes one item: left out until its signature changes (see the watch's queries). */
  muteWatchItem(input: { firmId: number; key: string; signature: string; mutedBy: string; now: number }): Promise<void>;
  /** Stores a new link (by the hash of its secret). */
  insertExportLink(input: ExportLink & { tokenHash: string; expiresAt: number; now: number }): Promise<void>;
  /** Removes links that expired before `before` (a late click within a day still reads "caducado"). */
  purgeExportLinks(before: number): Promise<void>;
  /**
   * Marks the link used, in the statement that checks it is unused and
   * unexpired: of any number of requests at once, one gets the link back.
   */
  useExportLink(tokenHash: string, now: number): Promise<ExportLink | undefined>;
}

export interface WatchStatements {
  /**
   * Claims the firm's watch of a day: true for exactly one caller, whichever
   * instance or process it runs in (the (firm, day) row is the claim).
   */
  claimWatchRun(firmId: number, day: string, now: number): Promise<boolean>;
}
