import { createHash, randomBytes } from "node:crypto";
import type { AuditActor, TokenLookup, ValidationOutcome } from "../db/index.ts";

/** A fresh installation token: 32 random bytes, base64url. Shown once. */
export function newInstallationToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored hashed: a database leak does not hand out working tokens. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Why a token's licence does not validate now, or nothing when it does (validations and reports alike). */
export function tokenRefusal(found: TokenLookup | undefined): Refusal | undefined {
  if (!found || found.licence.deletedAt !== null) return { code: "NOT_FOUND" };
  if (found.installation.unlinkedAt !== null || found.licence.installationId !== found.installation.id) {
    return { code: "UNLINKED" };
  }
  if (found.firmState !== "active") return { code: "FEATURE_DISABLED" };
  if (found.licence.state === "deactivated") return { code: "DEACTIVATED" };
  return undefined;
}

export type Refusal = { code: Exclude<ValidationOutcome["code"], "VALID"> };

/** Who the client app is in the audit trail: its installation, never a person. */
export const clientAppActor = (installationKey: string): AuditActor => ({
  platform: "client_app",
  id: installationKey,
});
