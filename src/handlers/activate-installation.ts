import { z } from "zod";
import type { ActivationOutcome } from "../db/index.ts";
import { parseLicenceNumber } from "../domain/licence-number.ts";
import { normaliseTaxId } from "../domain/tax-id.ts";
import type { Deps } from "./context.ts";
import { logEvent } from "./events.ts";
import { hashToken, newInstallationToken } from "./installation-token.ts";

export const activateInstallationInput = z
  .object({
    licenceNumber: z.string().min(1).max(64),
    taxId: z.string().min(1).max(32),
    installationId: z
      .string()
      .min(8)
      .max(128)
      .regex(/^[A-Za-z0-9+/=_.:-]+$/),
  })
  .strict();

export type ActivateResult =
  | { code: "ACTIVATED"; installationToken: string }
  | { code: Exclude<ActivationOutcome["code"], "ACTIVATED"> };

/**
 * The client app binds a licence to its installation and gets a secret
 * token (stored hashed). A licence number that does not parse, an unknown one
 * and a wrong tax id are all NOT_FOUND: the caller never learns which.
 */
export async function activateInstallation(
  deps: Deps,
  input: z.infer<typeof activateInstallationInput>,
): Promise<ActivateResult> {
  const number = parseLicenceNumber(input.licenceNumber);
  if (!number) return { code: "NOT_FOUND" };
  const token = newInstallationToken();
  const outcome = await deps.store.activateInstallation({
    number,
    taxId: normaliseTaxId(input.taxId),
    installationKey: input.installationId,
    tokenHash: hashToken(token),
    now: deps.now(),
  });
  if (outcome.code !== "ACTIVATED") return { code: outcome.code };
  logEvent(deps, "installation_activated", { licenceId: outcome.licenceId });
  return { code: "ACTIVATED", installationToken: token };
}
