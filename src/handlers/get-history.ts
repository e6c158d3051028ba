import type { AuditEvent, ClientRecord } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf, parseLicenceRef } from "./context.ts";

export interface History {
  clientName: string;
  taxId: string;
  events: AuditEvent[];
  /** Opaque key of the older events, absent when these are the oldest. */
  next?: string;
}

/** The audit trail of a licence (deleted ones included) or of a client, newest first. */
export async function getHistory(
  deps: Deps,
  actor: Actor,
  input: { text: string; limit?: number; after?: string | undefined },
): Promise<History> {
  const firm = await firmOf(deps, actor);
  const ref = parseLicenceRef(input.text);
  const client =
    "number" in ref
      ? await clientOfNumber(deps, firm.id, ref.number)
      : await deps.store.getClientByTaxId(firm.id, ref.taxId);
  if (!client) throw notFound("licence.notFound");
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 100);
  const page = await deps.store.historyPage(firm.id, client.id, { after: input.after, limit });
  return {
    clientName: client.name,
    taxId: client.taxId,
    events: page.items,
    ...(page.next ? { next: page.next } : {}),
  };
}

/** The client of a licence number ever issued to the firm, deleted licences included. */
async function clientOfNumber(deps: Deps, firmId: number, number: string): Promise<ClientRecord | undefined> {
  const issued = await deps.store.findAnyLicenceByNumber(firmId, number);
  return issued && (await deps.store.getClient(firmId, issued.clientId));
}
