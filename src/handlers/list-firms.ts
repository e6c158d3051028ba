import type { FirmRow, Page } from "../db/index.ts";
import { type Actor, type Deps, requireSupport } from "./context.ts";

export const FIRM_PAGE_SIZE = 20;

/** For support: the firms by name with their activation state, workspaces and live licences, keyset-paged. */
export async function listFirms(
  deps: Deps,
  actor: Actor,
  input: { after?: string | undefined; limit?: number } = {},
): Promise<Page<FirmRow>> {
  requireSupport(deps, actor);
  const limit = Math.min(Math.max(input.limit ?? FIRM_PAGE_SIZE, 1), 50);
  return await deps.store.listFirms({ after: input.after, limit });
}
