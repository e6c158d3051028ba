/**
 * `npm run package:teams`: builds the Teams app package to upload
 * (manifests/teams/build/licencias-pymes.zip) from manifests/teams/, with
 * BOT_ID and PUBLIC_URL from the environment (or the working directory's
 * .env, as the server reads it) filled in, and the app version
 * from package.json (Teams accepts an updated app only with a higher version).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deflateRawSync } from "node:zlib";
import { withEnvFile } from "../src/config.ts";

export const MANIFEST_DIR = fileURLToPath(new URL("../manifests/teams/", import.meta.url));
export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What Teams accepts as an app version: three numbers, no pre-release tag. */
const TEAMS_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The project's version (package.json), which the app package carries. */
export function projectVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return String(pkg.version ?? "");
}

export interface PackageValues {
  /** The Azure Bot's Microsoft App ID (a GUID); also used as the Teams app id. */
  botId: string;
  /** The public https base of this server. */
  publicUrl: string;
  /** The app version; package.json's when not given. */
  version?: string | undefined;
}

/** The manifest template with its {{placeholders}} filled; throws on a wrong value or a placeholder left. */
export function renderManifest(template: string, values: PackageValues): Record<string, unknown> {
  if (!GUID.test(values.botId)) throw new Error("BOT_ID must be the bot's Microsoft App ID (a GUID)");
  const url = new URL(values.publicUrl);
  if (url.protocol !== "https:") throw new Error("PUBLIC_URL must be an https URL");
  const base = url.href.replace(/\/+$/, "");
  const version = values.version ?? projectVersion();
  if (!TEAMS_VERSION.test(version)) throw new Error(`version ${version} must be three numbers, such as 1.2.3`);
  const filled = template
    .replaceAll("{{VERSION}}", version)
    .replaceAll("{{BOT_ID}}", values.botId.toLowerCase())
    .replaceAll("{{PUBLIC_URL}}", base)
    .replaceAll("{{PUBLIC_HOST}}", url.host);
  const left = /\{\{\w+\}\}/.exec(filled);
  if (left) throw new Error(`placeholder ${left[0]} is not filled`);
  return JSON.parse(filled) as Record<string, unknown>;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A minimal zip writer (deflate, UTF-8 names, no directories): enough for a Teams app package. */
export function zip(entries: { name: string; data: Buffer }[], date = new Date(Date.UTC(2025, 0, 1))): Buffer {
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attributes: 0
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes the package; returns where, and the manifest that went in. */
export function buildTeamsPackage(
  values: PackageValues,
  options: { manifestDir?: string; outFile?: string } = {},
): { file: string; manifest: Record<string, unknown> } {
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const manifest = renderManifest(readFileSync(join(dir, "manifest.json"), "utf8"), values);
  const file = options.outFile ?? join(dir, "build", "licencias-pymes.zip");
  const entries = PACKAGE_FILES.map((name) => ({
    name,
    data: name === "manifest.json" ? Buffer.from(JSON.stringify(manifest, null, 2)) : readFileSync(join(dir, name)),
  }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, zip(entries));
  return { file, manifest };
}

/** Errors of the manifest against its official schema (bundled in @microsoft/app-manifest, a dev dependency). */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const { AppManifestUtils } = await import("@microsoft/app-manifest");
  return AppManifestUtils.validateAgainstSchema(
    manifest as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
  );
}

/** An entry point like src/main.ts: the only place here that reads the environment (two settings). */
async function main(env: Record<string, string | undefined>): Promise<void> {
  const botId = env.BOT_ID?.trim();
  const publicUrl = env.PUBLIC_URL?.trim();
  if (!botId || !publicUrl) {
    throw new Error("set BOT_ID (the Azure Bot's Microsoft App ID) and PUBLIC_URL (https://…) to build the package");
  }
  const { file, manifest } = buildTeamsPackage({ botId, publicUrl });
  const problems = await validateManifest(manifest).catch((err: unknown) => [
    `could not validate (is @microsoft/app-manifest installed?): ${err instanceof Error ? err.message : String(err)}`,
  ]);
  if (problems.length > 0) {
    console.error(`The manifest does not match its schema:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exitCode = 1;
    return;
  }
  console.log(`Teams app package written to ${file}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Like the server: the environment over the working directory's .env.
  Promise.resolve()
    .then(() => main(withEnvFile(process.env, process.cwd())))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
