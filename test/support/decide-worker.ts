/**
 * A second "instance" deciding on an activation request, for the race test:
 * `node --import tsx decide-worker.ts <database> <request id> <user id> <approve|reject> <go file>`,
 * the database being the SQLite file or the PostgreSQL URL (TestDatabase's `target`).
 * Says "ready" on its first stdout line once its database is open, then waits
 * for the go file to appear, so that both instances decide together; the
 * outcome is the second line.
 */
import { existsSync } from "node:fs";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import { openStore } from "../../src/db/index.ts";
import { ServiceError } from "../../src/errors.ts";
import { decideActivation } from "../../src/handlers/index.ts";
import { captureLogger } from "./app.ts";
import { storeOptionsFor } from "./storage.ts";

const [target = "", requestId = "0", userId = "", decision = "approve", goFile = ""] = process.argv.slice(2);
const { store, close } = await openStore(storeOptionsFor(target));
process.stdout.write("ready\n");
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 2));
try {
  const req = await decideActivation(
    {
      store,
      now: Date.now,
      randomBytes: (n) => new Uint8Array(n),
      logger: captureLogger().logger,
      support: { slackChannelId: "CSUPPORT01", userIds: [] },
      watch: WATCH_DEFAULTS,
      notifiers: {},
    },
    { platform: "slack", workspaceId: "T0VENDOR01", userId, userName: userId, locale: "es", channelId: "CSUPPORT01" },
    decision === "approve"
      ? { requestId: Number(requestId), decision }
      : { requestId: Number(requestId), decision: "reject", reason: "no" },
  );
  process.stdout.write(JSON.stringify({ ok: req.status }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e instanceof ServiceError ? e.code : String(e) }));
} finally {
  await close();
}
