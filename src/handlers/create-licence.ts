import { z } from "zod";
import type { LicenceRecord } from "../db/index.ts";
import { generateLicenceNumber } from "../domain/licence-number.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
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
  // The store refuses a firm whose feature is not active, in the same transaction as the insert.
  const licence = await deps.store.createLicence({
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
