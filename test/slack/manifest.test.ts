import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { renderSlackManifest, SLACK_MANIFEST } from "../../scripts/slack-manifest.ts";
import { COMMAND } from "../../src/bot/slack/ids.ts";
import { BOT_SCOPES } from "../../src/bot/slack/index.ts";
import { PATHS } from "../../src/bot/slack/paths.ts";
import { tempDir } from "../support/app.ts";

interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string };
  features: { app_home: { home_tab_enabled: boolean }; slash_commands: { command: string; url: string }[] };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

const root = fileURLToPath(new URL("../..", import.meta.url));
// Slack's published schema, copied into the fixtures so that a fresh clone validates offline.
const SCHEMA = "test/fixtures/slack-manifest-schema/manifest.schema.1.0.0.json";
const schema = readJson<Record<string, unknown>>(resolve(root, SCHEMA));
const manifest = readJson<Manifest>(resolve(root, "manifests/slack/manifest.json"));

describe("the Slack app manifest", () => {
  it("is checked against Slack's published schema, unchanged (its digest is in the fixture's README)", () => {
    const readme = readFileSync(resolve(root, "test/fixtures/slack-manifest-schema/README.md"), "utf8");
    const recorded = /sha256 `([0-9a-f]{64})`/.exec(readme)?.[1];
    expect(recorded).toMatch(/^[0-9a-f]{64}$/);
    expect(
      createHash("sha256")
        .update(readFileSync(resolve(root, SCHEMA)))
        .digest("hex"),
    ).toBe(recorded);
    expect(schema.title).toBe("App Manifest");
  });

  it("validates against Slack's manifest schema", () => {
    // Slack's schema uses a few keywords of its own (regex, _note): not strict.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(manifest._metadata.major_version).toBe(1);
    // And the schema does catch mistakes.
    expect(validate({ ...manifest, display_information: { name: "x".repeat(36) } })).toBe(false);
  });

  it("declares exactly what the code registers, at templated URLs", () => {
    const events = `https://YOUR-PUBLIC-URL${PATHS.events}`;
    expect(manifest.features.slash_commands.map((c) => [c.command, c.url])).toEqual([[COMMAND, events]]);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: events });
    expect(manifest.settings.event_subscriptions.request_url).toBe(events);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      "app_home_opened",
      "app_uninstalled",
      "tokens_revoked",
    ]);
    // The dashboard is published to the Home tab (src/bot/slack/home.ts).
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.oauth_config.redirect_urls).toEqual([`https://YOUR-PUBLIC-URL${PATHS.redirect}`]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("is printed with PUBLIC_URL filled in by npm run manifest:slack", () => {
    const filled = renderSlackManifest(readFileSync(SLACK_MANIFEST, "utf8"), "https://licencias.example.com/");
    const text = JSON.stringify(filled);
    expect(text).not.toContain("YOUR-PUBLIC-URL");
    expect(text).toContain("https://licencias.example.com/slack/events");
    expect(text).toContain("https://licencias.example.com/slack/oauth_redirect");
    expect(() => renderSlackManifest("{}", "http://licencias.example.com")).toThrow(/https/);
  });

  it("npm run manifest:slack writes only JSON: to a file given after --, or to stdout with npm -s", {
    timeout: 30_000,
  }, async () => {
    const env = { ...process.env, PUBLIC_URL: "https://licencias.example.com" };
    const npm = (args: string[]) =>
      new Promise<string>((done, fail) => {
        execFile("npm", args, { cwd: root, env }, (err, stdout) => (err ? fail(err) : done(stdout)));
      });
    const tmp = tempDir();
    try {
      const out = join(tmp.dir, "slack-manifest.json");
      await npm(["run", "manifest:slack", "--", out]);
      const written = readJson<Manifest>(out);
      expect(written.settings.event_subscriptions.request_url).toBe("https://licencias.example.com/slack/events");
      const printed = JSON.parse(await npm(["run", "-s", "manifest:slack"])) as Manifest;
      expect(printed).toEqual(written);
    } finally {
      tmp.remove();
    }
  });
});
