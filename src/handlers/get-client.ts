import type { ClientRow } from "../db/index.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { invalid, notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";

/** A client's configuration (with its licence), by tax id as typed. */
export async function getClient(deps: Deps, actor: Actor, input: { taxId: string }): Promise<ClientRow> {
  const taxId = normaliseTaxId(input.taxId);
  if (!taxIdKind(taxId)) throw invalid([{ field: "taxId", message: "field.taxId.invalid" }]);
  const firm = await firmOf(deps, actor);
  const client = await deps.store.getClientByTaxId(firm.id, taxId);
  if (!client) throw notFound("client.notFound");
  return client;
}
