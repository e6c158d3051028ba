import { z } from "zod";
import type { Firm } from "../db/index.ts";
import { type Actor, auditActor, type Deps, fieldErrors, requireSupport } from "./context.ts";

export const revokeActivationInput = z.object({
  firmId: z.number().int().positive(),
  reason: z.string().trim().max(1000).optional(),
});

/**
 * Support ends a firm's feature (contract ended): its licences stop
 * validating, and its clients no longer count as watching their own
 * mailboxes (the advisor ticks them again after a new approval).
 */
export function revokeActivation(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof revokeActivationInput>,
): Firm & { selfManagedCleared: number } {
  requireSupport(deps, actor);
  const parsed = revokeActivationInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  return deps.store.revokeFirm({
    firmId: parsed.data.firmId,
    actor: auditActor(actor),
    reason: parsed.data.reason,
    now: deps.now(),
  });
}
