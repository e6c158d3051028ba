import type { ValidationOutcome } from "../db/index.ts";
import type { Deps } from "./context.ts";
import { hashToken } from "./installation-token.ts";
import {
  type AttemptSubject,
  addressKey,
  checkAttempt,
  type RateLimits,
  recordFailedAttempt,
  verdict,
} from "./rate-limit.ts";

export type ValidationResult =
  | Exclude<ValidationOutcome, { code: "VALID" }>
  | { code: "VALID" }
  | { code: "RATE_LIMITED"; retryAfterSeconds: number };

/**
 * The client app checks its licence with its installation token, under the
 * failed-attempt limits of its address. A known token brings its address's
 * window with the lookup itself (one statement): a successful validation
 * makes no query of the counters. An unknown token is a failed attempt,
 * decided on the counters read then, and counted.
 */
export async function validateInstallation(
  deps: Deps,
  limits: RateLimits,
  subject: AttemptSubject,
  token: string,
): Promise<ValidationResult> {
  const now = deps.now();
  const { outcome, window } = await deps.store.validateInstallation(hashToken(token), now, addressKey(subject));
  if (outcome.code !== "NOT_FOUND") {
    const check = verdict(limits, now, [{ max: limits.perAddress, window }]);
    if (!check.allowed) return { code: "RATE_LIMITED", retryAfterSeconds: check.retryAfterSeconds };
    return { code: outcome.code };
  }
  const check = await checkAttempt(deps, limits, subject);
  if (!check.allowed) return { code: "RATE_LIMITED", retryAfterSeconds: check.retryAfterSeconds };
  await recordFailedAttempt(deps, limits, subject);
  return outcome;
}
