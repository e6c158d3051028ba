import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeSurfaces } from "../../src/app.ts";
import { loadConfig, withEnvFile } from "../../src/config.ts";
import { knownMigrations } from "../../src/db/open.ts";
import { tempDir } from "../support/app.ts";
import { bareEnv, type Proc, root, run, runServer } from "./process.ts";

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
const tmp = tempDir();
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  tmp.remove();
});

describe("the version", () => {
  it("`npm start -- --version` prints package.json's version and exits 0 without opening the database", {
    timeout: 60_000,
  }, async () => {
    const dbPath = join(tmp.dir, "never.db");
    const proc = run("npm", ["start", "--silent", "--", "--version"], { env: bareEnv({ DATABASE_PATH: dbPath }) });
    expect(await proc.exited).toBe(0);
    expect(proc.output().trim().split("\n").at(-1)).toBe(version);
    expect(existsSync(dbPath)).toBe(false);
  });
});

describe("the .env file and the start line", () => {
  const cwd = join(tmp.dir, "site");
  mkdirSync(cwd);
  writeFileSync(
    join(cwd, ".env"),
    [
      "# as an operator writes it",
      "DATABASE_PATH=./from-dotenv.db",
      "HOST=",
      "SLACK_SIGNING_SECRET=from-dotenv",
      "SLACK_CLIENT_ID=1",
      "SLACK_CLIENT_SECRET=2",
      'SLACK_STATE_SECRET="a state secret"',
      "SUPPORT_SLACK_CHANNEL_ID=C0SUPPORT1",
      "SUPPORT_SLACK_TEAM_ID=T0VENDOR01",
      "",
    ].join("\n"),
  );

  it("reads .env from the working directory; the start line says version, pid, URL, database and surfaces", {
    timeout: 60_000,
  }, async () => {
    const proc = runServer({ PORT: "0" }, { cwd });
    procs.push(proc);
    const start = await proc.started();
    expect(start).toMatchObject({
      version,
      pid: proc.child.pid,
      database: join(cwd, "from-dotenv.db"),
      migrationLevel: knownMigrations().length,
      slack: "many-workspace",
      teams: "local-emulator",
      support: "slack",
    });
    // HOST= in .env: empty means the default.
    expect(start.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${start.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", version, migrationLevel: knownMigrations().length });
    await proc.kill();
  });

  it("the environment wins over .env", { timeout: 60_000 }, async () => {
    const proc = runServer(
      { PORT: "0", DATABASE_PATH: join(tmp.dir, "from-env.db"), BOT_ID: "bot-app-id", BOT_PASSWORD: "pw" },
      { cwd },
    );
    procs.push(proc);
    const start = await proc.started();
    expect(start).toMatchObject({ database: join(tmp.dir, "from-env.db"), teams: "authenticated" });
    expect(existsSync(join(tmp.dir, "from-env.db"))).toBe(true);
    await proc.kill();
  });

  it("merges as documented: a non-empty environment value wins, an empty one means not set", () => {
    const env = withEnvFile({ DATABASE_PATH: "/srv/env.db", SLACK_SIGNING_SECRET: "", PORT: "" }, cwd);
    expect(env).toMatchObject({ DATABASE_PATH: "/srv/env.db", SLACK_SIGNING_SECRET: "from-dotenv" });
    const config = loadConfig(env);
    expect(config.port).toBe(3978);
    expect(config.host).toBe("127.0.0.1");
    expect(config.slack?.oauth?.stateSecret).toBe("a state secret");
    // No .env: the environment as it is.
    expect(withEnvFile({ PORT: "1" }, tmp.dir)).toEqual({ PORT: "1" });
  });
});

describe("the start line's surfaces", () => {
  it("names each mode", () => {
    expect(describeSurfaces(loadConfig({}))).toEqual({ slack: "off", teams: "local-emulator", support: "none" });
    expect(
      describeSurfaces(
        loadConfig({
          SLACK_SIGNING_SECRET: "s",
          SLACK_BOT_TOKEN: "xoxb-1",
          SUPPORT_TEAMS_CHANNEL_ID: "19:abc@thread.tacv2",
          HOST: "0.0.0.0",
          BOT_ID: "bot-app-id",
          BOT_PASSWORD: "pw",
        }),
      ),
    ).toEqual({ slack: "one-workspace", teams: "authenticated", support: "teams" });
    // Beyond loopback without BOT_ID (the Docker image's HOST with no Teams settings): every activity is refused.
    expect(describeSurfaces(loadConfig({ HOST: "0.0.0.0", SUPPORT_TEAMS_CHANNEL_ID: "19:abc@thread.tacv2" }))).toEqual({
      slack: "off",
      teams: "off",
      support: "none",
    });
    expect(
      describeSurfaces(
        loadConfig({
          SLACK_SIGNING_SECRET: "s",
          SLACK_BOT_TOKEN: "xoxb-1",
          SUPPORT_SLACK_CHANNEL_ID: "C0SUPPORT1",
          SUPPORT_TEAMS_CHANNEL_ID: "19:abc@thread.tacv2",
        }),
      ).support,
    ).toBe("slack+teams");
  });
});
