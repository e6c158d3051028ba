/**
 * npm run bench: speed and memory of the hot paths, against a real SQLite
 * file and the real HTTP server on loopback. Prints each measure beside its
 * target and exits non-zero when one is missed.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { startApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import {
  type Actor,
  createLicence,
  decideActivation,
  listClients,
  listLicences,
  requestActivation,
} from "../src/handlers/index.ts";
import { createLogger } from "../src/logger.ts";

const dir = mkdtempSync(join(tmpdir(), "licencias-bench-"));
const silent = createLogger({ level: "warn", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const running = await startApp(
  loadConfig({ PORT: "0", DATABASE_PATH: join(dir, "bench.db"), SUPPORT_SLACK_CHANNEL_ID: "CSUPPORT01" }),
  { logger: silent },
);
const { deps } = running;
const rssAtStart = process.memoryUsage().rss / 1024 / 1024;

const advisor: Actor = { platform: "slack", workspaceId: "T0BENCH001", userId: "U0ADV", locale: "es" };
const support: Actor = {
  platform: "slack",
  workspaceId: "T0VENDOR01",
  userId: "U0SUP",
  locale: "es",
  channelId: "CSUPPORT01",
};
const req = await requestActivation(deps, advisor, { message: "bench" });
await decideActivation(deps, support, { requestId: req.id, decision: "approve" });

const results: { name: string; value: number; unit: string; target: number; better: "higher" | "lower" }[] = [];
function record(name: string, value: number, unit: string, target: number, better: "higher" | "lower") {
  results.push({ name, value, unit, target, better });
}

function dni(n: number): string {
  return `${String(n).padStart(8, "0")}${"TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]}`;
}

// 1. Issuing licences (one transaction each, with client upsert and audit).
const N = 5000;
let t = performance.now();
const numbers: string[] = [];
for (let i = 0; i < N; i++) {
  const l = createLicence(deps, advisor, {
    taxId: dni(20_000_000 + i),
    name: `Cliente ${randomBytes(4).toString("hex")}`,
    email: `c${i}@example.com`,
  });
  numbers.push(l.number);
}
record("create licence", N / ((performance.now() - t) / 1000), "ops/s", 500, "higher");

// 2. Listing pages by key, deep into a large firm.
t = performance.now();
let after: string | undefined;
let pages = 0;
do {
  const page = listLicences(deps, advisor, { after, limit: 10 });
  after = page.next;
  pages++;
} while (after && pages < 200);
record("list licences page (10)", (performance.now() - t) / pages, "ms", 5, "lower");
t = performance.now();
for (let i = 0; i < 200; i++) listClients(deps, advisor, { limit: 10 });
record("list clients page (10)", (performance.now() - t) / 200, "ms", 5, "lower");

// 3. The client app over HTTP: activate then validate.
const tokens: string[] = [];
t = performance.now();
for (let i = 0; i < 300; i++) {
  const res = await fetch(`${running.url}/api/v1/activations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      licenceNumber: numbers[i],
      taxId: dni(20_000_000 + i),
      installationId: `bench-machine-${i}`,
    }),
  });
  const body = (await res.json()) as { code: string; installationToken?: string };
  if (body.installationToken) tokens.push(body.installationToken);
}
record("HTTP activation", (performance.now() - t) / 300, "ms", 20, "lower");
if (tokens.length === 300) {
  t = performance.now();
  const M = 2000;
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < M; i++) {
    inFlight.push(
      fetch(`${running.url}/api/v1/validations`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
      }).then((r) => r.arrayBuffer()),
    );
    if (inFlight.length === 16) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  record("HTTP validation", M / ((performance.now() - t) / 1000), "req/s", 500, "higher");
} else {
  console.log(`(activation answered ${tokens.length}/300 tokens: client API not available, skipping validation)`);
}

record("resident memory at start", rssAtStart, "MiB", 256, "lower");
record("resident memory after load", process.memoryUsage().rss / 1024 / 1024, "MiB", 384, "lower");

await running.stop();
rmSync(dir, { recursive: true, force: true });

let failed = 0;
for (const r of results) {
  const ok = r.better === "higher" ? r.value >= r.target : r.value <= r.target;
  if (!ok) failed++;
  const cmp = r.better === "higher" ? "≥" : "≤";
  console.log(
    `${ok ? "ok  " : "MISS"} ${r.name.padEnd(26)} ${r.value.toFixed(2).padStart(10)} ${r.unit.padEnd(6)} (target ${cmp} ${r.target})`,
  );
}
process.exit(failed ? 1 : 0);
