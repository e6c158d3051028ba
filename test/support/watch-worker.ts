/**
 * A second "instance" running the daily watch on the same database file,
 * for the race test: `node --import tsx watch-worker.ts <db file> <go file> <now ms>`.
 * Says "ready" once its database is open, waits for the go file, runs the
 * watch with a sender that records what it sends, and prints the outcome.
 */
import { existsSync } from "node:fs";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import { openStore } from "../../src/db/index.ts";
import { runWatch, type WatchSender } from "../../src/handlers/index.ts";
import { captureLogger } from "./app.ts";
import { storeOptionsFor } from "./storage.ts";

const [dbPath = "", goFile = "", nowMs = "0"] = process.argv.slice(2);
const { store, close } = await openStore(storeOptionsFor(dbPath));
process.stdout.write("ready\n");
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 2));
const sent: { userId: string; items: number }[] = [];
const sender: WatchSender = {
  async sendWatch(target, message) {
    // As slow as a chat API: the other instance runs meanwhile.
    await new Promise((r) => setTimeout(r, 20));
    sent.push({ userId: "userId" in target ? target.userId : target.channel.channelId, items: message.items.length });
  },
};
try {
  const run = await runWatch(
    {
      store,
      now: () => Number(nowMs),
      randomBytes: (n) => new Uint8Array(n),
      logger: captureLogger().logger,
      support: { userIds: [] },
      watch: WATCH_DEFAULTS,
      notifiers: {},
    },
    { slack: sender },
  );
  process.stdout.write(JSON.stringify({ outcomes: run.firms.map((f) => [f.firmId, f.outcome]), sent }));
} finally {
  await close();
}
