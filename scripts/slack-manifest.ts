/**
 * `npm run manifest:slack -- slack-manifest.json`: writes
 * manifests/slack/manifest.json with PUBLIC_URL (from the environment or the
 * working directory's .env, as the server reads it) in place of
 * https://YOUR-PUBLIC-URL to that file, ready to paste into Slack's
 * "Create New App → From an app manifest". Without a file it prints the JSON
 * alone on stdout: `npm run -s manifest:slack > file` (without -s, npm prints
 * its own banner on stdout before it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { withEnvFile } from "../src/config.ts";

export const SLACK_MANIFEST = fileURLToPath(new URL("../manifests/slack/manifest.json", import.meta.url));
const PLACEHOLDER = "https://YOUR-PUBLIC-URL";

/** The manifest with the public https base filled in; throws on a URL Slack would not call. */
export function renderSlackManifest(template: string, publicUrl: string): Record<string, unknown> {
  const url = new URL(publicUrl);
  if (url.protocol !== "https:") throw new Error("PUBLIC_URL must be an https URL (Slack only calls https)");
  const base = url.href.replace(/\/+$/, "");
  return JSON.parse(template.replaceAll(PLACEHOLDER, base)) as Record<string, unknown>;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    // Like the server: the environment over the working directory's .env.
    const publicUrl = withEnvFile(process.env, process.cwd()).PUBLIC_URL?.trim();
    if (!publicUrl) throw new Error("PUBLIC_URL is not set");
    const manifest = renderSlackManifest(readFileSync(SLACK_MANIFEST, "utf8"), publicUrl);
    const json = `${JSON.stringify(manifest, null, 2)}\n`;
    const out = process.argv[2];
    if (out) {
      writeFileSync(out, json);
      console.error(`Slack app manifest written to ${out}`);
    } else {
      process.stdout.write(json);
    }
  } catch (err) {
    console.error(`manifest:slack: ${err instanceof Error ? err.message : String(err)} (set PUBLIC_URL=https://…)`);
    process.exit(1);
  }
}
