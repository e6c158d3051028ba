import { createHash } from "node:crypto";
import type { FailureWindow } from "../db/index.ts";
import { parseLicenceNumber } from "../domain/licence-number.ts";
import type { Deps } from "./context.ts";

/**
 * Failed attempts of the client API (a NOT_FOUND or a bad token), counted
 * per client address and per licence number in fixed windows. The counters
 * live in the database, so every instance sees the same ones and a restart
 * does not reset them.
 */
export interface RateLimits {
  /** Length of a counting window. */
  windowMs: number;
  /** Failed attempts allowed per client address in a window. */
  perAddress: number;
  /** Failed attempts allowed per licence number in a window. */
  perLicence: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { windowMs: 15 * 60_000, perAddress: 10, perLicence: 5 };

/** Who is attempting: the client address and, for activations, the licence number as typed. */
export interface AttemptSubject {
  address: string;
  licenceNumber?: string | undefined;
}

export type AttemptCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Keys are hashed: the counters table holds neither addresses nor licence numbers. */
function digest(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("base64url").slice(0, 32);
}

/** The counter key of the subject's address. */
export function addressKey(subject: AttemptSubject): string {
  return `addr:${digest(subject.address)}`;
}

function keysOf(limits: RateLimits, subject: AttemptSubject): { key: string; max: number }[] {
  const keys = [{ key: addressKey(subject), max: limits.perAddress }];
  // Only a well-formed number can be guessed at; a malformed one counts against the address only.
  const number = subject.licenceNumber === undefined ? undefined : parseLicenceNumber(subject.licenceNumber);
  if (number) keys.push({ key: `lic:${digest(number)}`, max: limits.perLicence });
  return keys;
}

/** The verdict on counters already read: locked out while any of them is at its maximum in its window. */
export function verdict(
  limits: RateLimits,
  now: number,
  counters: { max: number; window: FailureWindow | undefined }[],
): AttemptCheck {
  let retryAfterMs = 0;
  for (const { max, window } of counters) {
    if (!window || now - window.windowStart >= limits.windowMs || window.count < max) continue;
    retryAfterMs = Math.max(retryAfterMs, window.windowStart + limits.windowMs - now);
  }
  if (retryAfterMs <= 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

/** Whether the subject may try now; when not, how many seconds until the window ends. */
export async function checkAttempt(deps: Deps, limits: RateLimits, subject: AttemptSubject): Promise<AttemptCheck> {
  const now = deps.now();
  const keys = keysOf(limits, subject);
  const counts = await deps.store.failureCounts(
    keys.map((k) => k.key),
    now,
    limits.windowMs,
  );
  return verdict(
    limits,
    now,
    keys.map(({ key, max }) => ({ max, window: counts.get(key) })),
  );
}

/**
 * Counts one failed attempt against the subject's address and licence
 * number: one atomic statement per key, so failures through several
 * instances at once are each counted. Counters of windows long over are
 * then forgotten, a bounded batch at a time.
 */
export async function recordFailedAttempt(deps: Deps, limits: RateLimits, subject: AttemptSubject): Promise<void> {
  const now = deps.now();
  await deps.store.recordFailure(
    keysOf(limits, subject).map((k) => k.key),
    now,
    limits.windowMs,
  );
  await deps.store.purgeFailures(now - 2 * limits.windowMs);
}
