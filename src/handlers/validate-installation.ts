import type { ValidationOutcome } from "../db/index.ts";
import type { Deps } from "./context.ts";
import { hashToken } from "./installation-token.ts";

/** The client app checks its licence with its installation token. */
export function validateInstallation(deps: Deps, token: string): ValidationOutcome {
  return deps.store.validateInstallation(hashToken(token), deps.now());
}
