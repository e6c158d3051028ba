/**
 * npm run bench [-- --quick]: the hot paths at a vendor's scale, side by side
 * with peers measured in the same run (docs/architecture.md, Performance).
 *
 * Seeds 1M licences over ~900 firms (one with 100k) through the project's
 * own schema, calls the list use cases directly, then drives the compiled
 * server (a child process on loopback) and its peers over HTTP with 32
 * requests in flight: a minimal express + better-sqlite3 app and a bare
 * node:http server for the client API's validation, a bare Bolt app for
 * `/licencias lista`. Each measure runs three times (median [min–max]).
 * Prints one table and exits 1 when a target is missed.
 *
 * --quick: a small database and one short run of each, for CI (well under a minute).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { WATCH_DEFAULTS } from "../src/config.ts";
import { openStore } from "../src/db/index.ts";
import {
  type Actor,
  type Deps,
  getHistory,
  listFirms,
  listLicences,
  listNotifications,
} from "../src/handlers/index.ts";
import { createLogger } from "../src/logger.ts";
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
import { FULL, QUICK, seed, WORKSPACES } from "./seed.ts";
import { type Row, table } from "./table.ts";

const quick = process.argv.includes("--quick");
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

/** Median and spread of `runs` values. */
function summary(values: number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? Number.NaN, min: s[0] ?? Number.NaN, max: s.at(-1) ?? Number.NaN };
}

/** Mean time of one call (ms): calls repeated for at least 300 ms (2 to 500 calls), after 2 warm-up calls. */
async function perCall(fn: () => Promise<unknown>): Promise<number> {
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

try {
  say(
    `seeding ${(scale.big + scale.mid + scale.smallFirms * scale.small).toLocaleString("en")} licences (largest firm ${scale.big.toLocaleString("en")})`,
  );
  const seeded = seed(dbPath, scale);
  say(
    `seeded ${seeded.licences.toLocaleString("en")} licences, ${seeded.firms} firms in ${(seeded.ms / 1000).toFixed(1)} s`,
  );

  // 1. The use cases, called directly on the seeded file.
  {
    const handle = await openStore({ path: dbPath });
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
    const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

    say("licence list, first pages");
    const first = summary(await repeatAsync(async () => await perCall(async () => await listLicences(deps, big))));
    const firstMid = summary(await repeatAsync(async () => await perCall(async () => await listLicences(deps, mid))));
    const firstSmall = summary(
      await repeatAsync(async () => await perCall(async () => await listLicences(deps, small))),
    );
    rows.push({
      measure: `licence list, first page (${k(scale.big)} of ${k(seeded.licences)}) vs ${k(scale.small)}`,
      value: first,
      unit: "ms",
      peer: firstSmall,
      peerName: `${k(scale.small)} firm`,
      max: 5,
      maxRatio: 2,
    });
    rows.push({ measure: `licence list, first page (${k(scale.mid)} firm)`, value: firstMid, unit: "ms" });

    // A deep cursor, reached the way a user would (page after page), within a time budget.
    say("licence list, walking to a deep page");
    let after: string | undefined;
    let depth = 0;
    const walkEnd = performance.now() + (quick ? 5000 : 30_000);
    while (depth < scale.big / 2 && performance.now() < walkEnd) {
      const page = await listLicences(deps, big, { after, limit: 50 });
      if (!page.next) break;
      after = page.next;
      depth += page.items.length;
    }
    const deepAfter = after;
    rows.push({
      measure: `licence list, a deep page (by key, row ${depth.toLocaleString("en")})`,
      value: summary(
        await repeatAsync(async () => await perCall(async () => await listLicences(deps, big, { after: deepAfter }))),
      ),
      unit: "ms",
      max: 5,
    });

    say("history, notifications, support's firm list");
    rows.push({
      measure: `history of one licence (${k(scale.big)} firm) vs ${k(scale.small)}`,
      value: summary(
        await repeatAsync(
          async () => await perCall(async () => await getHistory(deps, big, { text: seeded.historyTaxId })),
        ),
      ),
      unit: "ms",
      peer: summary(
        await repeatAsync(
          async () => await perCall(async () => await getHistory(deps, small, { text: seeded.smallHistoryTaxId })),
        ),
      ),
      peerName: `${k(scale.small)} firm`,
      max: 2,
    });
    rows.push({
      measure: `notifications, first page (${k(scale.big)} firm) vs ${k(scale.small)}`,
      value: summary(await repeatAsync(async () => await perCall(async () => await listNotifications(deps, big)))),
      unit: "ms",
      peer: summary(await repeatAsync(async () => await perCall(async () => await listNotifications(deps, small)))),
      peerName: `${k(scale.small)} firm`,
      max: 5,
    });
    rows.push({
      measure: `support's despachos (${seeded.firms} firms, ${k(seeded.licences)} licences)`,
      value: summary(await repeatAsync(async () => await perCall(async () => await listFirms(deps, support)))),
      unit: "ms",
      max: 50,
    });
    await handle.close();
  }

  // 2. Over HTTP: the compiled app and its peers, one at a time, 32 in flight.
  outside = await new Outside().start();
  const out = outside;
  const appEnv = {
    BENCH_DIST: dist,
    BENCH_SLACK_API_URL: `${out.url}/api/`,
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: dbPath,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench-0000-token",
    SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01",
    LOG_LEVEL: "info",
  };
  const flags = productionFlags();
  say(`starting the app (node ${[...flags, "dist/…"].join(" ")}) and its peers`);
  const app = await startChild("serve", appEnv, flags);
  children.push(app);
  // The app's own answer to `/licencias lista`, which the Bolt peer sends back in the same way.
  const answer = await slashCommand(out, app.url, "lista", 0);
  const bolt = await startChild("bolt-peer", {
    BENCH_ANSWER: answer,
    BENCH_SIGNING_SECRET: SIGNING_SECRET,
    BENCH_SLACK_API_URL: `${out.url}/api/`,
  });
  const expressPeer = await startChild("express-peer", { BENCH_DATABASE_PATH: dbPath });
  const httpPeer = await startChild("http-peer", { BENCH_DATABASE_PATH: dbPath });
  children.push(bolt, expressPeer, httpPeer);

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

  say("client API validation: app, minimal express + better-sqlite3, bare node:http");
  const v: Record<"app" | "express" | "http", Throughput[]> = { app: [], express: [], http: [] };
  for (let r = 0; r < RUNS; r++) {
    v.app.push(await validate(app));
    v.express.push(await validate(expressPeer));
    v.http.push(await validate(httpPeer));
  }
  const errors = (list: Throughput[]) => list.reduce((n, t) => n + t.errors, 0);
  rows.push({
    measure: "client API validation over HTTP, 32 in flight",
    value: summary(v.app.map((t) => t.rps)),
    unit: "req/s",
    peer: summary(v.express.map((t) => t.rps)),
    peerName: "express 5 + better-sqlite3",
    minRatio: 0.8,
    errors: errors(v.app),
  });
  rows.push({
    measure: "client API validation, p99",
    value: summary(v.app.map((t) => t.p99)),
    unit: "ms",
    peer: summary(v.express.map((t) => t.p99)),
    peerName: "express 5 + better-sqlite3",
    maxRatio: 2,
  });
  rows.push({
    measure: "  the floor: bare node:http, same lookup",
    value: summary(v.http.map((t) => t.rps)),
    unit: "req/s",
    errors: errors(v.http),
  });

  say("/licencias lista: app, bare Bolt");
  const s: Record<"app" | "bolt", (Throughput & { cpuUs: number })[]> = { app: [], bolt: [] };
  for (let r = 0; r < RUNS; r++) {
    s.app.push(await lista(app));
    s.bolt.push(await lista(bolt));
  }
  rows.push({
    measure: `/licencias lista (${WORKSPACES.chatLicences} licences), signed, 32 in flight`,
    value: summary(s.app.map((t) => t.rps)),
    unit: "req/s",
    peer: summary(s.bolt.map((t) => t.rps)),
    peerName: "bare Bolt (ack, respond)",
    minRatio: 1,
    errors: errors(s.app),
  });
  rows.push({
    measure: "/licencias lista, p99",
    value: summary(s.app.map((t) => t.p99)),
    unit: "ms",
    peer: summary(s.bolt.map((t) => t.p99)),
    peerName: "bare Bolt (ack, respond)",
    maxRatio: 1,
  });
  rows.push({
    measure: "CPU per Slack command (server process)",
    value: summary(s.app.map((t) => t.cpuUs)),
    unit: "µs",
    peer: summary(s.bolt.map((t) => t.cpuUs)),
    peerName: "bare Bolt (ack, respond)",
    max: 1000,
  });
  for (const c of children.splice(0)) await c.stop();

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
  const mixedApp = await startChild("serve", appEnv, flags);
  children.push(mixedApp);
  const words = ["lista", "clientes", "notificaciones", "ayuda", "lista"];
  const mixed = { durationMs: MIXED_MS, warmupMs: 0 };
  let highest = 0;
  const sampler = setInterval(() => {
    highest = Math.max(highest, mixedApp.rss().now);
  }, 250);
  const [slackLoad, apiLoad, teamsLoad] = await Promise.all([
    drive((i) => slashCommand(out, mixedApp.url, words[i % words.length] ?? "lista", i), { concurrency: 12, ...mixed }),
    drive((i) => validation(mixedApp.url, tokens[i % tokens.length] ?? ""), { concurrency: 12, ...mixed }),
    drive((i) => teamsMessage(out, mixedApp.url, words[i % words.length] ?? "lista", i), { concurrency: 8, ...mixed }),
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
} finally {
  for (const c of children) await c.stop();
  await outside?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const { text, missed } = table(rows);
process.stdout.write(
  `\nnpm run bench${quick ? " --quick" : ""}: ${RUNS} run(s) each, median [min–max]; node ${process.version}, ${(
    (performance.now() - started) / 1000
  ).toFixed(0)} s\n\n${text}\n`,
);
process.exit(missed > 0 ? 1 : 0);
