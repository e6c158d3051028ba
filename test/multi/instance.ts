/**
 * One instance of the server for the multi-instance tests, as src/main.ts
 * starts it (the settings from the environment, the same startApp), plus
 * what only a test sets: the fake Slack API's address
 * (`TEST_SLACK_API_URL`), Slack's answer waiting for its listeners, and a
 * short retry of unposted requests (`TEST_SUPPORT_RETRY_MS`). Says
 * `{"url": …, "msg": "instance listening"}` on standard output once it
 * listens; SIGTERM stops it cleanly, SIGKILL as a crash would.
 */
import { startApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";

const config = loadConfig(process.env);
const retry = Number(process.env.TEST_SUPPORT_RETRY_MS);
const running = await startApp(config, {
  ...(process.env.TEST_SLACK_API_URL ? { slackClientOptions: { slackApiUrl: process.env.TEST_SLACK_API_URL } } : {}),
  slackProcessBeforeResponse: true,
  ...(retry > 0 ? { supportRetryMs: retry } : {}),
});
await running.checked;
running.logger.info({ url: running.url, pid: process.pid }, "instance listening");
process.once("SIGTERM", () => {
  void running.stop({ graceMs: 2_000 }).finally(() => running.logger.flush(() => process.exit(0)));
});
