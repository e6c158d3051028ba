import type { ValidationOutcome } from "../db/index.ts";
import type { Deps } from "./context.ts";
import { hashToken, tokenRefusal } from "./installation-token.ts";
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

/** A write per validation would serialise every app behind the write lock: once an hour is enough. */
const LAST_SEEN_RESOLUTION_MS = 60 * 60_000;

/**
 * The client app checks its licence with its installation token, under the
 * failed-attempt limits of its address. A known token brings its address's
 * window with the lookup itself (one read of the token's licence, firm and
 * window): a successful validation makes no query of the counters, and
 * touches `last_seen_at` at most hourly (one statement). An unknown token
 * is a failed attempt, decided on the counters read then, and counted.
 */
export async function validateInstallation(
  deps: Deps,
  limits: RateLimits,
  subject: AttemptSubject,
  token: string,
): Promise<ValidationResult> {
  const now = deps.now();
  const { found, window } = await deps.store.installationByToken(hashToken(token), addressKey(subject));
  const refusal = tokenRefusal(found);
  if (!refusal && found) {
    const seen = found.installation.lastSeenAt;
    if (seen === null || now - seen > LAST_SEEN_RESOLUTION_MS) {
      await deps.store.touchInstallation(found.installation.id, now);
    }
  }
  if (refusal?.code !== "NOT_FOUND") {
    const check = verdict(limits, now, [{ max: limits.perAddress, window }]);
    if (!check.allowed) return { code: "RATE_LIMITED", retryAfterSeconds: check.retryAfterSeconds };
    return refusal ?? { code: "VALID" };
  }
  const check = await checkAttempt(deps, limits, subject);
  if (!check.allowed) return { code: "RATE_LIMITED", retryAfterSeconds: check.retryAfterSeconds };
  await recordFailedAttempt(deps, limits, subject);
  return refusal;
}
