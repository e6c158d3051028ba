import { z } from "zod";
import type { AuditActor, ClientRecord, Store } from "../db/index.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { notFound, ServiceError } from "../errors.ts";
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
 * The tick as one unit: set only while the client has an active licence and
 * the firm is active, clearing always allowed, audited when it changes. The
 * client row is locked, then its licence `FOR SHARE` (docs/architecture.md,
 * "Lock order"): a deactivation locks them in the same order, so the two
 * queue and never both win.
 */
export function applySelfManaged(
  store: Store,
  input: { firmId: number; taxId: string; value: boolean; actor: AuditActor; now: number },
): Promise<{ client: ClientRecord; changed: boolean }> {
  const { firmId, value, actor, now } = input;
  return store.unit("setSelfManaged", async (tx) => {
    const firmState = value ? (await tx.firmForUpdate(firmId))?.activationState : undefined;
    const client = await tx.clientForUpdate(firmId, { taxId: input.taxId });
    if (!client) throw notFound("client.notFound");
    if (value) {
      if (firmState !== "active") throw new ServiceError("FEATURE_NOT_ACTIVE", "activation.notActive");
      if ((await tx.liveLicenceStateForShare(client.id)) !== "active") {
        throw new ServiceError("CONFLICT", "client.selfManagedNeedsLicence", {
          fields: [{ field: "selfManaged", message: "client.selfManagedNeedsLicence" }],
        });
      }
    }
    if (client.selfManaged === value) return { client, changed: false };
    const updated = await tx.setClientSelfManaged(client.id, value, now);
    await tx.audit({
      firmId,
      action: value ? "client.selfManagedSet" : "client.selfManagedCleared",
      actor,
      clientId: client.id,
      now,
    });
    return { client: updated, changed: true };
  });
}

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
  const result = await applySelfManaged(deps.store, {
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
