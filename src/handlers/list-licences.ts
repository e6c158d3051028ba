import type { Page } from "../db/index.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";
import { type LicenceWithStatus, withStatus } from "./get-licence.ts";

export const PAGE_SIZE = 10;

/** "Licencias PYMES generadas": the firm's live licences by client name, keyset-paged, each with its handover state. */
export async function listLicences(
  deps: Deps,
  actor: Actor,
  input: { after?: string | undefined; limit?: number } = {},
): Promise<Page<LicenceWithStatus> & { total: number }> {
  const firm = await firmOf(deps, actor);
  const limit = Math.min(Math.max(input.limit ?? PAGE_SIZE, 1), 50);
  const page = await deps.store.listLicences(firm.id, { after: input.after, limit });
  return {
    ...page,
    items: page.items.map((licence) => withStatus(deps, licence)),
    total: await deps.store.countLicences(firm.id),
  };
}
