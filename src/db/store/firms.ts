/**
 * The firms area of the storage interface (src/db/store/index.ts): firms and
 * their workspaces, activation requests, the audit trail's insert, stored
 * references, Slack installations and remembered requests. The rules
 * (one firm per workspace, one pending request per firm, the first decision
 * wins…) are decided in the handlers; these only know rows.
 */
import type { ActivationRequest, ActivationState, AuditActor, Firm, FirmRow, Page, Platform } from "../types.ts";

/** A workspace (Slack team or Grid org, Teams tenant) with the firm it identifies. */
export interface WorkspaceFirm {
  firm: Firm;
  workspaceId: number;
  /** The workspace's own name as last seen (null when the platform gave none). */
  workspaceName: string | null;
}

export interface FirmReads {
  /** The firm of a workspace, with the workspace's row (null name: never given). */
  workspaceFirm(platform: Platform, externalId: string): Promise<WorkspaceFirm | undefined>;
  /** Read-only lookup: the firm of a workspace, if it was ever registered. */
  findFirm(platform: Platform, externalId: string): Promise<Firm | undefined>;
  getFirm(firmId: number): Promise<Firm | undefined>;
  /** One firm as support's list shows it. */
  getFirmRow(firmId: number): Promise<FirmRow | undefined>;
  /** Firms by name with their workspaces and live licences, for support; keyset-paged. */
  listFirms(opts: { after?: string | undefined; limit: number }): Promise<Page<FirmRow>>;
  getActivationRequest(id: number): Promise<ActivationRequest | undefined>;
  /** The request that activated the firm (its requester is told about a revocation). */
  lastApprovedRequest(firmId: number): Promise<ActivationRequest | undefined>;
  listPendingRequests(limit: number): Promise<ActivationRequest[]>;
}

export interface AuditEntry {
  firmId: number;
  action: string;
  actor: AuditActor;
  now: number;
  licenceId?: number | undefined;
  clientId?: number | undefined;
  requestId?: number | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface NewActivationRequest {
  firmId: number;
  platform: Platform;
  requesterId: string;
  requesterName?: string | undefined;
  requesterLocale: string;
  message: string;
  requesterRef?: string | undefined;
  now: number;
}

export interface Decision {
  status: "approved" | "rejected";
  decider: { platform: Platform; id: string; name?: string | undefined };
  reason?: string | undefined;
  now: number;
}

export interface FirmWrites {
  /** One audit event, in the unit of the change it records. */
  audit(entry: AuditEntry): Promise<void>;
  /** The firm, locked until the unit ends (PostgreSQL: FOR NO KEY UPDATE). */
  firmForUpdate(firmId: number): Promise<Firm | undefined>;
  /** The request, locked until the unit ends; the first thing a decision locks (docs/architecture.md, "Lock order"). */
  requestForUpdate(id: number): Promise<ActivationRequest | undefined>;
  insertFirm(input: { name: string; now: number }): Promise<Firm>;
  /** Registers a workspace for a firm; false when the workspace already has a row (another unit won). */
  insertWorkspace(input: {
    firmId: number;
    platform: Platform;
    externalId: string;
    name: string | null;
    now: number;
  }): Promise<boolean>;
  /** Removes a firm nothing refers to yet (one inserted by this unit for a workspace another unit registered). */
  deleteFirm(firmId: number): Promise<void>;
  renameWorkspace(workspaceId: number, name: string): Promise<void>;
  renameFirm(firmId: number, name: string): Promise<void>;
  setActivationState(firmId: number, state: ActivationState, now: number): Promise<Firm>;
  /**
   * A new pending request, claimed for posting to support by its creator
   * (`support_claimed_at` = now: the unposted-request retry leaves it alone
   * while the creator posts it). Returns its id.
   */
  insertActivationRequest(input: NewActivationRequest): Promise<number>;
  /** Records a decision on a request still pending; false when it was not pending any more. */
  recordDecision(requestId: number, decision: Decision): Promise<boolean>;
  /** Clears "gestiona sus propias notificaciones" on every client of the firm; the ids cleared. */
  clearSelfManaged(firmId: number, now: number): Promise<number[]>;
}

export interface FirmStatements {
  /** Stores an opaque reference (a conversation reference, a channel to post in…); the last write wins. */
  putRef(kind: string, key: string, value: string, now: number): Promise<void>;
  getRef(kind: string, key: string): Promise<string | undefined>;
  deleteRef(kind: string, key: string): Promise<void>;
  saveSlackInstallation(
    key: string,
    value: { teamId?: string | undefined; enterpriseId?: string | undefined; installation: string },
    now: number,
  ): Promise<void>;
  getSlackInstallation(key: string): Promise<string | undefined>;
  deleteSlackInstallation(key: string): Promise<void>;
  /**
   * Remembers a key until `expiresAt`; true when it was not remembered yet
   * (or only by a row that has expired). One statement: of two instances
   * racing on the same key, exactly one adds or renews the row.
   */
  rememberRequest(key: string, expiresAt: number, now: number): Promise<boolean>;
  /** The reference of the request's message in the support channel; ends the posting claim. */
  setSupportRef(requestId: number, ref: string): Promise<void>;
  /**
   * Claims up to `limit` pending requests never posted to support and not
   * claimed since `staleBefore` (their poster crashed, or gave up), for this
   * caller only: two instances never get the same request.
   */
  claimUnpostedRequests(now: number, staleBefore: number, limit: number): Promise<ActivationRequest[]>;
  /** Gives a claim back (the post failed), so that the next retry may take the request at once. */
  releaseSupportClaim(requestId: number): Promise<void>;
}
