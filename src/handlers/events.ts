import type { Platform } from "../db/index.ts";
import type { Deps } from "./context.ts";

/**
 * What an operator follows in the log without opening the database: one
 * info line per business event, written after its unit of work committed.
 * Only ids and states: never a tax id, a name, an e-mail or a licence number
 * (see docs/architecture.md, logging). The types allow nothing else.
 */
const EVENTS = {
  "activation.requested": "activation requested",
  "activation.approved": "activation approved",
  "activation.rejected": "activation rejected",
  "firm.revoked": "firm revoked",
  "licence.created": "licence created",
  "licence.deactivated": "licence deactivated",
  "licence.reactivated": "licence reactivated",
  "licence.unlinked": "licence unlinked",
  "licence.deleted": "licence deleted",
  "licence.detailsSent": "licence details sent",
  "client.selfManagedChanged": "self-managed changed",
  "installation.activated": "installation activated",
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
  /** The change cleared "gestiona sus propias notificaciones". */
  selfManagedCleared?: boolean;
}

export function logEvent(deps: Pick<Deps, "logger">, event: BusinessEvent, facts: EventFacts): void {
  deps.logger.info({ event, ...facts }, EVENTS[event]);
}
