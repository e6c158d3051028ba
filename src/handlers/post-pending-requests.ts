import type { Deps } from "./context.ts";
import { postToSupport } from "./request-activation.ts";

/** A claim older than this is taken over: its instance crashed (or hangs) before posting. */
export const SUPPORT_CLAIM_STALE_MS = 2 * 60 * 1000;
/** Requests claimed per round; the rest wait for the next one. */
const BATCH = 20;

/**
 * Posts the pending requests that never reached the support channel (it was
 * not reachable when they were made, or their instance stopped before
 * posting). Called by a timer on every instance and when the channel becomes
 * reachable (e.g. the Teams bot learns its conversation). Each request is
 * claimed before it is posted, so two instances never post the same one
 * (docs/architecture.md, "Several instances").
 */
export async function postPendingRequests(deps: Deps): Promise<number> {
  let posted = 0;
  for (;;) {
    const now = deps.now();
    const claimed = await deps.store.claimUnpostedRequests(now, now - SUPPORT_CLAIM_STALE_MS, BATCH);
    let round = 0;
    for (const request of claimed) {
      if (await postToSupport(deps, request)) round++;
    }
    posted += round;
    // A failed post gave its claim back: the next round of the timer takes it, not this loop.
    if (claimed.length < BATCH || round < claimed.length) return posted;
  }
}
