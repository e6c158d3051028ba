/**
 * tsx bench/profile.ts [slack|api|mixed] [--seconds N] [--memory] [-- node flags…]:
 * a CPU profile of the compiled app under one kind of the bench's traffic
 * (node --cpu-prof on the app's process), written to a temporary folder
 * whose path is printed, with the hottest functions by self time. Open the
 * .cpuprofile in Chrome's DevTools for the whole picture. With --memory, no
 * profile: the peak RSS and the heap retained after the load, to compare
 * node flags (docs/architecture.md, Performance).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drive, Outside, SIGNING_SECRET, slashCommand, teamsMessage, validation } from "./load.ts";
import { compileChildren, dist, distIsFresh, productionFlags, root, startChild } from "./processes.ts";
import { QUICK, seed } from "./seed.ts";

const kind = process.argv.find((a) => a === "slack" || a === "api" || a === "mixed") ?? "slack";
const secondsAt = process.argv.indexOf("--seconds");
const seconds = secondsAt > 0 ? Number(process.argv[secondsAt + 1]) : 10;
const memory = process.argv.includes("--memory");
const dashes = process.argv.indexOf("--");
const extraFlags = dashes > 0 ? process.argv.slice(dashes + 1) : [];

if (!distIsFresh())
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
compileChildren();
const dir = mkdtempSync(join(tmpdir(), "licencias-profile-"));
const dbPath = join(dir, "bench.db");
const seeded = seed(dbPath, QUICK);
const outside = await new Outside().start();
const profiles = join(dir, "profiles");
const app = await startChild(
  "serve",
  {
    BENCH_DIST: dist,
    BENCH_SLACK_API_URL: `${outside.url}/api/`,
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: dbPath,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench-0000-token",
    SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01",
    LOG_LEVEL: "info",
  },
  memory
    ? [...productionFlags(), ...extraFlags]
    : [...productionFlags(), ...extraFlags, "--cpu-prof", `--cpu-prof-dir=${profiles}`],
);
let highest = 0;
const sampler = setInterval(() => {
  highest = Math.max(highest, app.rss().now);
}, 100);
const tokens = seeded.tokens;
const load = { concurrency: 32, durationMs: seconds * 1000, warmupMs: 1000 };
const slack = () => drive((i) => slashCommand(outside, app.url, "lista", i), load);
const api = () => drive((i) => validation(app.url, tokens[i % tokens.length] ?? ""), load);
const before = (await app.stats()).cpu;
const teams = () =>
  drive((i) => teamsMessage(outside, app.url, ["lista", "clientes", "ayuda"][i % 3] ?? "lista", i), {
    ...load,
    concurrency: 8,
  });
const results =
  kind === "slack" ? [await slack()] : kind === "api" ? [await api()] : await Promise.all([slack(), api(), teams()]);
const after = (await app.stats()).cpu;
clearInterval(sampler);
const peak = Math.max(highest, app.rss().peak);
const retained = (await app.retained()) / 1048576;
// A child leaves by process.exit when the bench disconnects, which writes the profile (a signal would not).
await new Promise<void>((done) => {
  app.proc.once("exit", () => done());
  app.proc.disconnect();
});
await outside.stop();
const count = results.reduce((n, r) => n + r.count, 0);
const cpuUs = (after.user - before.user + after.system - before.system) / Math.max(1, count);
process.stdout.write(
  `${kind} (${[...productionFlags(), ...extraFlags].join(" ")}): peak RSS ${peak.toFixed(0)} MiB, retained ${retained.toFixed(0)} MiB; ${results.map((r) => `${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors`).join("; ")}; ~${cpuUs.toFixed(0)} µs CPU per request (warm-up included)\n`,
);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}
const file = readdirSync(profiles).find((f) => f.endsWith(".cpuprofile"));
if (file) {
  const profile = JSON.parse(readFileSync(join(profiles, file), "utf8")) as { nodes: Node[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const where = n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/dist\//, "dist/");
    const key = `${n.callFrame.functionName || "(anonymous)"} ${where}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + n.hitCount);
    total += n.hitCount;
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
  for (const [key, hits] of top) process.stdout.write(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  process.stdout.write(`\nprofile: ${join(profiles, file)}\n`);
}
