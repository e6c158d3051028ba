import type { Db } from "./open.ts";
import type { FirmStatements } from "./store/firms.ts";

/**
 * Expired rows are purged at most this often (and by each instance on its
 * own clock): a purge on every insert cost a second statement and a write
 * transaction per Slack request. Until then an expired row stays, and the
 * insert below takes its place as if it were gone.
 */
export const SEEN_PURGE_EVERY_MS = 60_000;
/** At most this many expired rows go per purge: a purge after a quiet spell stays one short statement. */
export const SEEN_PURGE_BATCH = 500;

export function seenRequestStatements(db: Db): Pick<FirmStatements, "rememberRequest"> {
  // Plain better-sqlite3 statements, prepared once: this runs on every signed Slack request
  // (see docs/architecture.md, Performance).
  const remember = db.$client.prepare<[string, number, number]>(
    "insert into seen_requests (key, expires_at) values (?, ?) " +
      "on conflict (key) do update set expires_at = excluded.expires_at where seen_requests.expires_at <= ?",
  );
  const purge = db.$client.prepare<[number, number]>(
    "delete from seen_requests where key in (select key from seen_requests where expires_at <= ? limit ?)",
  );
  let purgedAt = Number.NEGATIVE_INFINITY;
  return {
    async rememberRequest(key, expiresAt, now) {
      if (now - purgedAt >= SEEN_PURGE_EVERY_MS || now < purgedAt) {
        // An index range (seen_requests_expires): only what expired is touched.
        purge.run(now, SEEN_PURGE_BATCH);
        purgedAt = now;
      }
      return remember.run(key, expiresAt, now).changes === 1;
    },
  };
}
