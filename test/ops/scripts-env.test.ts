import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/app.ts";
import { bareEnv, root, run, TSX } from "./process.ts";

/**
 * The manifest scripts read their settings as the server does: the
 * environment over the working directory's .env, where the README tells the
 * operator to put PUBLIC_URL and BOT_ID.
 */
const tmp = tempDir();
afterAll(() => tmp.remove());

function script(name: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  return run(process.execPath, ["--import", TSX, join(root, "scripts", name), ...args], { cwd, env: bareEnv(env) });
}

describe("manifest:slack and package:teams read .env", () => {
  const site = join(tmp.dir, "site");
  mkdirSync(site);
  writeFileSync(
    join(site, ".env"),
    "PUBLIC_URL=https://from-dotenv.example.com\nBOT_ID=00000000-0000-4000-8000-0000000000aa\n",
  );

  it("manifest:slack fills in the .env's PUBLIC_URL; the environment wins", { timeout: 60_000 }, async () => {
    const fromFile = script("slack-manifest.ts", [], site);
    expect(await fromFile.exited).toBe(0);
    expect(JSON.parse(fromFile.output()).settings.event_subscriptions.request_url).toBe(
      "https://from-dotenv.example.com/slack/events",
    );

    const out = join(tmp.dir, "slack.json");
    const fromEnv = script("slack-manifest.ts", [out], site, { PUBLIC_URL: "https://from-env.example.com" });
    expect(await fromEnv.exited).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("https://from-env.example.com/slack/events");
  });

  it("manifest:slack without PUBLIC_URL says it is not set", { timeout: 60_000 }, async () => {
    const proc = script("slack-manifest.ts", [], tmp.dir);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain("PUBLIC_URL is not set");
  });

  it("package:teams takes BOT_ID and PUBLIC_URL from .env", { timeout: 60_000 }, async () => {
    const proc = script("package-teams.ts", [], site);
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(/Teams app package written to .*licencias-pymes\.zip/);
  });
});
