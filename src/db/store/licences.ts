/**
 * The licences area of the storage interface (src/db/store/index.ts):
 * licences, clients, their history and the search. The rules (one live
 * licence per client, numbers never reused, self-management only with an
 * active licence) are decided in the handlers, inside a unit; these methods
 * only know rows. See docs/architecture.md, "Storage" and "Lock order".
 */
import type { AuditActor, AuditEvent, ClientInput, ClientRecord, ClientRow, LicenceRecord, Page } from "../types.ts";

export type LicenceRef = { licenceId: number } | { number: string } | { taxId: string };

export interface PageOptions {
  after?: string | undefined;
  limit: number;
}

export interface HandoverCounts {
  live: number;
  active: number;
  deactivated: number;
  toSend: number;
  toInstall: number;
  selfManaged: number;
  silent: number;
}

/** The client's data as the licence form has it (tax id aside). */
export type ClientFields = Omit<ClientInput, "taxId">;

/** What a transition changes on a licence row. `unlink` frees it from its installation. */
export interface LicencePatch {
  state?: "active" | "deactivated";
  deletedAt?: number;
  unlink?: boolean;
  detailsSentAt?: number;
}

export interface LicenceReads {
  /** The firm's live licence by id, number or its client's tax id, with its client. */
  findLicence(firmId: number, ref: LicenceRef): Promise<LicenceRecord | undefined>;
  /** Live licences ordered by client name (then client id), keyset-paged. */
  listLicences(firmId: number, opts: PageOptions): Promise<Page<LicenceRecord>>;
  /** The dashboard's counts of a firm's licences by where their handover stands. */
  handoverCounts(firmId: number, silentBefore: number): Promise<HandoverCounts>;
  /** How many notifications the client's app reported, and the date of the latest. */
  notificationStats(firmId: number, clientId: number): Promise<{ count: number; latestAt: number | null }>;
  /** The firm's live licences, as the triggers keep `firms.live_licences`: no count over the firm. */
  countLicences(firmId: number): Promise<number>;
  getClientByTaxId(firmId: number, taxId: string): Promise<ClientRow | undefined>;
  getClient(firmId: number, clientId: number): Promise<ClientRecord | undefined>;
  /** Clients ordered by name, with their live licence, keyset-paged. */
  listClients(firmId: number, opts: PageOptions): Promise<Page<ClientRow>>;
  /** The audit trail of a client and its licences (deleted ones included), newest first. */
  history(firmId: number, clientId: number, limit: number): Promise<AuditEvent[]>;
  /** The same trail, keyset-paged by event id. */
  historyPage(firmId: number, clientId: number, opts: PageOptions): Promise<Page<AuditEvent>>;
  /** A licence number ever issued (deleted ones included), to look a deleted licence's client up. */
  findAnyLicenceByNumber(firmId: number, number: string): Promise<{ licenceId: number; clientId: number } | undefined>;
  /** The firm's clients whose name, NIF or e-mail contains the text, accents and case ignored, by name. */
  searchClients(firmId: number, text: string, opts: PageOptions): Promise<Page<ClientRow>>;
}

/**
 * Inside a unit only. The `…ForUpdate` reads lock their row until the unit
 * ends on PostgreSQL (`FOR NO KEY UPDATE`; `…ForShare`: `FOR SHARE`); on
 * SQLite they are the plain reads, the unit holding the write lock. A unit
 * that inserts or deletes a licence locks its firm first (`tx.firmForUpdate`):
 * the `live_licences` trigger updates the firm row after the licence
 * (docs/architecture.md, "Lock order"). Audit rows: `tx.audit`.
 */
export interface LicenceWrites {
  clientForUpdate(firmId: number, key: { clientId: number } | { taxId: string }): Promise<ClientRecord | undefined>;
  /** The firm's live licence locked (taken after its client's row). */
  licenceForUpdate(firmId: number, licenceId: number): Promise<LicenceRecord | undefined>;
  /** The client's live licence's state, the row locked `FOR SHARE` (it cannot change until the unit ends). */
  liveLicenceStateForShare(clientId: number): Promise<"active" | "deactivated" | undefined>;
  /** Inserts the client unless the firm has one with that tax id (`ON CONFLICT DO NOTHING`): the new row, or undefined. */
  insertClientIfAbsent(firmId: number, client: ClientInput, now: number): Promise<ClientRecord | undefined>;
  updateClient(clientId: number, fields: ClientFields, now: number): Promise<ClientRecord>;
  setClientSelfManaged(clientId: number, value: boolean, now: number): Promise<ClientRecord>;
  /** A new active licence; undefined when the number was ever used (`ON CONFLICT (number) DO NOTHING`). */
  insertLicence(row: {
    firmId: number;
    clientId: number;
    number: string;
    now: number;
  }): Promise<LicenceRecord | undefined>;
  /** Changes the licence row; `unlink` also ends its live installation. The licence as it is now. */
  updateLicence(licenceId: number, patch: LicencePatch, now: number): Promise<LicenceRecord>;
}

export interface LicenceStatements {
  /** One bulk issue's counts in the audit trail (each licence has its own `licence.created` already). */
  recordBulkCreated(input: {
    firmId: number;
    actor: AuditActor;
    now: number;
    counts: { lines: number; created: number; refused: number; failed: number };
  }): Promise<void>;
}
