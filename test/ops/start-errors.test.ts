import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/open.ts";
import { type FakeSlack, startFakeSlack } from "../slack/fake-slack.ts";
import { startTestApp, tempDir } from "../support/app.ts";
import { bareEnv, freePort, MAIN, root, run, runServer, TSX } from "./process.ts";

const tmp = tempDir();
afterAll(() => tmp.remove());

/** Starts the server with `env`; expects it to refuse, and returns what it printed. */
async function refusesToStart(env: Record<string, string>): Promise<string> {
  const proc = runServer({ DATABASE_PATH: join(tmp.dir, "ok.db"), PORT: "0", ...env });
  const code = await proc.exited;
  expect(code).toBe(1);
  expect(proc.output()).not.toMatch(/Cannot destructure|\n\s+at /);
  return proc.output();
}

describe("a start that cannot work says why, naming the setting and its value", () => {
  let busy: Server | undefined;
  afterAll(() => busy?.close());

  it("a busy PORT", { timeout: 60_000 }, async () => {
    busy = createServer();
    const port = await new Promise<number>((resolve) =>
      busy?.listen(0, "127.0.0.1", () => {
        const a = busy?.address();
        resolve(typeof a === "object" && a ? a.port : 0);
      }),
    );
    expect(await refusesToStart({ PORT: String(port) })).toContain(`PORT ${port} is already in use`);
  });

  it("a HOST that does not resolve, or is not this machine's", { timeout: 60_000 }, async () => {
    expect(await refusesToStart({ HOST: "nosuchhost.invalid" })).toContain(
      "HOST nosuchhost.invalid cannot be resolved",
    );
    // 192.0.2.0/24 is TEST-NET-1: never an address of this machine.
    expect(await refusesToStart({ HOST: "192.0.2.1" })).toContain("HOST 192.0.2.1 is not an address of this machine");
  });

  it("a DATABASE_PATH that is a folder, not SQLite, or in a place that cannot be written", {
    timeout: 60_000,
  }, async () => {
    const folder = join(tmp.dir, "a-folder");
    mkdirSync(folder);
    expect(await refusesToStart({ DATABASE_PATH: folder })).toContain(`DATABASE_PATH ${folder} is a folder`);

    // The same checks, without a process each: the message is the one the server prints.
    const text = join(tmp.dir, "notes.txt");
    writeFileSync(text, "these are notes, not a database ".repeat(40));
    expect(() => openDatabase(text)).toThrow(`DATABASE_PATH ${text} is not a SQLite database`);
    const underFile = join(text, "licencias.db");
    expect(() => openDatabase(underFile)).toThrow(`DATABASE_PATH ${underFile} cannot be created`);
  });

  it.runIf(process.platform === "linux")(
    "a DATABASE_PATH whose folder cannot be made",
    { timeout: 60_000 },
    async () => {
      // /proc refuses new folders with ENOENT, on which Node's recursive mkdir retried forever: a
      // process of its own, so that a spinning start fails this test by its timeout (and is killed).
      const proc = runServer({ PORT: "0", DATABASE_PATH: "/proc/licencias/licencias.db" });
      onTestFinished(() => {
        proc.child.kill("SIGKILL");
      });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toMatch(
        /DATABASE_PATH \/proc\/licencias\/licencias\.db cannot be created: its folder cannot be made \(ENOENT/,
      );
    },
  );

  it.runIf(process.platform === "linux")("a DATABASE_PATH in a read-only place", () => {
    // /proc takes no new files, whoever runs the test (root ignores file modes).
    expect(() => openDatabase("/proc/licencias.db")).toThrow(/^DATABASE_PATH \/proc\/licencias\.db cannot be opened/);
  });

  const canDropRoot = process.getuid?.() !== 0 || existsSync("/usr/sbin/runuser");
  it.runIf(process.platform === "linux" && canDropRoot)(
    "a DATABASE_PATH this user may not write",
    { timeout: 60_000 },
    async () => {
      const folder = join(tmp.dir, "read-only");
      mkdirSync(folder);
      const file = join(folder, "licencias.db");
      openDatabase(file).close();
      chmodSync(file, 0o444);
      chmodSync(folder, 0o555);
      // root ignores file modes: then the server runs as nobody, as a service user would.
      const asRoot = process.getuid?.() === 0;
      if (asRoot) chmodSync(tmp.dir, 0o755);
      const env = bareEnv({ PORT: "0", DATABASE_PATH: file });
      const args = ["--import", TSX, MAIN];
      const proc = asRoot
        ? run("runuser", ["-u", "nobody", "--", process.execPath, ...args], { env, cwd: folder })
        : run(process.execPath, args, { env, cwd: folder });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toContain(`DATABASE_PATH ${file} cannot be written: read-only file or folder`);
      chmodSync(folder, 0o755);
    },
  );

  it("a PUBLIC_URL that is not https", { timeout: 60_000 }, async () => {
    expect(await refusesToStart({ PUBLIC_URL: "http://bot.example.com" })).toMatch(/PUBLIC_URL: must be an https URL/);
    expect(loadConfig({ PUBLIC_URL: "https://bot.example.com/" }).publicUrl).toBe("https://bot.example.com");
  });
});

describe("empty means the default, for every setting", () => {
  /** Every setting .env.example lists, as it lists them. */
  const names = readFileSync(join(root, ".env.example"), "utf8")
    .split("\n")
    .map((l) => /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);

  it("lists the settings it checks", () => {
    expect(names).toEqual(expect.arrayContaining(["PORT", "HOST", "DATABASE_PATH", "LOG_LEVEL", "DEFAULT_LOCALE"]));
  });

  it("every setting set to empty (or blanks) gives exactly the configuration of no settings", () => {
    const defaults = loadConfig({});
    expect(loadConfig(Object.fromEntries(names.map((n) => [n, ""])))).toEqual(defaults);
    expect(loadConfig(Object.fromEntries(names.map((n) => [n, "  "])))).toEqual(defaults);
    expect(defaults.port).toBe(3978);
  });
});

describe("an invalid SLACK_BOT_TOKEN", () => {
  let slack: FakeSlack;
  afterAll(() => slack?.close());

  it("is reported at start, naming the setting but not the token, and the server keeps serving", async () => {
    slack = await startFakeSlack();
    const token = "xoxb-0000-not-a-real-token";
    const app = await startTestApp(
      { SLACK_SIGNING_SECRET: "secret", SLACK_BOT_TOKEN: token },
      { slackClientOptions: { slackApiUrl: slack.apiUrl } },
    );
    try {
      await app.checked;
      const errors = app.logLines.filter((l) => l.includes("SLACK_BOT_TOKEN"));
      expect(errors).toHaveLength(1);
      expect(JSON.parse(errors[0] as string)).toMatchObject({ level: 50, reason: "invalid_auth" });
      expect(app.logLines.join("")).not.toContain("not-a-real-token");
      expect(slack.calls.filter((c) => c.method === "auth.test")).toHaveLength(1);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.dispose();
    }
  });

  it("is not called refused when Slack's API does not answer: a warning says it could not be checked", async () => {
    const nobody = await freePort();
    const app = await startTestApp(
      { SLACK_SIGNING_SECRET: "secret", SLACK_BOT_TOKEN: "xoxb-0000-maybe-fine" },
      { slackClientOptions: { slackApiUrl: `http://127.0.0.1:${nobody}/api/` } },
    );
    try {
      await app.checked;
      const lines = app.logLines.filter((l) => l.includes("SLACK_BOT_TOKEN"));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        level: 40,
        msg: "SLACK_BOT_TOKEN could not be checked: Slack's API did not answer auth.test",
      });
      expect(lines[0]).not.toContain("refused");
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.dispose();
    }
  });

  it("a valid token is checked once and logs nothing", async () => {
    const token = "xoxb-valid-token-for-start";
    slack.addToken(token, { teamId: "T0START001", teamName: "Asesoría", botUserId: "UBOT", botId: "BBOT" });
    const before = slack.calls.length;
    const app = await startTestApp(
      { SLACK_SIGNING_SECRET: "secret", SLACK_BOT_TOKEN: token },
      { slackClientOptions: { slackApiUrl: slack.apiUrl } },
    );
    try {
      await app.checked;
      expect(slack.calls.slice(before).map((c) => c.method)).toEqual(["auth.test"]);
      expect(app.logLines.filter((l) => l.includes("SLACK_BOT_TOKEN"))).toEqual([]);
    } finally {
      await app.dispose();
    }
  });
});
