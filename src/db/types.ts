/** What src/db hands back to the use cases: plain data, no drizzle types. */

export type Platform = "slack" | "teams";
export type ActivationState = "not_requested" | "pending" | "active" | "rejected" | "revoked";

/** Who did something, for the audit trail. */
export interface AuditActor {
  platform: Platform | "client_app" | "cli";
  id: string;
}

export interface Firm {
  id: number;
  name: string;
  activationState: ActivationState;
  activationChangedAt: number | null;
}

/** A firm as support's list shows it: state, workspaces and live licences. */
export interface FirmRow extends Firm {
  workspaces: { platform: Platform; externalId: string }[];
  licences: number;
}

export interface ActivationRequest {
  id: number;
  firmId: number;
  firmName: string;
  /** The workspace / tenant ids that identify the firm. */
  firmWorkspaces: { platform: Platform; externalId: string }[];
  platform: Platform;
  requesterId: string;
  requesterName: string | null;
  requesterLocale: string;
  message: string;
  status: "pending" | "approved" | "rejected";
  decidedBy: string | null;
  decidedByName: string | null;
  decidedByPlatform: Platform | null;
  decidedAt: number | null;
  reason: string | null;
  supportRef: string | null;
  requesterRef: string | null;
  createdAt: number;
}

export interface ClientRecord {
  id: number;
  firmId: number;
  taxId: string;
  name: string;
  contactPerson: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
  selfManaged: boolean;
  /** When "gestiona sus propias notificaciones" was ticked; null while it is not. */
  selfManagedAt: number | null;
}

export interface LicenceRecord {
  id: number;
  firmId: number;
  number: string;
  state: "active" | "deactivated";
  linked: boolean;
  linkedAt: number | null;
  /** When the licence details were last sent ("Enviar datos de licencia"). */
  detailsSentAt: number | null;
  /** The last validation or report of the current installation (null while unlinked). */
  lastContactAt: number | null;
  createdAt: number;
  client: ClientRecord;
}

export interface ClientRow extends ClientRecord {
  licence: { id: number; number: string; state: "active" | "deactivated"; linked: boolean } | null;
}

export interface NotificationRow {
  id: number;
  externalId: string;
  clientId: number;
  clientName: string;
  clientTaxId: string;
  organismo: string;
  asunto: string;
  fechaPuestaDisposicion: number;
  fechaMaxLectura: number | null;
  estado: string;
  selfManaged: boolean;
  handledAt: number | null;
}

export interface AuditEvent {
  id: number;
  action: string;
  actorPlatform: string;
  actorId: string;
  details: Record<string, unknown>;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque key of the next page, absent on the last one. */
  next?: string;
}

export interface ClientInput {
  taxId: string;
  name: string;
  contactPerson?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  notes?: string | undefined;
}

export interface NotificationInput {
  externalId: string;
  taxId?: string;
  organismo: string;
  asunto: string;
  fechaPuestaDisposicion: number;
  fechaMaxLectura?: number | undefined;
  estado: string;
}

/** Outcomes the client app sees, exactly the codes of its API. */
export type ActivationOutcome =
  | { code: "ACTIVATED"; licenceId: number }
  | { code: "NOT_FOUND" | "DEACTIVATED" | "ALREADY_LINKED" | "FEATURE_DISABLED" };

export type ValidationOutcome =
  | { code: "VALID"; firmId: number; licenceId: number; clientId: number }
  | { code: "UNLINKED" | "DEACTIVATED" | "NOT_FOUND" | "FEATURE_DISABLED" };

/** Failed attempts counted against one key of the client API's limits. */
export interface FailureWindow {
  count: number;
  windowStart: number;
}

export type ReportOutcome =
  | { code: "ACCEPTED"; created: number; updated: number }
  | { code: Exclude<ValidationOutcome["code"], "VALID"> };
