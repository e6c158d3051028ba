/**
 * The Slack peer: a bare Bolt app (ExpressReceiver, its defaults) answering
 * `/licencias` as Slack apps usually do: ack, then `respond` with the same
 * message the app under test sent, to the same kind of response_url.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { App, ExpressReceiver } from "@slack/bolt";
import { ready, setting } from "./ipc.ts";

const answer = JSON.parse(setting("BENCH_ANSWER")) as Record<string, unknown>;
const receiver = new ExpressReceiver({ signingSecret: setting("BENCH_SIGNING_SECRET"), endpoints: "/slack/events" });
const app = new App({
  receiver,
  token: "xoxb-bench-peer",
  clientOptions: { slackApiUrl: setting("BENCH_SLACK_API_URL") },
});
app.command("/licencias", async ({ ack, respond }) => {
  await ack();
  await respond({ ...answer, response_type: "ephemeral" });
});
const server = createServer(receiver.app);
server.listen(0, "127.0.0.1", () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
