import { createHash, randomBytes } from "node:crypto";

/** A fresh installation token: 32 random bytes, base64url. Shown once. */
export function newInstallationToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored hashed: a database leak does not hand out working tokens. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
