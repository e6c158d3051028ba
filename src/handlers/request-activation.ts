import { z } from "zod";
import type { ActivationRequest } from "../db/index.ts";
import { type Actor, type Deps, fieldErrors, firmOf } from "./context.ts";
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
  const request = await deps.store.createActivationRequest({
    firmId: firm.id,
    platform: actor.platform,
    requesterId: actor.userId,
    requesterName: actor.userName,
    requesterLocale: actor.locale,
    message: parsed.data.message,
    firmName: parsed.data.firmName,
    requesterRef: parsed.data.requesterRef,
    now: deps.now(),
  });
  logEvent(deps, "activation_requested", { platform: request.platform, firmId: request.firmId, requestId: request.id });
  return (await postToSupport(deps, request)) ?? request;
}

/** Shows a request in the support channel; a failure leaves it for a later retry. */
export async function postToSupport(deps: Deps, request: ActivationRequest): Promise<ActivationRequest | undefined> {
  if (!deps.supportDesk) {
    deps.logger.warn({ requestId: request.id }, "no support channel configured: activation request not shown");
    return undefined;
  }
  try {
    const ref = await deps.supportDesk.postRequest(request);
    if (!ref) return undefined;
    await deps.store.setSupportRef(request.id, ref);
    return { ...request, supportRef: ref };
  } catch (err) {
    deps.logger.error({ err, requestId: request.id }, "could not post the activation request to support");
    return undefined;
  }
}
