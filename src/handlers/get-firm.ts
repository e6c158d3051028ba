import type { FirmRow } from "../db/index.ts";
import { type Actor, type Deps, requireSupport } from "./context.ts";

/** For support: one firm as the firm list shows it (e.g. for the revoke prompt); undefined when unknown. */
export async function getFirm(deps: Deps, actor: Actor, input: { firmId: number }): Promise<FirmRow | undefined> {
  requireSupport(deps, actor);
  if (!Number.isSafeInteger(input.firmId) || input.firmId < 1) return undefined;
  return await deps.store.getFirmRow(input.firmId);
}
