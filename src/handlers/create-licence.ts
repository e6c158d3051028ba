import { z } from "zod";
import type { AuditActor, ClientInput, LicenceRecord, Store } from "../db/index.ts";
import { generateLicenceNumber } from "../domain/licence-number.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { conflict, ServiceError } from "../errors.ts";
import { type Actor, auditActor, type Deps, fieldErrors, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "field.tooLong")
    .optional()
    .transform((v) => (v ? v : undefined));

/** "Datos de la Licencia": the client's data. Messages are catalogue ids. */
export const clientDataInput = z.object({
  taxId: z
    .string({ required_error: "field.taxId.required", invalid_type_error: "field.taxId.required" })
    .transform(normaliseTaxId)
    .refine((v) => v.length > 0, "field.taxId.required")
    .refine((v) => v.length === 0 || taxIdKind(v) !== undefined, "field.taxId.invalid"),
  name: z
    .string({ required_error: "field.name.required", invalid_type_error: "field.name.required" })
    .trim()
    .min(1, "field.name.required")
    .max(200, "field.tooLong"),
  contactPerson: optionalText(200),
  email: z
    .string()
    .trim()
    .max(254, "field.tooLong")
    .optional()
    .transform((v) => (v ? v.toLowerCase() : undefined))
    .refine(
      (v) => v === undefined || /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[a-z]{2,}$/i.test(v),
      "field.email.invalid",
    ),
  phone: z
    .string()
    .trim()
    .max(30, "field.tooLong")
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^\+?[0-9][0-9 ().-]{5,28}$/.test(v), "field.phone.invalid"),
  notes: optionalText(1000),
});

/** Field limits the forms repeat (max lengths), so the platform can refuse early. */
export const CLIENT_FIELD_MAX = { taxId: 20, name: 200, contactPerson: 200, email: 254, phone: 30, notes: 1000 };

/** How many fresh numbers a creation tries before giving up (95 random bits: a second one is already unheard of). */
const MAX_NUMBER_ATTEMPTS = 8;

/**
 * The unit of work of a licence's creation (docs/architecture.md, "Lock
 * order"): the firm row locked first (its `live_licences` trigger updates it,
 * and the client may not exist yet, so nothing else could be locked), the
 * feature active, the client created or updated by tax id, one live licence
 * per client, a number never used before (`newNumber` asked again while the
 * insert finds it taken).
 */
export function issueLicence(
  store: Store,
  input: { firmId: number; client: ClientInput; actor: AuditActor; newNumber: () => string; now: number },
): Promise<LicenceRecord> {
  const { firmId, client: data, actor, now } = input;
  return store.unit("createLicence", async (tx) => {
    if ((await tx.firmForUpdate(firmId))?.activationState !== "active") {
      throw new ServiceError("FEATURE_NOT_ACTIVE", "activation.notActive");
    }
    let client = await tx.insertClientIfAbsent(firmId, data, now);
    if (client) {
      await tx.audit({ firmId, action: "client.created", actor, clientId: client.id, now });
    } else {
      const existing = await tx.getClientByTaxId(firmId, data.taxId);
      if (!existing) throw new Error("a client that conflicts on its tax id is not there");
      if (existing.licence) {
        throw new ServiceError("CONFLICT", "licence.clientHasLicence", {
          fields: [{ field: "taxId", message: "licence.clientHasLicence" }],
        });
      }
      client = await tx.updateClient(existing.id, data, now);
      await tx.audit({ firmId, action: "client.updated", actor, clientId: client.id, now });
    }
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      const licence = await tx.insertLicence({ firmId, clientId: client.id, number: input.newNumber(), now });
      if (licence) {
        await tx.audit({
          firmId,
          action: "licence.created",
          actor,
          licenceId: licence.id,
          clientId: client.id,
          now,
        });
        return licence;
      }
    }
    throw conflict("licence.numberExhausted");
  });
}

/**
 * "Mantenimiento de Licencias" saved: creates or updates the client by tax
 * id and issues its licence, when the firm's feature is active.
 */
export async function createLicence(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof clientDataInput>,
): Promise<LicenceRecord> {
  const parsed = clientDataInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const firm = await firmOf(deps, actor);
  // The feature is checked again inside the unit, with the firm row locked.
  const licence = await issueLicence(deps.store, {
    firmId: firm.id,
    client: parsed.data,
    actor: auditActor(actor),
    newNumber: () => generateLicenceNumber(deps.randomBytes),
    now: deps.now(),
  });
  logEvent(deps, "licence_created", {
    platform: actor.platform,
    firmId: firm.id,
    licenceId: licence.id,
    clientId: licence.client.id,
  });
  return licence;
}
