import { z } from "zod";
import type { ClientRecord } from "../db/index.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { type Actor, auditActor, type Deps, fieldErrors, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";

export const setSelfManagedInput = z.object({
  taxId: z
    .string({ required_error: "field.taxId.required" })
    .transform(normaliseTaxId)
    .refine((v) => taxIdKind(v) !== undefined, "field.taxId.invalid"),
  selfManaged: z.boolean(),
});

/**
 * "Este cliente gestiona sus propias notificaciones": only while the client
 * has an active licence (linked or not yet); clearing is always allowed.
 */
export async function setSelfManaged(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof setSelfManagedInput>,
): Promise<{ client: ClientRecord; changed: boolean }> {
  const parsed = setSelfManagedInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const firm = await firmOf(deps, actor);
  const result = await deps.store.setSelfManaged({
    firmId: firm.id,
    taxId: parsed.data.taxId,
    value: parsed.data.selfManaged,
    actor: auditActor(actor),
    now: deps.now(),
  });
  if (result.changed) {
    logEvent(deps, "self_managed_changed", {
      platform: actor.platform,
      firmId: firm.id,
      clientId: result.client.id,
      selfManaged: result.client.selfManaged,
    });
  }
  return result;
}
