import type { NotificationRow, Page } from "../db/index.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { invalid, notFound } from "../errors.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";
import { PAGE_SIZE } from "./list-licences.ts";

/** The firm's notifications, newest first, with the column "Autogestionada"; optionally one client's. */
export async function listNotifications(
  deps: Deps,
  actor: Actor,
  input: { taxId?: string | undefined; after?: string | undefined; limit?: number } = {},
): Promise<Page<NotificationRow> & { clientName?: string }> {
  const firm = await firmOf(deps, actor);
  let clientId: number | undefined;
  let clientName: string | undefined;
  if (input.taxId) {
    const taxId = normaliseTaxId(input.taxId);
    if (!taxIdKind(taxId)) throw invalid([{ field: "taxId", message: "field.taxId.invalid" }]);
    const client = await deps.store.getClientByTaxId(firm.id, taxId);
    if (!client) throw notFound("client.notFound");
    clientId = client.id;
    clientName = client.name;
  }
  const limit = Math.min(Math.max(input.limit ?? PAGE_SIZE, 1), 50);
  const page = await deps.store.listNotifications(firm.id, { clientId, after: input.after, limit });
  return clientName ? { ...page, clientName } : page;
}
