/**
 * The app under test, as main.ts starts it (compiled, plain node, the
 * production log at info on stdout), except that Slack's Web API is the
 * bench's fake one: the one thing the settings cannot point elsewhere.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ready, setting } from "./ipc.ts";

type AppModule = typeof import("../../src/app.ts");
type ConfigModule = typeof import("../../src/config.ts");

const dist = setting("BENCH_DIST");
const { loadConfig } = (await import(pathToFileURL(join(dist, "config.js")).href)) as ConfigModule;
const { startApp } = (await import(pathToFileURL(join(dist, "app.js")).href)) as AppModule;
const running = await startApp(loadConfig(process.env), {
  slackClientOptions: { slackApiUrl: setting("BENCH_SLACK_API_URL") },
});
await running.checked;
ready(running.url);
