import type { Db } from "./open.ts";

/**
 * Expired rows are purged at most this often (and by each instance on its
 * own clock): a purge on every insert cost a second statement and a write
 * transaction per Slack request. Until then an expired row stays, and the
 * insert below takes its place as if it were gone.
 */
export const SEEN_PURGE_EVERY_MS = 60_000;

export function seenRequestStore(db: Db) {
  // Plain better-sqlite3 statements, prepared once: this runs on every signed Slack request
  // (see docs/architecture.md, Performance).
  const remember = db.$client.prepare<[string, number, number]>(
    "insert into seen_requests (key, expires_at) values (?, ?) " +
      "on conflict (key) do update set expires_at = excluded.expires_at where seen_requests.expires_at <= ?",
  );
  const purge = db.$client.prepare<[number]>("delete from seen_requests where expires_at <= ?");
  let purgedAt = Number.NEGATIVE_INFINITY;
  return {
    /**
     * Remembers a key until `expiresAt`; true when it was not remembered yet
     * (or only by a row that has expired). One statement, so atomic: of two
     * instances racing on the same key, exactly one adds or renews the row.
     */
    rememberRequest(key: string, expiresAt: number, now: number): boolean {
      if (now - purgedAt >= SEEN_PURGE_EVERY_MS || now < purgedAt) {
        // An index range (seen_requests_expires): only what expired is touched.
        purge.run(now);
        purgedAt = now;
      }
      return remember.run(key, expiresAt, now).changes === 1;
    },
  };
}
