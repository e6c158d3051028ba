import type { AuditEvent, ClientRecord } from "../db/index.ts";
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
  const client =
    "number" in ref ? clientOfNumber(deps, firm.id, ref.number) : deps.store.getClientByTaxId(firm.id, ref.taxId);
  if (!client) throw notFound("licence.notFound");
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  return {
    clientName: client.name,
    taxId: client.taxId,
    events: deps.store.history(firm.id, client.id, limit),
  };
}

/** The client of a licence number ever issued to the firm, deleted licences included. */
function clientOfNumber(deps: Deps, firmId: number, number: string): ClientRecord | undefined {
  const issued = deps.store.findAnyLicenceByNumber(firmId, number);
  return issued && deps.store.getClient(firmId, issued.clientId);
}
