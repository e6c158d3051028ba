import type { Platform } from "../db/index.ts";
import type { Deps } from "./context.ts";

/**
 * What an operator follows in the log without opening the database: one
 * info line per business event, written after its unit of work committed.
 * Only ids and states: never a tax id, a name, an e-mail or a licence number
 * (see docs/architecture.md, Logs). The types allow nothing else.
 */
const EVENTS = {
  activation_requested: "activation requested",
  activation_approved: "activation approved",
  activation_rejected: "activation rejected",
  firm_revoked: "firm revoked",
  licence_created: "licence created",
  licences_bulk_created: "licences created in bulk",
  licence_deactivated: "licence deactivated",
  licence_reactivated: "licence reactivated",
  licence_unlinked: "licence unlinked",
  licence_deleted: "licence deleted",
  licence_details_sent: "licence details sent",
  self_managed_changed: "self-managed changed",
  installation_activated: "installation activated",
  export_link_created: "export link created",
  export_downloaded: "export downloaded",
} as const;

export type BusinessEvent = keyof typeof EVENTS;

export interface EventFacts {
  /** The platform of the person who acted (or asked). */
  platform?: Platform;
  firmId?: number;
  requestId?: number;
  licenceId?: number;
  clientId?: number;
  selfManaged?: boolean;
  /** A bulk issue's counts: lines pasted, licences created, lines refused in the preview, lines that failed. */
  lines?: number;
  created?: number;
  refused?: number;
  failed?: number;
  /** The change cleared "gestiona sus propias notificaciones". */
  selfManagedCleared?: boolean;
}

export function logEvent(deps: Pick<Deps, "logger">, event: BusinessEvent, facts: EventFacts): void {
  deps.logger.info({ event, ...facts }, EVENTS[event]);
}
