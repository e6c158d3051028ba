import { z } from "zod";
import type { Firm } from "../db/index.ts";
import { conflict, notFound } from "../errors.ts";
import { type Actor, auditActor, type Deps, fieldErrors, requireSupport } from "./context.ts";
import { logEvent } from "./events.ts";

export const revokeActivationInput = z.object({
  firmId: z.number().int().positive(),
  reason: z.string().trim().max(1000).optional(),
});

/**
 * Support ends a firm's feature (contract ended): its licences stop
 * validating, and its clients no longer count as watching their own
 * mailboxes (the advisor ticks them again after a new approval).
 */
export async function revokeActivation(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof revokeActivationInput>,
): Promise<Firm & { selfManagedCleared: number }> {
  requireSupport(deps, actor);
  const parsed = revokeActivationInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const { firmId, reason } = parsed.data;
  const by = auditActor(actor);
  const now = deps.now();
  const firm = await deps.store.unit("revokeActivation", async (tx) => {
    const current = await tx.firmForUpdate(firmId);
    if (!current) throw notFound("activation.firmNotFound");
    if (current.activationState !== "active") throw conflict("activation.notActive");
    const revoked = await tx.setActivationState(firmId, "revoked", now);
    await tx.audit({
      firmId,
      action: "activation.revoked",
      actor: by,
      now,
      ...(reason ? { details: { reason } } : {}),
    });
    // The clients' apps stop validating: nobody may be left believing they watch their own mailboxes.
    const cleared = await tx.clearSelfManaged(firmId, now);
    for (const clientId of cleared) {
      await tx.audit({
        firmId,
        action: "client.selfManagedCleared",
        actor: by,
        clientId,
        details: { cause: "activation.revoked" },
        now,
      });
    }
    return { ...revoked, selfManagedCleared: cleared.length };
  });
  logEvent(deps, "firm_revoked", { platform: actor.platform, firmId: firm.id });
  // The firm hears it where it asked for the feature; the revocation stands either way.
  const request = await deps.store.lastApprovedRequest(firm.id);
  const notifier = request ? deps.notifiers[request.platform] : undefined;
  if (request && notifier) {
    try {
      await notifier.notifyRevocation(request, firm.selfManagedCleared);
    } catch (err) {
      deps.logger.error({ err, firmId: firm.id }, "could not tell the firm about the revocation");
    }
  }
  return firm;
}
