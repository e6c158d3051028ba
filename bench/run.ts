/**
 * npm run bench [-- --quick] [-- --storage sqlite|postgres|both]: the hot
 * paths at a vendor's scale, side by side with peers measured in the same
 * run, on SQLite and on PostgreSQL (docs/architecture.md, Performance).
 *
 * Seeds 1M licences over ~900 firms (one with 100k) through the project's
 * own schema, calls the list use cases directly, then drives the compiled
 * server (a child process on loopback) and its peers over HTTP with 32
 * requests in flight: a minimal express + better-sqlite3 app and a bare
 * node:http server for the client API's validation, a bare Bolt app for
 * `/licencias lista`. Each measure runs three times (median [min–max]).
 *
 * With PostgreSQL (`--storage postgres` or `both`, the default), a throwaway
 * server (test/support/postgres.ts) is migrated and gets the very rows of the
 * SQLite file (bench/seed-pg.ts); the same use cases run on the PostgreSQL
 * store, and the same HTTP measures on the app started with DATABASE_URL, in
 * the same loop as SQLite's. The table shows both columns and the ratio
 * PostgreSQL/SQLite. The targets (and the exit code) are SQLite's; on
 * PostgreSQL, figures only, but a failed request is a miss on either.
 * Start time, idle memory and memory under mixed load are SQLite's only.
 *
 * --quick: a small database and one short run of each, for CI (a couple of minutes on 2 cores).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { WATCH_DEFAULTS } from "../src/config.ts";
import { openStore } from "../src/db/index.ts";
import { migratePg } from "../src/db/pg/migrate.ts";
import type { StorageKind } from "../src/db/store/index.ts";
import {
  type Actor,
  type Deps,
  getHistory,
  listFirms,
  listLicences,
  listNotifications,
} from "../src/handlers/index.ts";
import { createLogger } from "../src/logger.ts";
import { type PgServer, startPostgres } from "../test/support/postgres.ts";
import { drive, Outside, SIGNING_SECRET, slashCommand, type Throughput, teamsMessage, validation } from "./load.ts";
import {
  type Child,
  compileChildren,
  dist,
  distIsFresh,
  productionFlags,
  root,
  startChild,
  startProduction,
} from "./processes.ts";
import { FULL, QUICK, type Seeded, seed, WORKSPACES } from "./seed.ts";
import { copyToPostgres } from "./seed-pg.ts";
import { type Failed, type Figure, type Row, type Spread, table } from "./table.ts";

/** `--storage sqlite|postgres|both` (or `--storage=…`), default both. */
function storageArg(argv: string[]): StorageKind[] {
  const at = argv.findIndex((a) => a === "--storage" || a.startsWith("--storage="));
  const value = at < 0 ? "both" : argv[at]?.includes("=") ? argv[at]?.split("=")[1] : argv[at + 1];
  if (value === "both") return ["sqlite", "postgres"];
  if (value === "sqlite" || value === "postgres") return [value];
  process.stderr.write(`bench: --storage takes sqlite, postgres or both, not ${value ?? "nothing"}\n`);
  process.exit(2);
}

const quick = process.argv.includes("--quick");
const storages = storageArg(process.argv.slice(2));
const onSqlite = storages.includes("sqlite");
const onPostgres = storages.includes("postgres");
const scale = quick ? QUICK : FULL;
const RUNS = quick ? 1 : 3;
const IN_FLIGHT = 32;
const HTTP = quick ? { durationMs: 1000, warmupMs: 300 } : { durationMs: 5000, warmupMs: 1500 };
const MIXED_MS = quick ? 5000 : 120_000;
const started = performance.now();
const say = (text: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);

if (distIsFresh()) {
  say(`${quick ? "quick" : "full"} run; dist/ is newer than every file in src/`);
} else {
  say(`${quick ? "quick" : "full"} run; building dist/ (npm run build)`);
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
compileChildren();

const dir = mkdtempSync(join(tmpdir(), "licencias-bench-"));
const dbPath = join(dir, "bench.db");
const rows: Row[] = [];
const children: Child[] = [];
let outside: Outside | undefined;
let postgres: PgServer | undefined;
let pgUrl = "";

/** The project's store on the bench's database of `kind`, as the app opens it (the default pool size). */
function openBenchStore(kind: StorageKind) {
  return openStore({ path: dbPath, database: kind === "postgres" ? { url: pgUrl, poolSize: 10 } : undefined });
}

/** Median and spread of `runs` values. */
function summary(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? Number.NaN, min: s[0] ?? Number.NaN, max: s.at(-1) ?? Number.NaN };
}

/** Mean time of one call (ms): calls repeated for at least 300 ms (2 to 500 calls), after 2 warm-up calls. */
async function perCall(fn: () => unknown): Promise<number> {
  await fn();
  await fn();
  let n = 0;
  const t0 = performance.now();
  while (n < 2 || (n < 500 && performance.now() - t0 < 300)) {
    await fn();
    n++;
  }
  return (performance.now() - t0) / n;
}

async function repeatAsync<T>(fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await fn());
  return out;
}

/** Why a measure has no figure: what it threw (a miss, shown in its cell). */
const failure = (err: unknown): Failed => ({
  failed: (err instanceof Error ? err.message : String(err)).replace(/\s+/g, " ").slice(0, 300),
});

/** `perCall` of `fn`, RUNS times: median and spread, or the failure. */
async function timed(fn: () => unknown): Promise<Figure> {
  try {
    return summary(await repeatAsync(() => perCall(fn)));
  } catch (err) {
    return failure(err);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The list use cases' figures on one storage. */
interface UseCaseFigures {
  first: Figure;
  firstMid: Figure;
  firstSmall: Figure;
  deep: Figure;
  history: Figure;
  historySmall: Figure;
  notifications: Figure;
  notificationsSmall: Figure;
  firms: Figure;
  /** What the first and the deep page show: the same on both storages, or they were not given the same rows. */
  seen: string | undefined;
}

/** A deep cursor of the largest firm's licence list, and how many rows precede it. */
interface Deep {
  after: string | undefined;
  depth: number;
}

/**
 * The use cases called directly on `kind`'s store. The deep page is walked
 * to on the first storage (page after page, within a time budget) and the
 * same cursor is read on the second: the cursors are the sort keys, and the
 * rows are the same.
 */
async function useCases(kind: StorageKind, seeded: Seeded, deep: Deep | undefined) {
  const handle = await openBenchStore(kind);
  try {
    const silent = createLogger({ level: "warn", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const deps: Deps = {
      store: handle.store,
      now: Date.now,
      randomBytes: () => new Uint8Array(32),
      logger: silent,
      support: { slackChannelId: "CSUPPORT01", userIds: [] },
      watch: WATCH_DEFAULTS,
      notifiers: {},
    };
    const actor = (workspaceId: string): Actor => ({
      platform: "slack",
      workspaceId,
      userId: "U0BENCH001",
      locale: "es",
    });
    const big = actor(WORKSPACES.big);
    const mid = actor(WORKSPACES.mid);
    const small = actor(WORKSPACES.small);
    const support: Actor = { ...actor("T0VENDOR01"), channelId: "CSUPPORT01" };

    say(`${kind}: licence list, first pages`);
    const first = await timed(() => listLicences(deps, big));
    const firstMid = await timed(() => listLicences(deps, mid));
    const firstSmall = await timed(() => listLicences(deps, small));

    let reached = deep;
    let walk: Failed | undefined;
    if (!reached) {
      say(`${kind}: licence list, walking to a deep page`);
      let after: string | undefined;
      let depth = 0;
      const walkEnd = performance.now() + (quick ? 5000 : 30_000);
      try {
        while (depth < scale.big / 2 && performance.now() < walkEnd) {
          const page = await listLicences(deps, big, { after, limit: 50 });
          if (!page.next) break;
          after = page.next;
          depth += page.items.length;
        }
        reached = { after, depth };
      } catch (err) {
        walk = failure(err);
      }
    }
    const deepAfter = reached?.after;
    const deepPage = walk ?? (await timed(() => listLicences(deps, big, { after: deepAfter })));
    const shown = async (after: string | undefined) =>
      (await listLicences(deps, big, { after })).items.map((l) => l.number).join(",");
    const seen = await Promise.all([shown(undefined), shown(deepAfter)]).then(
      (pages) => pages.join(" "),
      () => undefined,
    );

    say(`${kind}: history, notifications, support's firm list`);
    const figures: UseCaseFigures = {
      first,
      firstMid,
      firstSmall,
      deep: deepPage,
      history: await timed(() => getHistory(deps, big, { text: seeded.historyTaxId })),
      historySmall: await timed(() => getHistory(deps, small, { text: seeded.smallHistoryTaxId })),
      notifications: await timed(() => listNotifications(deps, big)),
      notificationsSmall: await timed(() => listNotifications(deps, small)),
      firms: await timed(() => listFirms(deps, support)),
      seen,
    };
    return { figures, deep: reached };
  } finally {
    await handle.close();
  }
}

try {
  say(
    `seeding ${(scale.big + scale.mid + scale.smallFirms * scale.small).toLocaleString("en")} licences (largest firm ${scale.big.toLocaleString("en")})${onSqlite ? "" : " in SQLite, the source of PostgreSQL's rows"}`,
  );
  const seeded = seed(dbPath, scale);
  say(
    `seeded ${seeded.licences.toLocaleString("en")} licences, ${seeded.firms} firms in ${(seeded.ms / 1000).toFixed(1)} s`,
  );
  if (onPostgres) {
    say("starting a throwaway PostgreSQL server");
    postgres = await startPostgres({ database: "licencias_bench" });
    pgUrl = postgres.url;
    await migratePg(pgUrl);
    const copied = await copyToPostgres(dbPath, pgUrl, (line) => say(`postgres: ${line}`));
    say(`copied ${copied.rows.toLocaleString("en")} rows into PostgreSQL in ${(copied.ms / 1000).toFixed(1)} s`);
  }

  // 1. The use cases, called directly on the seeded database(s).
  {
    const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));
    const on: Partial<Record<StorageKind, UseCaseFigures>> = {};
    let deep: Deep | undefined;
    for (const kind of storages) {
      const got = await useCases(kind, seeded, deep);
      on[kind] = got.figures;
      deep = got.deep;
    }
    if (on.sqlite?.seen && on.postgres?.seen && on.sqlite.seen !== on.postgres.seen) {
      throw new Error("bench: the licence list's pages differ between SQLite and PostgreSQL on the same rows");
    }
    const s = on.sqlite;
    const p = on.postgres;
    const smallFirm = `${k(scale.small)} firm`;
    rows.push({
      measure: `licence list, first page (${k(scale.big)} of ${k(seeded.licences)}) vs ${k(scale.small)}`,
      unit: "ms",
      value: s?.first,
      peer: s?.firstSmall,
      peerName: smallFirm,
      max: 5,
      maxRatio: 2,
      postgres: p?.first,
    });
    rows.push({
      measure: `  the same, ${k(scale.small)} firm`,
      unit: "ms",
      value: s?.firstSmall,
      postgres: p?.firstSmall,
    });
    rows.push({
      measure: `licence list, first page (${k(scale.mid)} firm)`,
      unit: "ms",
      value: s?.firstMid,
      postgres: p?.firstMid,
    });
    rows.push({
      measure: `licence list, a deep page (by key, row ${(deep?.depth ?? 0).toLocaleString("en")})`,
      unit: "ms",
      value: s?.deep,
      max: 5,
      postgres: p?.deep,
    });
    rows.push({
      measure: `history of one licence (${k(scale.big)} firm) vs ${k(scale.small)}`,
      unit: "ms",
      value: s?.history,
      peer: s?.historySmall,
      peerName: smallFirm,
      max: 2,
      postgres: p?.history,
    });
    rows.push({
      measure: `notifications, first page (${k(scale.big)} firm) vs ${k(scale.small)}`,
      unit: "ms",
      value: s?.notifications,
      peer: s?.notificationsSmall,
      peerName: smallFirm,
      max: 5,
      postgres: p?.notifications,
    });
    rows.push({
      measure: `support's despachos (${seeded.firms} firms, ${k(seeded.licences)} licences)`,
      unit: "ms",
      value: s?.firms,
      max: 50,
      postgres: p?.firms,
    });
  }

  // 2. Over HTTP: the compiled app on each storage and the peers, one at a time, 32 in flight.
  outside = await new Outside().start();
  const out = outside;
  const appEnv = {
    BENCH_DIST: dist,
    BENCH_SLACK_API_URL: `${out.url}/api/`,
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench-0000-token",
    SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01",
    LOG_LEVEL: "info",
  };
  const sqliteEnv = { ...appEnv, DATABASE_PATH: dbPath };
  const flags = productionFlags();
  say(`starting the app (node ${[...flags, "dist/…"].join(" ")}) on ${storages.join(" and ")}, and its peers`);
  const apps: Partial<Record<StorageKind, Child>> = {};
  /** Why the app did not start on a storage: its measures are shown as failed. */
  const notStarted: Partial<Record<StorageKind, Failed>> = {};
  for (const kind of storages) {
    try {
      const app = await startChild("serve", kind === "sqlite" ? sqliteEnv : { ...appEnv, DATABASE_URL: pgUrl }, flags);
      children.push(app);
      apps[kind] = app;
    } catch (err) {
      notStarted[kind] = failure(err);
      say(`the app did not start on ${kind}`);
    }
  }
  // The peers stand beside SQLite's figures (its targets are ratios to them).
  let peers: { bolt: Child; express: Child; http: Child } | undefined;
  if (apps.sqlite) {
    // The app's own answer to `/licencias lista`, which the Bolt peer sends back in the same way.
    const answer = await slashCommand(out, apps.sqlite.url, "lista", 0);
    peers = {
      bolt: await startChild("bolt-peer", {
        BENCH_ANSWER: answer,
        BENCH_SIGNING_SECRET: SIGNING_SECRET,
        BENCH_SLACK_API_URL: `${out.url}/api/`,
      }),
      express: await startChild("express-peer", { BENCH_DATABASE_PATH: dbPath }),
      http: await startChild("http-peer", { BENCH_DATABASE_PATH: dbPath }),
    };
    children.push(peers.bolt, peers.express, peers.http);
  }

  const tokens = seeded.tokens;
  const validate = (c: Child) =>
    drive((i) => validation(c.url, tokens[i % tokens.length] ?? ""), { concurrency: IN_FLIGHT, ...HTTP });
  /** Throughput of `/licencias lista`, and the CPU the server spent per command. */
  const lista = async (c: Child): Promise<Throughput & { cpuUs: number }> => {
    const before = (await c.stats()).cpu;
    let ops = 0;
    const result = await drive(
      (i) => {
        ops++;
        return slashCommand(out, c.url, "lista", i);
      },
      { concurrency: IN_FLIGHT, ...HTTP },
    );
    const after = (await c.stats()).cpu;
    const cpuUs = (after.user - before.user + after.system - before.system) / Math.max(1, ops);
    return { ...result, cpuUs };
  };
  const errors = (list: Throughput[]) => list.reduce((n, t) => n + t.errors, 0);
  /** The runs' figures; none when the app did not start, failed when no request of a run completed. */
  const figures = <T extends Throughput>(kind: StorageKind | "peer", list: T[], pick: (t: T) => number) => {
    if (list.length === 0) return kind === "peer" ? undefined : notStarted[kind];
    const empty = list.find((t) => t.count === 0);
    if (empty) return failure(empty.firstError ?? "no request completed within the measure's window");
    return summary(list.map(pick));
  };
  const firstError = (list: Throughput[]) => list.find((t) => t.firstError)?.firstError;

  say(
    `client API validation: app on ${storages.join(", ")}${peers ? ", minimal express + better-sqlite3, bare node:http" : ""}`,
  );
  const v: Record<"sqlite" | "postgres" | "express" | "http", Throughput[]> = {
    sqlite: [],
    postgres: [],
    express: [],
    http: [],
  };
  for (let r = 0; r < RUNS; r++) {
    if (apps.sqlite) v.sqlite.push(await validate(apps.sqlite));
    if (peers) v.express.push(await validate(peers.express));
    if (peers) v.http.push(await validate(peers.http));
    if (apps.postgres) v.postgres.push(await validate(apps.postgres));
  }
  for (const kind of storages) {
    const failed = firstError(v[kind]);
    if (failed) say(`${kind}: a validation failed: ${failed}`);
  }
  rows.push({
    measure: "client API validation over HTTP, 32 in flight",
    unit: "req/s",
    value: figures("sqlite", v.sqlite, (t) => t.rps),
    peer: figures("peer", v.express, (t) => t.rps),
    peerName: "express 5 + better-sqlite3",
    minRatio: 0.8,
    errors: errors(v.sqlite),
    postgres: figures("postgres", v.postgres, (t) => t.rps),
    postgresErrors: errors(v.postgres),
  });
  rows.push({
    measure: "client API validation, p99",
    unit: "ms",
    value: figures("sqlite", v.sqlite, (t) => t.p99),
    peer: figures("peer", v.express, (t) => t.p99),
    peerName: "express 5 + better-sqlite3",
    maxRatio: 2,
    postgres: figures("postgres", v.postgres, (t) => t.p99),
  });
  if (peers) {
    rows.push({
      measure: "  the floor: bare node:http, same lookup",
      unit: "req/s",
      value: figures("peer", v.http, (t) => t.rps),
      errors: errors(v.http),
    });
  }

  say(`/licencias lista: app on ${storages.join(", ")}${peers ? ", bare Bolt" : ""}`);
  const l: Record<"sqlite" | "postgres" | "bolt", (Throughput & { cpuUs: number })[]> = {
    sqlite: [],
    postgres: [],
    bolt: [],
  };
  for (let r = 0; r < RUNS; r++) {
    if (apps.sqlite) l.sqlite.push(await lista(apps.sqlite));
    if (peers) l.bolt.push(await lista(peers.bolt));
    if (apps.postgres) l.postgres.push(await lista(apps.postgres));
  }
  for (const kind of storages) {
    const failed = firstError(l[kind]);
    if (failed) say(`${kind}: a /licencias lista failed: ${failed}`);
  }
  rows.push({
    measure: `/licencias lista (${WORKSPACES.chatLicences} licences), signed, 32 in flight`,
    unit: "req/s",
    value: figures("sqlite", l.sqlite, (t) => t.rps),
    peer: figures("peer", l.bolt, (t) => t.rps),
    peerName: "bare Bolt (ack, respond)",
    minRatio: 1,
    errors: errors(l.sqlite),
    postgres: figures("postgres", l.postgres, (t) => t.rps),
    postgresErrors: errors(l.postgres),
  });
  rows.push({
    measure: "/licencias lista, p99",
    unit: "ms",
    value: figures("sqlite", l.sqlite, (t) => t.p99),
    peer: figures("peer", l.bolt, (t) => t.p99),
    peerName: "bare Bolt (ack, respond)",
    maxRatio: 1,
    postgres: figures("postgres", l.postgres, (t) => t.p99),
  });
  rows.push({
    measure: "CPU per Slack command (server process)",
    unit: "µs",
    value: figures("sqlite", l.sqlite, (t) => t.cpuUs),
    peer: figures("peer", l.bolt, (t) => t.cpuUs),
    peerName: "bare Bolt (ack, respond)",
    max: 1000,
    postgres: figures("postgres", l.postgres, (t) => t.cpuUs),
  });
  for (const c of children.splice(0)) await c.stop();

  if (onSqlite) {
    // 3. The production command: start time and idle memory.
    const slackOnly = {
      HOST: "127.0.0.1",
      DATABASE_PATH: dbPath,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench-0000-token",
      LOG_LEVEL: "info",
    };
    const both = { ...slackOnly, BOT_ID: "00000000-0000-0000-0000-00000000b07d", BOT_PASSWORD: "bench-password" };
    const idleMs = quick ? 500 : 3000;
    say("npm run start:prod: start to the first /healthz 200, idle RSS");
    const prodSlack = await repeatAsync(async () => startProduction(slackOnly, await freePort(), idleMs));
    const prodBoth = await repeatAsync(async () => startProduction(both, await freePort(), idleMs));
    rows.push({
      measure: "start:prod to first /healthz 200 (Slack + Teams)",
      value: summary(prodBoth.map((p) => p.startMs)),
      unit: "ms",
      max: 1000,
    });
    rows.push({
      measure: "  the same, Slack only",
      value: summary(prodSlack.map((p) => p.startMs)),
      unit: "ms",
      max: 1000,
    });
    rows.push({
      measure: "idle RSS, Slack only",
      value: summary(prodSlack.map((p) => p.idleRss)),
      unit: "MiB",
      max: 120,
    });
    rows.push({
      measure: "idle RSS, Slack + Teams",
      value: summary(prodBoth.map((p) => p.idleRss)),
      unit: "MiB",
      max: 170,
    });

    // 4. Memory under mixed load: Slack commands, validations and Teams messages at once.
    say(`RSS under ${MIXED_MS / 1000} s of mixed load (Slack, Teams, client API)`);
    const mixedApp = await startChild("serve", sqliteEnv, flags);
    children.push(mixedApp);
    const words = ["lista", "clientes", "notificaciones", "ayuda", "lista"];
    const mixed = { durationMs: MIXED_MS, warmupMs: 0 };
    let highest = 0;
    const sampler = setInterval(() => {
      highest = Math.max(highest, mixedApp.rss().now);
    }, 250);
    const [slackLoad, apiLoad, teamsLoad] = await Promise.all([
      drive((i) => slashCommand(out, mixedApp.url, words[i % words.length] ?? "lista", i), {
        concurrency: 12,
        ...mixed,
      }),
      drive((i) => validation(mixedApp.url, tokens[i % tokens.length] ?? ""), { concurrency: 12, ...mixed }),
      drive((i) => teamsMessage(out, mixedApp.url, words[i % words.length] ?? "lista", i), {
        concurrency: 8,
        ...mixed,
      }),
    ]);
    clearInterval(sampler);
    const end = mixedApp.rss();
    const retained = await mixedApp.retained();
    rows.push({
      measure: `RSS under mixed load (${(slackLoad.count + apiLoad.count + teamsLoad.count).toLocaleString("en")} requests), peak`,
      value: summary([Math.max(highest, end.peak)]),
      unit: "MiB",
      max: 300,
      errors: slackLoad.errors + apiLoad.errors + teamsLoad.errors,
    });
    rows.push({
      measure: "  heap retained after it (after a full GC)",
      value: summary([retained / 1048576]),
      unit: "MiB",
    });
    say(
      `mixed load: Slack ${slackLoad.rps.toFixed(0)}/s, client API ${apiLoad.rps.toFixed(0)}/s, Teams ${teamsLoad.rps.toFixed(0)}/s`,
    );
  }
} finally {
  for (const c of children) await c.stop();
  await outside?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const { text, missed } = table(rows);
process.stdout.write(
  `\nnpm run bench${quick ? " --quick" : ""} (${storages.join(" and ")}): ${RUNS} run(s) each, median [min–max]; node ${process.version}, ${(
    (performance.now() - started) / 1000
  ).toFixed(0)} s\n\n${text}\n`,
);
process.exit(missed > 0 ? 1 : 0);
