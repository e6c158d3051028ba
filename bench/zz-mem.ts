import { mkdtempSync } from "node:fs";
import { drive, Outside, SIGNING_SECRET, slashCommand, teamsMessage, validation } from "./load.ts";
import { compileChildren, dist, startChild } from "./processes.ts";
import { QUICK, seed } from "./seed.ts";

const flags = (process.argv[2] ?? "").split(" ").filter(Boolean);
const secs = Number(process.argv[3] ?? 30);
const dir = mkdtempSync("/tmp/zzmem-");
const seeded = seed(`${dir}/b.db`, QUICK);
compileChildren();
const out = await new Outside().start();
const app = await startChild(
  "serve",
  {
    BENCH_DIST: dist,
    BENCH_SLACK_API_URL: `${out.url}/api/`,
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: `${dir}/b.db`,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench-0000-token",
    LOG_LEVEL: "info",
  },
  flags,
);
const words = ["lista", "clientes", "notificaciones", "ayuda", "lista"];
const mixed = { durationMs: secs * 1000, warmupMs: 0 };
let highest = 0;
let maxHeap = 0;
app.proc.setMaxListeners(100);
let busy = false;
const sampler = setInterval(async () => {
  highest = Math.max(highest, app.rss().now);
  if (busy) return;
  busy = true;
  const s = await app.stats(); const ret = await app.retained();
  busy = false;
  maxHeap = Math.max(maxHeap, s.memory.heapTotal);
}, 250);
const t = seeded.tokens;
const r = await Promise.all([
  drive((i) => slashCommand(out, app.url, words[i % 5] ?? "lista", i), { concurrency: 12, ...mixed }),
  drive((i) => validation(app.url, t[i % t.length] ?? ""), { concurrency: 12, ...mixed }),
  drive((i) => teamsMessage(out, app.url, words[i % 5] ?? "lista", i), { concurrency: 8, ...mixed }),
]);
clearInterval(sampler);
const s = await app.stats(); const ret = await app.retained();
console.log(
  JSON.stringify({
    flags,
    peak: app.rss().peak.toFixed(0),
    highest: highest.toFixed(0),
    maxHeapTotal: (maxHeap / 1048576).toFixed(0),
    heapUsed: (s.memory.heapUsed / 1048576).toFixed(0),
    ext: (s.memory.external / 1048576).toFixed(0),
    ab: (s.memory.arrayBuffers / 1048576).toFixed(0),
    rps: r.map((x) => x.rps.toFixed(0)),
    errors: r.map((x) => x.errors), first: r.map((x) => x.firstError),
    cpu: ((s.cpu.user + s.cpu.system) / 1e6).toFixed(1),
  }),
);
await app.stop();
await out.stop();
process.exit(0);
