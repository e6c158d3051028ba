import type { AuditEvent } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf, parseLicenceRef } from "./context.ts";

export interface History {
  clientName: string;
  taxId: string;
  events: AuditEvent[];
}

/** The audit trail of a licence (deleted ones included) or of a client, newest first. */
export function getHistory(deps: Deps, actor: Actor, input: { text: string; limit?: number }): History {
  const firm = firmOf(deps, actor);
  const ref = parseLicenceRef(input.text);
  let clientId: number | undefined;
  if ("number" in ref) {
    clientId = deps.store.findAnyLicenceByNumber(firm.id, ref.number)?.clientId;
  } else if ("taxId" in ref) {
    clientId = deps.store.getClientByTaxId(firm.id, ref.taxId)?.id;
  }
  const client = clientId === undefined ? undefined : deps.store.getClient(firm.id, clientId);
  if (!client) throw notFound("licence.notFound");
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  return {
    clientName: client.name,
    taxId: client.taxId,
    events: deps.store.history(firm.id, { clientId: client.id }, limit),
  };
}
