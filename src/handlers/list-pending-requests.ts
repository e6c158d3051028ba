import type { ActivationRequest } from "../db/index.ts";
import { type Actor, type Deps, requireSupport } from "./context.ts";

/** For support: the requests waiting for a decision, oldest first. */
export async function listPendingRequests(deps: Deps, actor: Actor, limit = 20): Promise<ActivationRequest[]> {
  requireSupport(deps, actor);
  return await deps.store.listPendingRequests(Math.min(Math.max(limit, 1), 50));
}
