import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/db/index.ts";
import { SEEN_PURGE_EVERY_MS } from "../../src/db/seen-requests.ts";
import { rememberRequest } from "../../src/handlers/index.ts";
import { testDeps } from "../support/app.ts";

function keysIn(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("select key from seen_requests order by key").pluck().all();
  } finally {
    db.close();
  }
}

describe("remembered requests (Slack replays)", () => {
  let deps: Awaited<ReturnType<typeof testDeps>> | undefined;
  afterEach(async () => await deps?.dispose());

  it("is true once per key until it expires; expired rows are purged by an insert a minute after the last purge", async () => {
    let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    expect(await rememberRequest(deps, "slack:sig:a", 600_000)).toBe(true);
    expect(await rememberRequest(deps, "slack:sig:a", 600_000)).toBe(false);
    expect(await rememberRequest(deps, "slack:sig:b", 60_000)).toBe(true);

    clock += 120_000;
    // b expired: the insert of c purged it, and b may be seen again; a is still remembered.
    expect(await rememberRequest(deps, "slack:sig:c", 600_000)).toBe(true);
    expect(keysIn(deps.dbPath)).toEqual(["slack:sig:a", "slack:sig:c"]);
    expect(await rememberRequest(deps, "slack:sig:b", 60_000)).toBe(true);
    expect(await rememberRequest(deps, "slack:sig:a", 600_000)).toBe(false);

    clock += 600_000;
    expect(await rememberRequest(deps, "slack:sig:a", 600_000)).toBe(true);
  });

  it("purges at most once a minute, and an expired row not purged yet does not hide a new request", async () => {
    let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    expect(await rememberRequest(deps, "slack:event:old", 1_000)).toBe(true);
    expect(await rememberRequest(deps, "slack:event:gone", 1_000)).toBe(true);
    clock += 2_000;
    // Both expired, but the last purge was 2 s ago: the rows stay until the next one.
    expect(await rememberRequest(deps, "slack:event:new", 1_000)).toBe(true);
    expect(keysIn(deps.dbPath)).toEqual(["slack:event:gone", "slack:event:new", "slack:event:old"]);
    // The expired row is taken over, and the key is remembered again from now on.
    expect(await rememberRequest(deps, "slack:event:old", 600_000)).toBe(true);
    expect(await rememberRequest(deps, "slack:event:old", 600_000)).toBe(false);

    clock += SEEN_PURGE_EVERY_MS;
    expect(await rememberRequest(deps, "slack:event:later", 600_000)).toBe(true);
    expect(keysIn(deps.dbPath)).toEqual(["slack:event:later", "slack:event:old"]);
  });

  it("is true for exactly one of two instances sharing the database", async () => {
    const clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    const other = await openStore({ path: deps.dbPath });
    try {
      const results = [
        await deps.store.rememberRequest("slack:sig:same", clock + 600_000, clock),
        await other.store.rememberRequest("slack:sig:same", clock + 600_000, clock),
        await other.store.rememberRequest("slack:sig:same", clock + 600_000, clock),
        await deps.store.rememberRequest("slack:sig:same", clock + 600_000, clock),
      ];
      expect(results).toEqual([true, false, false, false]);
    } finally {
      await other.close();
    }
  });

  it("answers each of many calls made at once (committed together): one true per new key, on one instance or two", async () => {
    const clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    const other = await openStore({ path: deps.dbPath });
    try {
      expect(await deps.store.rememberRequest("slack:sig:known", clock + 600_000, clock)).toBe(true);
      const keys = ["slack:sig:known", ...Array.from({ length: 10 }, (_, i) => `slack:sig:k${i}`)];
      // Every key three times, from both instances, all in the same turn of the event loop.
      const calls = keys.flatMap((key, i) =>
        [0, 1, 2].map((n) => ({ key, on: (i + n) % 2 === 0 ? deps?.store : other.store })),
      );
      const results = await Promise.all(
        calls.map(({ key, on }) => on?.rememberRequest(key, clock + 600_000, clock) ?? Promise.resolve(undefined)),
      );
      const firsts = new Map<string, number>();
      for (const [i, { key }] of calls.entries())
        firsts.set(key, (firsts.get(key) ?? 0) + (results[i] === true ? 1 : 0));
      expect(firsts.get("slack:sig:known")).toBe(0);
      for (const key of keys.slice(1)) expect(firsts.get(key), key).toBe(1);
      expect(keysIn(deps.dbPath)).toEqual([...keys].sort());
    } finally {
      await other.close();
    }
  });

  it("fails every call of a group when the database does not answer, and remembers nothing of it", {
    timeout: 20_000,
  }, async () => {
    const clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    // Another process's write lock, held past the store's 5 s wait.
    const holder = new Database(deps.dbPath);
    holder.exec("BEGIN IMMEDIATE");
    const release = setTimeout(() => holder.exec("ROLLBACK"), 6_000);
    try {
      const results = await Promise.allSettled(
        ["slack:sig:x1", "slack:sig:x2", "slack:sig:x3"].map((key) =>
          deps?.store.rememberRequest(key, clock + 600_000, clock),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "UNAVAILABLE" });
    } finally {
      clearTimeout(release);
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
    }
    expect(keysIn(deps.dbPath)).toEqual([]);
    expect(await rememberRequest(deps, "slack:sig:x1", 600_000)).toBe(true);
  });
});
