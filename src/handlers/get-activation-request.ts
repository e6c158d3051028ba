import type { ActivationRequest } from "../db/index.ts";
import { notFound } from "../errors.ts";
import { type Actor, type Deps, requireSupport } from "./context.ts";

/** For support: one activation request, whatever its state (to redraw its card). */
export async function getActivationRequest(deps: Deps, actor: Actor, requestId: number): Promise<ActivationRequest> {
  requireSupport(deps, actor);
  const request = await deps.store.getActivationRequest(requestId);
  if (!request) throw notFound("activation.requestNotFound");
  return request;
}
