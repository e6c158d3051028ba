import { startApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { routeConsole } from "./logger.ts";

try {
  const config = loadConfig(process.env);
  const running = await startApp(config);
  // Nothing bypasses the redacting logger, not even what an SDK prints itself.
  routeConsole(running.logger.child({ module: "console" }));
  running.logger.info(
    { url: running.url, slack: Boolean(config.slack), teamsAuth: Boolean(config.teams.appId) },
    "Licencias PYMES listening",
  );
  const shutdown = () => {
    running.logger.info("shutting down");
    void running.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error("Could not start:", err instanceof Error ? err.message : err);
  }
  process.exit(1);
}
