import { z } from "zod";
import type { ActivationOutcome } from "../db/index.ts";
import { parseLicenceNumber } from "../domain/licence-number.ts";
import { normaliseTaxId } from "../domain/tax-id.ts";
import type { Deps } from "./context.ts";
import { logEvent } from "./events.ts";
import { clientAppActor, hashToken, newInstallationToken } from "./installation-token.ts";

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
 *
 * One unit: the licence row is locked before its installation is read
 * (docs/architecture.md, "Lock order"), so of two machines activating at
 * once the second waits and sees ALREADY_LINKED; the unique index
 * `installations_one_live` is the backstop. The same machine again gets a
 * new token and the old one stops working. Every refusal of a known licence
 * is audited.
 */
export async function activateInstallation(
  deps: Deps,
  input: z.infer<typeof activateInstallationInput>,
): Promise<ActivateResult> {
  const number = parseLicenceNumber(input.licenceNumber);
  if (!number) return { code: "NOT_FOUND" };
  const token = newInstallationToken();
  const taxId = normaliseTaxId(input.taxId);
  const tokenHash = hashToken(token);
  const actor = clientAppActor(input.installationId);
  const now = deps.now();
  const outcome = await deps.store.unit("activateInstallation", async (tx): Promise<ActivationOutcome> => {
    const row = await tx.licenceByNumberForUpdate(number);
    if (!row) return { code: "NOT_FOUND" };
    const { licence } = row;
    const trail = { firmId: licence.firmId, actor, licenceId: licence.id, clientId: licence.clientId, now };
    const refuse = async (code: Exclude<ActivationOutcome["code"], "ACTIVATED">) => {
      await tx.audit({ ...trail, action: "installation.refused", details: { code } });
      return { code };
    };
    if (row.clientTaxId !== taxId) return refuse("NOT_FOUND");
    if (row.firmState !== "active") return refuse("FEATURE_DISABLED");
    if (licence.state === "deactivated") return refuse("DEACTIVATED");
    if (licence.installationId !== null) {
      const current = await tx.installation(licence.installationId);
      if (current && current.installationKey !== input.installationId) return refuse("ALREADY_LINKED");
      if (current) {
        await tx.renewInstallationToken(current.id, tokenHash, now);
        await tx.audit({ ...trail, action: "installation.reactivated" });
        return { code: "ACTIVATED", licenceId: licence.id };
      }
    }
    const installationId = await tx.insertInstallation({
      licenceId: licence.id,
      installationKey: input.installationId,
      tokenHash,
      now,
    });
    await tx.linkLicence(licence.id, installationId, now);
    await tx.audit({ ...trail, action: "installation.bound" });
    return { code: "ACTIVATED", licenceId: licence.id };
  });
  if (outcome.code !== "ACTIVATED") return { code: outcome.code };
  logEvent(deps, "installation_activated", { licenceId: outcome.licenceId });
  return { code: "ACTIVATED", installationToken: token };
}
