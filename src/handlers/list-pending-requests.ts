import type { ActivationRequest, Firm, Platform } from "../db/index.ts";
import { type Actor, type Deps, requireSupport } from "./context.ts";

/** For support: the requests waiting for a decision, oldest first. */
export function listPendingRequests(deps: Deps, actor: Actor, limit = 20): ActivationRequest[] {
  requireSupport(deps, actor);
  return deps.store.listPendingRequests(Math.min(Math.max(limit, 1), 50));
}

/** For support: every firm with its activation state and live licences. */
export function listFirms(
  deps: Deps,
  actor: Actor,
): (Firm & { workspaces: { platform: Platform; externalId: string }[]; licences: number })[] {
  requireSupport(deps, actor);
  return deps.store.listFirms();
}
