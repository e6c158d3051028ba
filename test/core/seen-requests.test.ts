import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { rememberRequest } from "../../src/handlers/index.ts";
import { testDeps } from "../support/app.ts";

describe("remembered requests (Slack replays)", () => {
  let deps: ReturnType<typeof testDeps> | undefined;
  afterEach(() => deps?.dispose());

  it("is true once per key until it expires; expired rows are purged by the next insert", () => {
    let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
    deps = testDeps({ now: () => clock });
    expect(rememberRequest(deps, "slack:sig:a", 600_000)).toBe(true);
    expect(rememberRequest(deps, "slack:sig:a", 600_000)).toBe(false);
    expect(rememberRequest(deps, "slack:sig:b", 60_000)).toBe(true);

    clock += 120_000;
    // b expired: the insert of c purged it, and b may be seen again; a is still remembered.
    expect(rememberRequest(deps, "slack:sig:c", 600_000)).toBe(true);
    const db = new Database(deps.dbPath, { readonly: true });
    const keys = db.prepare("select key from seen_requests order by key").pluck().all();
    db.close();
    expect(keys).toEqual(["slack:sig:a", "slack:sig:c"]);
    expect(rememberRequest(deps, "slack:sig:b", 60_000)).toBe(true);
    expect(rememberRequest(deps, "slack:sig:a", 600_000)).toBe(false);

    clock += 600_000;
    expect(rememberRequest(deps, "slack:sig:a", 600_000)).toBe(true);
  });
});
