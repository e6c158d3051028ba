import { resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Actor,
  findFirmByWorkspace,
  muteWatchItem,
  resolveFirm,
  runWatch,
  sendLicenceDetails,
  type WatchSender,
  type WatchTarget,
} from "../../src/handlers/index.ts";
import { advisor, testDeps } from "../support/app.ts";
import { activateFirm, failure, newLicence } from "../support/fixtures.ts";
import { raceWatchWorkers } from "../support/process-race.ts";
import { openSql } from "../support/sql.ts";

const DAY = 86_400_000;
const _root = resolve(import.meta.dirname, "../..");

/** A sender that keeps what it was asked to send (the port's contract, no platform). */
function recorder(): WatchSender & { sent: { target: WatchTarget; keys: string[] }[] } {
  const sent: { target: WatchTarget; keys: string[] }[] = [];
  return {
    sent,
    async sendWatch(target, message) {
      sent.push({ target, keys: message.items.map((i) => i.key) });
    },
  };
}

describe("the daily watch's run", () => {
  let clock = Date.UTC(2026, 10, 2, 9, 0, 0);
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let a: Actor;
  let b: Actor;
  beforeEach(async () => {
    clock = Date.UTC(2026, 10, 2, 9, 0, 0);
    deps = await testDeps({ now: () => clock });
    a = advisor("T0WATCHRUN");
    b = advisor("T0WATCHRUN");
    await activateFirm(deps, a);
  });
  afterEach(async () => await deps.dispose());

  async function audited(action: string): Promise<{ details: string | null }[]> {
    const db = await openSql(deps.database.target);
    try {
      return await db.all<{ details: string | null }>("select details from audit_events where action = ?", [action]);
    } finally {
      await db.close();
    }
  }

  it("sends nothing, and claims nothing, for a firm with nothing to act on", async () => {
    await newLicence(deps, a);
    const out = recorder();
    const run = await runWatch(deps, { slack: out });
    expect(run.firms.map((f) => f.outcome)).toEqual(["nothing"]);
    expect(out.sent).toEqual([]);
    expect(await audited("watch.sent")).toEqual([]);
  });

  it("tells whoever asked for the activation what an advisor who cannot be reached was to be told, and records it", async () => {
    const hers = await newLicence(deps, b, { name: "De Berta S.L." });
    await sendLicenceDetails(deps, b, { licenceId: hers.id });
    clock += 8 * DAY;
    const out = recorder();
    const gone: WatchSender = {
      async sendWatch(target, message) {
        if ("userId" in target && target.userId === b.userId) throw new Error("user_not_found");
        await out.sendWatch(target, message);
      },
    };
    const run = await runWatch(deps, { slack: gone });
    expect(run.firms[0]?.failed).toBe(1);
    expect(out.sent).toEqual([
      { target: expect.objectContaining({ userId: a.userId }), keys: [`unactivated:${hers.id}`] },
    ]);
    // Told once: the next day it is not repeated (nothing changed).
    clock += DAY;
    const next = recorder();
    await runWatch(deps, { slack: next });
    expect(next.sent).toEqual([]);
  });

  it("skips a firm asked for by id that is not active", async () => {
    const other = advisor("T0NOTACTIVE");
    const firm = await resolveFirm(deps, other.platform, other.workspaceId, undefined);
    const run = await runWatch(deps, { slack: recorder() }, { firmId: firm.id });
    expect(run.firms).toEqual([]);
  });

  it("tells each advisor about the licences they created or sent, and audits the count only", async () => {
    const mine = await newLicence(deps, a, { name: "De Ana S.L." });
    const theirs = await newLicence(deps, b, { name: "De Berta S.L." });
    await sendLicenceDetails(deps, a, { licenceId: mine.id });
    await sendLicenceDetails(deps, a, { licenceId: theirs.id });
    clock += 8 * DAY;
    const out = recorder();
    await runWatch(deps, { slack: out });
    const byUser = Object.fromEntries(out.sent.map((s) => ["userId" in s.target ? s.target.userId : "", s.keys]));
    expect(byUser).toEqual({
      [a.userId]: [`unactivated:${mine.id}`, `unactivated:${theirs.id}`],
      [b.userId]: [`unactivated:${theirs.id}`],
    });
    const [event] = await audited("watch.sent");
    expect(JSON.parse(event?.details ?? "{}")).toEqual({ items: 2, messages: 2, day: "2026-11-10" });
  });

  it("a dry run plans the messages and neither sends nor records anything", async () => {
    await sendLicenceDetails(deps, a, { licenceId: (await newLicence(deps, a)).id });
    clock += 8 * DAY;
    const out = recorder();
    const dry = await runWatch(deps, { slack: out }, { dryRun: true });
    expect(dry.firms.map((f) => [f.outcome, f.messages.length])).toEqual([["dry-run", 1]]);
    expect(out.sent).toEqual([]);
    const real = await runWatch(deps, { slack: out });
    expect(real.firms.map((f) => f.outcome)).toEqual(["sent"]);
    expect(out.sent).toHaveLength(1);
  });

  it("does not repeat an unchanged item the next day, sends it again once it changed, and leaves a muted one out", async () => {
    const l = await newLicence(deps, a);
    await sendLicenceDetails(deps, a, { licenceId: l.id });
    clock += 8 * DAY;
    const out = recorder();
    await runWatch(deps, { slack: out });
    clock += DAY;
    expect((await runWatch(deps, { slack: out })).firms[0]?.outcome).toBe("nothing");
    // Sent again, and 7 days later still not activated: a new item.
    await sendLicenceDetails(deps, a, { licenceId: l.id });
    clock += 7 * DAY;
    await runWatch(deps, { slack: out });
    expect(out.sent).toHaveLength(2);
    await sendLicenceDetails(deps, a, { licenceId: l.id });
    clock += 7 * DAY;
    await muteWatchItem(deps, a, { item: `unactivated:${l.id}` });
    expect((await runWatch(deps, { slack: out })).firms[0]?.outcome).toBe("nothing");
    expect(await audited("watch.muted")).toHaveLength(1);
    clock += DAY;
    expect((await runWatch(deps, { slack: out })).firms[0]?.outcome).toBe("nothing");
    // Muted until it changes: sent once more and still not activated 7 days later, it is back.
    await sendLicenceDetails(deps, a, { licenceId: l.id });
    clock += 7 * DAY;
    await runWatch(deps, { slack: out });
    expect(out.sent).toHaveLength(3);
  });

  it("refuses to mute another firm's item", async () => {
    const l = await newLicence(deps, a);
    const other = advisor("T0OTHERFIRM");
    await activateFirm(deps, other);
    expect((await failure(async () => await muteWatchItem(deps, other, { item: `unactivated:${l.id}` }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await failure(async () => await muteWatchItem(deps, other, { item: "everything" }))).code).toBe("INVALID");
  });

  it("two instances running at once on one database send each firm's watch exactly once", async () => {
    const firms = [a, advisor("T0RACEFIRM2"), advisor("T0RACEFIRM3")];
    for (const f of firms.slice(1)) await activateFirm(deps, f);
    for (const f of firms) await sendLicenceDetails(deps, f, { licenceId: (await newLicence(deps, f)).id });
    const at = clock + 8 * DAY;
    const outputs = await raceWatchWorkers(deps.database.target, at);
    const results = outputs.map(
      (o) => JSON.parse(o) as { outcomes: [number, string][]; sent: { userId: string; items: number }[] },
    );
    const sent = results.flatMap((r) => r.sent);
    expect(sent.map((s) => s.userId).sort()).toEqual(firms.map((f) => f.userId).sort());
    const outcomes = results.flatMap((r) => r.outcomes);
    for (const f of firms) {
      const id = (await findFirmByWorkspace(deps, f.workspaceId)).id;
      const mine = outcomes.filter(([firm]) => firm === id).map(([, o]) => o);
      // Exactly one run sends; the other found the day claimed, or (when the first had already
      // finished) nothing new to say.
      expect(mine.filter((o) => o === "sent")).toHaveLength(1);
      expect(mine.filter((o) => o !== "sent")).toEqual([expect.stringMatching(/^(claimed|nothing)$/)]);
    }
    expect(await audited("watch.sent")).toHaveLength(3);
  });
});
