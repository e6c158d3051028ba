/**
 * The client-app area of the storage interface (src/db/store/index.ts): the
 * desktop app's installations, the notifications it reports or a firm
 * imports, and the failed-attempt counters. The rules (binds once, the token
 * checked with the write, NOT_FOUND for a wrong tax id) are the handlers'.
 */
import type { ActivationState, FailureWindow, NotificationInput, NotificationRow, Page } from "../types.ts";

export interface InstallationRow {
  id: number;
  licenceId: number;
  /** The hash the desktop app computes for its machine. */
  installationKey: string;
  lastSeenAt: number | null;
  unlinkedAt: number | null;
}

/** What the client app's rules look at of a licence. */
export interface LicenceStanding {
  id: number;
  firmId: number;
  clientId: number;
  state: "active" | "deactivated";
  installationId: number | null;
  deletedAt: number | null;
}

/** A live licence by its number, with its client's tax id and its firm's state. */
export interface LicenceForActivation {
  licence: LicenceStanding;
  clientTaxId: string;
  firmState: ActivationState;
}

/** The installation of a token, its licence and its firm's state. */
export interface TokenLookup {
  installation: InstallationRow;
  licence: LicenceStanding;
  firmState: ActivationState;
}

/** A notification the client app reports as handled. */
export interface ReportedNotification extends NotificationInput {
  firmId: number;
  clientId: number;
}

/** A notification of the firm's own file. */
export interface ImportedNotification extends NotificationInput {
  firmId: number;
  clientId: number;
}

export interface ClientAppReads {
  /**
   * A token's installation and licence, with the failed-attempt window of
   * `limitKey` read by the same statement (a known token needs no second
   * query to learn whether its address is locked out).
   */
  installationByToken(
    tokenHash: string,
    limitKey?: string,
  ): Promise<{ found?: TokenLookup | undefined; window?: FailureWindow | undefined }>;
  installation(id: number): Promise<InstallationRow | undefined>;
  /** The firm's client ids by tax id, for the tax ids it has. */
  clientIdsByTaxId(firmId: number, taxIds: string[]): Promise<Map<string, number>>;
  /** Newest first (then the latest stored first), keyset-paged by (date, id). */
  listNotifications(
    firmId: number,
    opts: { clientId?: number | undefined; after?: string | undefined; limit: number },
  ): Promise<Page<NotificationRow>>;
  /** Failed attempts in the current window for each key, with when that window started. */
  failureCounts(keys: string[], now: number, windowMs: number): Promise<Map<string, FailureWindow>>;
}

export interface ClientAppWrites {
  /** The live licence of a number; PostgreSQL locks the licence row (`FOR NO KEY UPDATE`) until the unit ends. */
  licenceByNumberForUpdate(number: string): Promise<LicenceForActivation | undefined>;
  /**
   * A token's installation and licence; PostgreSQL holds both `FOR SHARE`
   * (licence first), so a deactivation or an unlink in flight is waited for.
   */
  installationByTokenForShare(tokenHash: string): Promise<TokenLookup | undefined>;
  /** A new installation of a licence; its id. */
  insertInstallation(row: {
    licenceId: number;
    installationKey: string;
    tokenHash: string;
    now: number;
  }): Promise<number>;
  /** The licence bound to that installation. */
  linkLicence(licenceId: number, installationId: number, now: number): Promise<void>;
  /** A fresh token for an installation (the old one stops working). */
  renewInstallationToken(installationId: number, tokenHash: string, now: number): Promise<void>;
  /**
   * Inserts the reported notifications the firm does not have yet (by
   * external id, `ON CONFLICT DO NOTHING`), as self-managed; returns the
   * external ids inserted.
   */
  insertReportedNotifications(rows: ReportedNotification[], now: number): Promise<Set<string>>;
  /**
   * Marks the firm's notification of that external id self-managed, only
   * when it is that client's and not self-managed yet; whether it changed.
   */
  markNotificationSelfManaged(
    row: { firmId: number; clientId: number; externalId: string; estado: string },
    now: number,
  ): Promise<boolean>;
  /** Inserts the notifications the firm does not have yet (`ON CONFLICT DO NOTHING`); how many were new. */
  insertImportedNotifications(rows: ImportedNotification[], now: number): Promise<number>;
}

export interface ClientAppStatements {
  /** When an installation was last seen. */
  touchInstallation(installationId: number, now: number): Promise<void>;
  /**
   * Counts one failed attempt against each key, a fixed window each: one
   * atomic upsert per key (a new window once the old one has expired), so
   * failures on several instances at once are all counted.
   */
  recordFailure(keys: string[], now: number, windowMs: number): Promise<void>;
  /** Forgets the counters whose window started before `before`, a bounded batch at a time. */
  purgeFailures(before: number): Promise<void>;
}
