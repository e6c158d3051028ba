import { z } from "zod";
import type { ActivationRequest } from "../db/index.ts";
import { conflict, notFound } from "../errors.ts";
import { type Actor, auditActor, type Deps, fieldErrors, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";

export const MESSAGE_MAX = 2000;
export const FIRM_NAME_MAX = 80;

export const requestActivationInput = z.object({
  message: z
    .string({ required_error: "activation.messageRequired", invalid_type_error: "activation.messageRequired" })
    .trim()
    .min(1, "activation.messageRequired")
    .max(MESSAGE_MAX, "activation.messageTooLong"),
  /**
   * The firm's name as the requester gives it in the form ("Nombre del
   * despacho"); stored on the firm with the request. A Teams tenant has no
   * name of its own, so without it the firm shows as its tenant id.
   * Left out (not blank) by callers that have no form: the name stays as it is.
   */
  firmName: z
    .string({ invalid_type_error: "activation.firmNameRequired" })
    .trim()
    .min(1, "activation.firmNameRequired")
    .max(FIRM_NAME_MAX, "activation.firmNameTooLong")
    .optional(),
  /** Opaque reference to reach the requester later (Slack DM, Teams conversation reference). */
  requesterRef: z.string().max(20_000).optional(),
});

/**
 * Asks support to activate the SME feature for the actor's firm; at most one
 * pending request per firm. The request is shown in the support channel when
 * it can be reached (otherwise later, see postPendingRequests).
 */
export async function requestActivation(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof requestActivationInput>,
): Promise<ActivationRequest> {
  const parsed = requestActivationInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const firm = await firmOf(deps, actor);
  const now = deps.now();
  const { message, firmName, requesterRef } = parsed.data;
  const request = await deps.store.unit("requestActivation", async (tx) => {
    // Locked first: of two requests at once, the second sees the first one's "pending".
    const current = await tx.firmForUpdate(firm.id);
    if (!current) throw notFound();
    if (current.activationState === "active") throw conflict("activation.alreadyActive");
    if (current.activationState === "pending") throw conflict("activation.alreadyPending");
    // Claimed for posting by this instance, which posts it right after the unit (see postToSupport).
    const id = await tx.insertActivationRequest({
      firmId: firm.id,
      platform: actor.platform,
      requesterId: actor.userId,
      requesterName: actor.userName,
      requesterLocale: actor.locale,
      message,
      requesterRef,
      now,
    });
    await tx.setActivationState(firm.id, "pending", now);
    if (firmName) await tx.renameFirm(firm.id, firmName);
    await tx.audit({ firmId: firm.id, action: "activation.requested", actor: auditActor(actor), requestId: id, now });
    return (await tx.getActivationRequest(id)) as ActivationRequest;
  });
  logEvent(deps, "activation_requested", { platform: request.platform, firmId: request.firmId, requestId: request.id });
  return (await postToSupport(deps, request)) ?? request;
}

/**
 * Shows a request the caller has claimed in the support channel, and stores
 * the message's reference (which ends the claim). A failure gives the claim
 * back, so that the next retry (postPendingRequests) takes it.
 */
export async function postToSupport(deps: Deps, request: ActivationRequest): Promise<ActivationRequest | undefined> {
  let ref: string | undefined;
  if (!deps.supportDesk) {
    deps.logger.warn({ requestId: request.id }, "no support channel configured: activation request not shown");
  } else {
    try {
      ref = await deps.supportDesk.postRequest(request);
    } catch (err) {
      deps.logger.error({ err, requestId: request.id }, "could not post the activation request to support");
    }
  }
  try {
    if (!ref) {
      await deps.store.releaseSupportClaim(request.id);
      return undefined;
    }
    await deps.store.setSupportRef(request.id, ref);
    return { ...request, supportRef: ref };
  } catch (err) {
    // Posted, but not stored: a later retry may post it again (docs/architecture.md, "Several instances").
    deps.logger.error({ err, requestId: request.id }, "could not store the support message of an activation request");
    return ref ? { ...request, supportRef: ref } : undefined;
  }
}
