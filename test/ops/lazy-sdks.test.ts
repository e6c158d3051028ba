import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/app.ts";
import { bareEnv, type Proc, root, run, TSX } from "./process.ts";

/**
 * Which platform SDKs a server process has loaded (CommonJS packages land in
 * require.cache): once it listens, once its startup checks have run, and
 * after a first request to the Teams endpoint. A fresh process each time, so nothing another test loaded counts.
 */
const SCRIPT = `
import { createRequire } from "node:module";
const { loadConfig } = await import(${JSON.stringify(pathToFileURL(join(root, "src/config.ts")).href)});
const { startApp } = await import(${JSON.stringify(pathToFileURL(join(root, "src/app.ts")).href)});
const loaded = () => {
  const files = Object.keys(createRequire(import.meta.url).cache);
  const has = (part) => files.some((f) => f.includes(part));
  return { bolt: has("/@slack/bolt/"), teamsAi: has("/@microsoft/teams-ai/"), botbuilder: has("/botbuilder/"), openai: has("/node_modules/openai/"), pretty: has("/pino-pretty/") };
};
const running = await startApp(loadConfig({ ...process.env, PORT: "0" }));
const atStart = loaded();
// Its own connection, closed after: a kept-alive one could be closed by the server, idle, while the checks run.
const { get } = await import("node:http");
const health = await new Promise((resolve, reject) => get(running.url + "/healthz", { agent: false }, (r) => { r.resume(); resolve(r.statusCode); }).on("error", reject));
await running.checked;
const afterChecks = loaded();
const res = await fetch(running.url + "/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
const afterTeams = { ...loaded(), status: res.status };
await running.stop();
process.stdout.write("SDKS " + JSON.stringify({ atStart, health, afterChecks, afterTeams }) + "\\n");
process.exit(0);
`;

interface Loaded {
  bolt: boolean;
  teamsAi: boolean;
  botbuilder: boolean;
  openai: boolean;
  /** pino-pretty: only for LOG_FORMAT=pretty (or a terminal); these processes write JSON. */
  pretty: boolean;
}

async function sdks(env: Record<string, string>): Promise<{
  atStart: Loaded;
  health: number;
  afterChecks: Loaded;
  afterTeams: Loaded & { status: number };
}> {
  const tmp = tempDir();
  let proc: Proc | undefined;
  try {
    proc = run(process.execPath, ["--import", TSX, "--input-type=module", "-e", SCRIPT], {
      env: bareEnv({ DATABASE_PATH: join(tmp.dir, "licencias.db"), LOG_LEVEL: "warn", ...env }),
    });
    const line = await proc.line(/^SDKS /, 60_000);
    return JSON.parse(line.slice("SDKS ".length));
  } finally {
    await proc?.kill();
    tmp.remove();
  }
}

const SLACK_OAUTH = {
  SLACK_SIGNING_SECRET: "lazy-test-signing-secret",
  SLACK_CLIENT_ID: "111.222",
  SLACK_CLIENT_SECRET: "lazy-test-client-secret",
  SLACK_STATE_SECRET: "lazy-test-state-secret",
};

describe("platform SDKs are loaded only for a platform in use", () => {
  it("with no settings: neither Slack's nor Teams' SDK at the start; Teams' at the first Teams request, in emulator mode", async () => {
    const { atStart, afterTeams } = await sdks({ HOST: "127.0.0.1" });
    expect(atStart).toEqual({ bolt: false, teamsAi: false, botbuilder: false, openai: false, pretty: false });
    // The broken body is refused by the Teams edge itself, which had to be loaded to answer.
    expect(afterTeams).toMatchObject({ teamsAi: true, botbuilder: true, bolt: false, openai: false, status: 400 });
  });

  it("with Slack on and Teams in emulator mode: healthy before Bolt loads, Bolt by the startup checks, Teams' SDK (and OpenAI's client) not yet", async () => {
    const { atStart, health, afterChecks } = await sdks({ HOST: "127.0.0.1", ...SLACK_OAUTH });
    expect(atStart).toEqual({ bolt: false, teamsAi: false, botbuilder: false, openai: false, pretty: false });
    expect(health).toBe(200);
    expect(afterChecks).toEqual({ bolt: true, teamsAi: false, botbuilder: false, openai: false, pretty: false });
  });

  it("with BOT_ID set, Teams is on: its SDK is loaded by the startup checks, OpenAI's client never", async () => {
    const { atStart, afterChecks, afterTeams } = await sdks({
      HOST: "127.0.0.1",
      BOT_ID: "00000000-0000-0000-0000-0000000b07",
      BOT_PASSWORD: "x",
    });
    expect(atStart).toEqual({ teamsAi: false, botbuilder: false, bolt: false, openai: false, pretty: false });
    expect(afterChecks).toEqual({ teamsAi: true, botbuilder: true, bolt: false, openai: false, pretty: false });
    expect(afterTeams.openai).toBe(false);
  });
});
