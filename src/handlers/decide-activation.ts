import { z } from "zod";
import type { ActivationRequest } from "../db/index.ts";
import { conflict, forbidden, notFound, ServiceError } from "../errors.ts";
import { type Actor, type Deps, fieldErrors, requireSupport } from "./context.ts";
import { logEvent } from "./events.ts";

export const REASON_MAX = 1000;

export const decideActivationInput = z.discriminatedUnion("decision", [
  z.object({ requestId: z.number().int().positive(), decision: z.literal("approve") }),
  z.object({
    requestId: z.number().int().positive(),
    decision: z.literal("reject"),
    reason: z
      .string({ required_error: "activation.reasonRequired" })
      .trim()
      .min(1, "activation.reasonRequired")
      .max(REASON_MAX, "activation.reasonTooLong"),
  }),
]);

/**
 * Support approves or rejects a request, from the support channel and never
 * on their own request. The first decision wins (ALREADY_DECIDED for the
 * next, with who and when). Then the support message shows the outcome and
 * the requester is told on their platform.
 */
export async function decideActivation(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof decideActivationInput>,
): Promise<ActivationRequest> {
  requireSupport(deps, actor);
  const parsed = decideActivationInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const data = parsed.data;
  const approve = data.decision === "approve";
  const reason = data.decision === "reject" ? data.reason : undefined;
  const decider = { platform: actor.platform, id: actor.userId, name: actor.userName };
  const now = deps.now();
  const request = await deps.store.unit("decideActivation", async (tx) => {
    // The request first (docs/architecture.md, "Lock order"): a second decider waits here, then reads the first's decision.
    const req = await tx.requestForUpdate(data.requestId);
    if (!req) throw notFound("activation.requestNotFound");
    if (req.status !== "pending") {
      throw new ServiceError("ALREADY_DECIDED", "activation.alreadyDecided", {
        details: {
          status: req.status,
          decidedBy: req.decidedBy,
          decidedByName: req.decidedByName,
          decidedByPlatform: req.decidedByPlatform,
          decidedAt: req.decidedAt,
        },
      });
    }
    if (req.platform === actor.platform && req.requesterId === actor.userId) throw forbidden("activation.ownRequest");
    const status = approve ? "approved" : "rejected";
    if (!(await tx.recordDecision(req.id, { status, decider, reason, now })))
      throw conflict("activation.alreadyDecided");
    await tx.setActivationState(req.firmId, approve ? "active" : "rejected", now);
    await tx.audit({
      firmId: req.firmId,
      action: approve ? "activation.approved" : "activation.rejected",
      actor: decider,
      requestId: req.id,
      now,
      ...(reason ? { details: { reason } } : {}),
    });
    return (await tx.getActivationRequest(req.id)) as ActivationRequest;
  });
  logEvent(deps, request.status === "approved" ? "activation_approved" : "activation_rejected", {
    platform: actor.platform,
    firmId: request.firmId,
    requestId: request.id,
  });
  await announceDecision(deps, request);
  return request;
}

async function announceDecision(deps: Deps, request: ActivationRequest): Promise<void> {
  const tasks: Promise<void>[] = [];
  if (request.supportRef && deps.supportDesk) {
    tasks.push(deps.supportDesk.showDecision(request.supportRef, request));
  }
  const notifier = deps.notifiers[request.platform];
  if (notifier) tasks.push(notifier.notifyDecision(request));
  const results = await Promise.allSettled(tasks);
  for (const r of results) {
    if (r.status === "rejected") {
      deps.logger.error({ err: r.reason, requestId: request.id }, "could not announce an activation decision");
    }
  }
}
