import { resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runWatchCli } from "../../src/cli/watch.ts";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import type { ExportRow, StoreHandle } from "../../src/db/index.ts";
import { exportTokenHash } from "../../src/handlers/export-link.ts";
import {
  type Deps,
  openExport,
  runWatch,
  type WatchSender,
  type WatchTarget,
  watchList,
} from "../../src/handlers/index.ts";
import { startFakeSlack } from "../slack/fake-slack.ts";
import { captureLogger } from "../support/app.ts";
import { raceWatchWorkers } from "../support/process-race.ts";
import { openSql, type SqlConnection } from "../support/sql.ts";
import { openTestStore, testStorage } from "../support/storage.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 2, 9, 0, 0);
const _root = resolve(import.meta.dirname, "../..");

function depsOf(store: StoreHandle["store"], now = NOW): Deps {
  return {
    store,
    now: () => now,
    randomBytes: (n) => new Uint8Array(n),
    logger: captureLogger().logger,
    support: { userIds: [] },
    watch: WATCH_DEFAULTS,
    notifiers: {},
  };
}

/** A sender as slow as a chat API, keeping what it was asked to send. */
function recorder(): WatchSender & { sent: { target: WatchTarget; keys: string[] }[] } {
  const sent: { target: WatchTarget; keys: string[] }[] = [];
  return {
    sent,
    async sendWatch(target, message) {
      await new Promise((r) => setTimeout(r, 10));
      sent.push({ target, keys: message.items.map((i) => i.key) });
    },
  };
}

let seq = 0;

/**
 * Rows written as the other areas' use cases would leave them (an active
 * firm, its workspace and approved request, clients, licences, the trail),
 * with plain SQL, so that this area's contract stands on its own.
 */
async function seedFirm(db: SqlConnection, opts: { clients?: number } = {}) {
  const n = ++seq;
  const firmId = await db.one(
    "insert into firms (name, activation_state, created_at) values (?, 'active', ?) returning id",
    [`Asesoría ${n}`, NOW - 30 * DAY],
  );
  await db.all("insert into workspaces (firm_id, platform, external_id, created_at) values (?, 'slack', ?, ?)", [
    firmId,
    `T0SEED${n}`,
    NOW - 30 * DAY,
  ]);
  const advisor = `U0ADV${n}`;
  await db.all(
    "insert into activation_requests (firm_id, platform, requester_id, message, status, created_at) values (?, 'slack', ?, 'hola', 'approved', ?)",
    [firmId, advisor, NOW - 30 * DAY],
  );
  const client = async (name: string, selfManaged: boolean) =>
    await db.one(
      `insert into clients (firm_id, tax_id, name, self_managed, self_managed_at, created_at, updated_at) values (?, ?, ?, ${selfManaged}, ?, ?, ?) returning id`,
      [firmId, `X${n}T${++seq}`, name, selfManaged ? NOW - 10 * DAY : null, NOW - 20 * DAY, NOW - 20 * DAY],
    );
  const licence = async (clientId: number, fields: { detailsSentAt?: number; linkedAt?: number }) => {
    const id = await db.one(
      "insert into licences (firm_id, client_id, number, state, details_sent_at, linked_at, created_at, updated_at) values (?, ?, ?, 'active', ?, ?, ?, ?) returning id",
      [
        firmId,
        clientId,
        `N${n}L${++seq}`,
        fields.detailsSentAt ?? null,
        fields.linkedAt ?? null,
        NOW - 20 * DAY,
        NOW - 20 * DAY,
      ],
    );
    await db.all(
      "insert into audit_events (firm_id, action, licence_id, client_id, actor_platform, actor_id, created_at) values (?, 'licence.created', ?, ?, 'slack', ?, ?)",
      [firmId, id, clientId, advisor, NOW - 20 * DAY],
    );
    return id;
  };
  // Sent eight days ago and never activated; self-managed, its app silent for five days; a deadline tomorrow.
  const unactivatedClient = await client("Alfa S.L.", false);
  const unactivated = await licence(unactivatedClient, { detailsSentAt: NOW - 8 * DAY });
  const silentClient = await client("Beta S.L.", true);
  const silent = await licence(silentClient, { linkedAt: NOW - 5 * DAY });
  const watchedClient = await client("Gamma S.L.", false);
  await licence(watchedClient, {});
  const deadline = await db.one(
    "insert into notifications (firm_id, client_id, external_id, organismo, asunto, fecha_puesta_disposicion, fecha_max_lectura, estado, created_at) values (?, ?, ?, 'AEAT', 'Requerimiento', ?, ?, 'pendiente', ?) returning id",
    [firmId, watchedClient, `E${n}`, NOW - 9 * DAY, NOW + DAY, NOW - 9 * DAY],
  );
  for (let i = 0; i < (opts.clients ?? 0); i++) await client(`Extra ${i}`, false);
  return {
    firmId,
    advisor,
    unactivated,
    silent,
    deadline,
    unactivatedClient,
    keys: [`deadline:${deadline}`, `unactivated:${unactivated}`, `silent:${silent}`],
  };
}

describe(`the watch's storage (${testStorage()})`, () => {
  let handle: Awaited<ReturnType<typeof openTestStore>>;
  let other: StoreHandle;
  let db: SqlConnection;
  beforeEach(async () => {
    handle = await openTestStore();
    // Another instance: its own connection (SQLite) or pool (PostgreSQL) on the same database.
    other = await handle.database.open();
    db = await openSql(handle.database.target);
  });
  afterEach(async () => {
    await db.close();
    await other.close();
    await handle.dispose();
  });

  const count = async (query: string, params: unknown[] = []) => await db.one(query, params);

  it("claims a firm's day once, whichever store asks and however many at once", async () => {
    const { firmId } = await seedFirm(db);
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? other : handle).store.claimWatchRun(firmId, "2026-11-02", NOW)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await handle.store.claimWatchRun(firmId, "2026-11-03", NOW)).toBe(true);
  });

  it("two stores running the watch at once send each firm's day once, and record it once", async () => {
    const firms = [await seedFirm(db), await seedFirm(db), await seedFirm(db)];
    const [one, two] = [recorder(), recorder()];
    const runs = await Promise.all([
      runWatch(depsOf(handle.store), { slack: one }),
      runWatch(depsOf(other.store), { slack: two }),
    ]);
    const sent = [...one.sent, ...two.sent];
    expect(sent.map((s) => ("userId" in s.target ? s.target.userId : "")).sort()).toEqual(
      firms.map((f) => f.advisor).sort(),
    );
    for (const f of firms) {
      const outcomes = runs.flatMap((r) => r.firms.filter((x) => x.firmId === f.firmId).map((x) => x.outcome));
      expect(outcomes.filter((o) => o === "sent")).toHaveLength(1);
      expect(outcomes.filter((o) => o !== "sent")).toEqual([expect.stringMatching(/^(claimed|nothing)$/)]);
    }
    expect(await count("select count(*) from audit_events where action = 'watch.sent'")).toBe(3);
    expect(await count("select count(*) from watch_runs where sent = 1")).toBe(3);
    expect(await count("select count(*) from watch_items")).toBe(9);
  });

  it("two processes running the watch at once on one database send each firm's day once", async () => {
    const firms = [await seedFirm(db), await seedFirm(db)];
    const outputs = await raceWatchWorkers(handle.database.target, NOW);
    const results = outputs.map((o) => JSON.parse(o) as { sent: { userId: string }[] });
    expect(
      results
        .flatMap((r) => r.sent)
        .map((s) => s.userId)
        .sort(),
    ).toEqual(firms.map((f) => f.advisor).sort());
    expect(await count("select count(*) from audit_events where action = 'watch.sent'")).toBe(2);
  }, 60_000);

  it("npm run watch runs on this storage through the composition root, once per firm and day", async () => {
    const f = await seedFirm(db);
    const team = (await handle.store.watchWorkspaces(f.firmId))[0]?.externalId ?? "";
    const fake = await startFakeSlack();
    try {
      fake.addToken("xoxb-watch-store", { teamId: team, teamName: "Asesoría", botUserId: "UBOT", botId: "BBOT" });
      fake.addUser({ id: f.advisor, teamId: team, name: "Clara", locale: "es-ES" });
      const cli = async (argv: string[]) => {
        const out: string[] = [];
        const env = {
          ...handle.database.env,
          LOG_LEVEL: "silent",
          SLACK_SIGNING_SECRET: "s",
          SLACK_BOT_TOKEN: "xoxb-watch-store",
        };
        const code = await runWatchCli(
          argv,
          env,
          { out: (l) => out.push(l), err: (l) => out.push(l) },
          { slackClientOptions: { slackApiUrl: fake.apiUrl }, now: () => NOW },
        );
        return { code, out: out.join("\n") };
      };
      expect(await cli(["--firm", team, "--dry-run"])).toMatchObject({
        code: 0,
        out: expect.stringContaining("se enviaría 1 mensaje"),
      });
      expect(fake.callsTo("chat.postMessage")).toEqual([]);
      expect(await cli([])).toMatchObject({ code: 0, out: expect.stringContaining("1 mensaje enviado") });
      expect(await cli([])).toMatchObject({ code: 0 });
      expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it("leaves out what was sent until its signature changes; the dashboard still lists it", async () => {
    const f = await seedFirm(db);
    const deps = depsOf(handle.store);
    const before = await watchList(deps, f.firmId, { fresh: true });
    expect(before.items.map((i) => i.key)).toEqual(f.keys);
    expect(before.items.find((i) => i.kind === "unactivated")?.signature).toBe(String(NOW - 8 * DAY));
    expect(before.items.find((i) => i.kind === "silent")?.signature).toBe(String(NOW - 5 * DAY));
    await runWatch(deps, { slack: recorder() });
    // A deadline has no signature: a day closer, it is news every day until handled.
    expect((await watchList(deps, f.firmId, { fresh: true })).items.map((i) => i.key)).toEqual([f.keys[0]]);
    expect((await watchList(deps, f.firmId, { fresh: false })).items.map((i) => i.key)).toEqual(f.keys);
    // Sent again: another item, news again.
    await db.all("update licences set details_sent_at = ? where id = ?", [NOW - 7.5 * DAY, f.unactivated]);
    const again = await watchList(deps, f.firmId, { fresh: true });
    expect(again.items.map((i) => i.key)).toEqual([f.keys[0], f.keys[1]]);
    expect(again.items[1]?.signature).toBe(String(NOW - 7.5 * DAY));
  });

  it("a mute leaves an item out of the run and the dashboard until it changes; a muted deadline stays muted", async () => {
    const f = await seedFirm(db);
    const deps = depsOf(handle.store);
    await handle.store.unit("mute", async (tx) => {
      await tx.muteWatchItem({
        firmId: f.firmId,
        key: `unactivated:${f.unactivated}`,
        signature: String(NOW - 8 * DAY),
        mutedBy: f.advisor,
        now: NOW,
      });
      await tx.muteWatchItem({
        firmId: f.firmId,
        key: `deadline:${f.deadline}`,
        signature: "",
        mutedBy: f.advisor,
        now: NOW,
      });
    });
    for (const fresh of [true, false]) {
      expect((await watchList(deps, f.firmId, { fresh })).items.map((i) => i.key)).toEqual([f.keys[2]]);
    }
    await db.all("update licences set details_sent_at = ? where id = ?", [NOW - 7.5 * DAY, f.unactivated]);
    await db.all("update notifications set fecha_max_lectura = ? where id = ?", [NOW + 2 * DAY, f.deadline]);
    expect((await watchList(deps, f.firmId, { fresh: false })).items.map((i) => i.key)).toEqual([f.keys[1], f.keys[2]]);
    // Another firm's mute of the same key is its own.
    const g = await seedFirm(db);
    expect((await watchList(deps, g.firmId, { fresh: false })).items).toHaveLength(3);
  });

  it("names the advisors of each client from its trail, once each, platforms only", async () => {
    const f = await seedFirm(db);
    const g = await seedFirm(db);
    const trail = (firmId: number, action: string, platform: string, actor: string) =>
      db.all(
        "insert into audit_events (firm_id, action, client_id, actor_platform, actor_id, created_at) values (?, ?, ?, ?, ?, ?)",
        [firmId, action, f.unactivatedClient, platform, actor, NOW],
      );
    await trail(f.firmId, "licence.detailsSent", "teams", "aad-1");
    await trail(f.firmId, "licence.detailsSent", "slack", f.advisor);
    await trail(f.firmId, "licence.created", "cli", "import");
    await trail(f.firmId, "licence.deactivated", "slack", "U0SOMEONE");
    await trail(g.firmId, "licence.created", "slack", "U0OTHERFIRM");
    const advisors = await handle.store.watchAdvisors(f.firmId, [f.unactivatedClient, f.unactivatedClient, 999_999]);
    expect(advisors.get(f.unactivatedClient)).toEqual([
      { platform: "slack", userId: f.advisor },
      { platform: "teams", userId: "aad-1" },
    ]);
    expect(advisors.get(999_999)).toEqual([]);
    expect(await handle.store.firmRequester(f.firmId)).toEqual({ platform: "slack", userId: f.advisor });
    expect(await handle.store.watchWorkspaces(f.firmId)).toEqual([
      { platform: "slack", externalId: expect.any(String) },
    ]);
    expect(await handle.store.activeFirmIds(f.firmId - 1, 1)).toEqual([f.firmId]);
    expect(await handle.store.findNotification(g.firmId, f.deadline)).toBeUndefined();
    expect(await handle.store.findNotification(f.firmId, f.deadline)).toEqual({
      id: f.deadline,
      clientId: expect.any(Number),
    });
  });

  it("keeps one alerts channel per firm and platform", async () => {
    const f = await seedFirm(db);
    const channel = { channelId: "C0ALERTS01", ref: "ref-1" };
    await handle.store.unit("alerts", async (tx) => {
      expect(await tx.alertsChannelForUpdate(f.firmId, "slack")).toBeUndefined();
      await tx.putAlertsChannel(f.firmId, "slack", channel, NOW);
    });
    expect(await other.store.alertsChannel(f.firmId, "slack")).toEqual(channel);
    expect(await other.store.alertsChannel(f.firmId, "teams")).toBeUndefined();
    await handle.store.unit("alerts", async (tx) => {
      expect(await tx.alertsChannelForUpdate(f.firmId, "slack")).toEqual(channel);
      await tx.putAlertsChannel(f.firmId, "slack", null, NOW);
    });
    expect(await handle.store.alertsChannel(f.firmId, "slack")).toBeUndefined();
  });

  describe("export links", () => {
    const token = (n: number) => `${"A".repeat(42)}${n}`;
    const person = (firmId: number) => ({ firmId, platform: "slack" as const, userId: "U0EXPORTER" });
    const link = async (firmId: number, n: number, expiresAt: number) =>
      await handle.store.unit("link", async (tx) => {
        await tx.insertExportLink({
          ...person(firmId),
          locale: "en",
          tokenHash: exportTokenHash(token(n)),
          expiresAt,
          now: NOW,
        });
      });

    it("serves a link once under five requests at once on two stores; audited once", async () => {
      const f = await seedFirm(db);
      await link(f.firmId, 1, NOW + 600_000);
      const opened = await Promise.all(
        Array.from({ length: 5 }, (_, i) => openExport(depsOf((i % 2 ? other : handle).store), token(1))),
      );
      expect(opened.map((o) => o.status).sort()).toEqual(["ready", "used", "used", "used", "used"]);
      expect(opened.find((o) => o.status === "used")).toEqual({ status: "used", locale: "en" });
      expect(await count("select count(*) from audit_events where action = 'firm.exportDownloaded'")).toBe(1);
      expect((await openExport(depsOf(handle.store), token(1))).status).toBe("used");
      expect((await handle.store.exportLink(exportTokenHash(token(1))))?.usedAt).toBe(NOW);
    });

    it("refuses an expired link and an unknown one, and counts only the live links of a person", async () => {
      const f = await seedFirm(db);
      await link(f.firmId, 1, NOW);
      await link(f.firmId, 2, NOW + 1);
      await link(f.firmId, 3, NOW - 2 * DAY);
      expect(await openExport(depsOf(handle.store), token(1))).toEqual({ status: "expired", locale: "en" });
      expect(await handle.store.unit("use", async (tx) => await tx.useExportLink(exportTokenHash(token(1)), NOW))).toBe(
        undefined,
      );
      expect(await openExport(depsOf(handle.store), token(9))).toEqual({ status: "unknown" });
      expect(await handle.store.liveExportLinks(person(f.firmId), NOW)).toBe(1);
      expect(await handle.store.liveExportLinks({ ...person(f.firmId), userId: "U0SOMEONE" }, NOW)).toBe(0);
      await handle.store.unit("purge", async (tx) => await tx.purgeExportLinks(NOW - DAY));
      expect(await handle.store.exportLink(exportTokenHash(token(3)))).toBeUndefined();
      expect(await handle.store.exportLink(exportTokenHash(token(1)))).toBeDefined();
    });

    it("pages the firm's clients by name, 500 at a time, the other firm's never", async () => {
      const f = await seedFirm(db, { clients: 1_100 });
      const g = await seedFirm(db, { clients: 3 });
      // Two clients with one name: the id decides their order.
      await db.all("update clients set name = 'Extra 7' where firm_id = ? and name = 'Extra 8'", [f.firmId]);
      await db.all(
        "insert into installations (licence_id, installation_key, token_hash, created_at, last_seen_at) values (?, 'machine', 'hash-1', ?, ?)",
        [f.silent, NOW - 5 * DAY, NOW - DAY],
      );
      const installation = await db.one("select id from installations where licence_id = ?", [f.silent]);
      await db.all("update licences set installation_id = ? where id = ?", [installation, f.silent]);
      const rows: ExportRow[] = [];
      const sizes: number[] = [];
      for (let after: { name: string; id: number } | undefined; ; ) {
        const page = await handle.store.exportPage(f.firmId, after, 500);
        sizes.push(page.length);
        rows.push(...page);
        const last = page[page.length - 1];
        if (page.length < 500 || !last) break;
        after = { name: last.name, id: last.id };
      }
      expect(sizes).toEqual([500, 500, 103]);
      const expected = await db.all<{ id: number | string; name: string }>(
        "select id, name from clients where firm_id = ?",
        [f.firmId],
      );
      const bytes = (s: string) => Buffer.from(s, "utf8");
      const order = expected
        .map((r) => ({ id: Number(r.id), name: r.name }))
        .sort((a, b) => Buffer.compare(bytes(a.name), bytes(b.name)) || a.id - b.id);
      expect(rows.map((r) => r.id)).toEqual(order.map((r) => r.id));
      const twins = rows.filter((r) => r.name === "Extra 7").map((r) => r.id);
      expect(twins).toEqual([...twins].sort((a, b) => a - b));
      const beta = rows.find((r) => r.name === "Beta S.L.");
      expect(beta).toMatchObject({
        selfManaged: true,
        licence: { state: "active", linked: true, lastSeenAt: NOW - DAY },
      });
      expect(rows.find((r) => r.name === "Alfa S.L.")?.licence).toMatchObject({
        linked: false,
        detailsSentAt: NOW - 8 * DAY,
        lastSeenAt: null,
      });
      expect(rows.find((r) => r.name === "Extra 0")).toMatchObject({ selfManaged: false, licence: null });
      const theirs = new Set((await handle.store.exportPage(g.firmId, undefined, 500)).map((r) => r.id));
      expect(rows.some((r) => theirs.has(r.id))).toBe(false);
    }, 60_000);
  });
});
