import type { Deps } from "./context.ts";
import { postToSupport } from "./request-activation.ts";

/**
 * Posts the pending requests that never reached the support channel (it was
 * not reachable when they were made). Called when the channel becomes
 * reachable, e.g. the Teams bot learns its conversation.
 */
export async function postPendingRequests(deps: Deps): Promise<number> {
  let posted = 0;
  for (const request of await deps.store.listUnpostedRequests()) {
    if (await postToSupport(deps, request)) posted++;
  }
  return posted;
}
