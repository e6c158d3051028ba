import type { ClientRow, Page } from "../db/index.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";
import { PAGE_SIZE } from "./list-licences.ts";

/** The firm's clients with the columns "Licencia PYME" and "Autogestiona". */
export async function listClients(
  deps: Deps,
  actor: Actor,
  input: { after?: string | undefined; limit?: number } = {},
): Promise<Page<ClientRow>> {
  const firm = await firmOf(deps, actor);
  const limit = Math.min(Math.max(input.limit ?? PAGE_SIZE, 1), 50);
  return await deps.store.listClients(firm.id, { after: input.after, limit });
}
