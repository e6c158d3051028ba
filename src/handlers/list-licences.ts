import type { LicenceRecord, Page } from "../db/index.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";

export const PAGE_SIZE = 10;

/** "Licencias PYMES generadas": the firm's live licences by client name, keyset-paged. */
export function listLicences(
  deps: Deps,
  actor: Actor,
  input: { after?: string | undefined; limit?: number } = {},
): Page<LicenceRecord> & { total: number } {
  const firm = firmOf(deps, actor);
  const limit = Math.min(Math.max(input.limit ?? PAGE_SIZE, 1), 50);
  return {
    ...deps.store.listLicences(firm.id, { after: input.after, limit }),
    total: deps.store.countLicences(firm.id),
  };
}
