import type { Deps } from "./context.ts";

/**
 * Marks a request (a signature, an event id) as seen for `ttlMs`; true the
 * first time. Kept in the database so that every instance agrees: the same
 * signed request sent twice, to one instance or to two, is processed once.
 */
export async function rememberRequest(deps: Deps, key: string, ttlMs: number): Promise<boolean> {
  const now = deps.now();
  return await deps.store.rememberRequest(key, now + ttlMs, now);
}
