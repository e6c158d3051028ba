/**
 * `npm run manifest:slack`: prints manifests/slack/manifest.json with
 * PUBLIC_URL from the environment in place of https://YOUR-PUBLIC-URL,
 * ready to paste into Slack's "Create New App → From an app manifest".
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

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
    const manifest = renderSlackManifest(readFileSync(SLACK_MANIFEST, "utf8"), process.env.PUBLIC_URL ?? "");
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  } catch (err) {
    console.error(`manifest:slack: ${err instanceof Error ? err.message : String(err)} (set PUBLIC_URL=https://…)`);
    process.exit(1);
  }
}
