import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateRawSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  buildTeamsPackage,
  crc32,
  MANIFEST_DIR,
  projectVersion,
  renderManifest,
  validateManifest,
} from "../../scripts/package-teams.ts";
import { audienceOf, helpOf, parseCommand, usageOf, VERBS, wordsOf } from "../../src/bot/commands.ts";
import { t } from "../../src/i18n/index.ts";
import { tempDir } from "../support/app.ts";

const VALUES = { botId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", publicUrl: "https://licencias.example.com/" };
const template = () => readFileSync(join(MANIFEST_DIR, "manifest.json"), "utf8");

interface Png {
  width: number;
  height: number;
  colorType: number;
  pixels: Buffer;
}

/** Reads an 8-bit RGBA, non-interlaced PNG (what the icons are). */
function readPng(file: string): Png {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString("ascii", offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    expect(data.readUInt32BE(offset + 8 + length)).toBe(crc32(data.subarray(offset + 4, offset + 8 + length)));
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      colorType = body[9] ?? -1;
      expect(body[8]).toBe(8);
    }
    if (type === "IDAT") idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0); // no filter
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, colorType, pixels };
}

/** The entries of a zip, read through its central directory. */
function unzip(file: string): Map<string, Buffer> {
  const data = readFileSync(file);
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(data.readUInt32LE(at)).toBe(0x02014b50);
    const crc = data.readUInt32LE(at + 16);
    const size = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const local = data.readUInt32LE(at + 42);
    const name = data.toString("utf8", at + 46, at + 46 + nameLength);
    const localNameLength = data.readUInt16LE(local + 26);
    const start = local + 30 + localNameLength + data.readUInt16LE(local + 28);
    const content = inflateRawSync(data.subarray(start, start + size));
    expect(crc32(content)).toBe(crc);
    out.set(name, content);
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return out;
}

describe("Teams app manifest and package", () => {
  it("is valid against the official schema it names", async () => {
    const manifest = renderManifest(template(), VALUES);
    expect(manifest.$schema).toMatch(/teams\/v1\.(1[7-9]|2\d)\/MicrosoftTeams\.schema\.json$/);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it("the validation does catch a wrong manifest", async () => {
    const manifest = renderManifest(template(), VALUES);
    const bots = manifest.bots as { commandLists: { commands: unknown[] }[] }[];
    const list = bots[0]?.commandLists[0];
    if (!list) throw new Error("no command list");
    list.commands = Array.from({ length: 13 }, (_, i) => ({ title: `c${i}`, description: "x" }));
    expect((await validateManifest(manifest)).join("\n")).toMatch(/commands/);
  });

  it("lists only command words the bot understands, within the schema's limits", () => {
    const manifest = renderManifest(template(), VALUES);
    const bot = (
      manifest.bots as { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[]
    )[0];
    expect(bot?.botId).toBe(VALUES.botId);
    expect(bot?.scopes).toEqual(["personal", "team", "groupChat"]);
    // The personal list and the team/group chat list, each with commands.
    expect(bot?.commandLists).toHaveLength(2);
    for (const list of bot?.commandLists ?? []) {
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(12);
      for (const c of list.commands) {
        expect(parseCommand(c.title).unknown).toBeUndefined();
      }
    }
    expect(manifest.validDomains).toEqual(["licencias.example.com"]);
    expect(manifest).not.toHaveProperty("composeExtensions");
  });

  it("every command in the manifest is a verb of the command table, described by its help line", () => {
    const manifest = renderManifest(template(), VALUES);
    const lists = (
      manifest.bots as { commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[]
    )[0]?.commandLists;
    const listed = new Set<string>();
    for (const list of lists ?? []) {
      const titles = list.commands.map((c) => c.title);
      expect(new Set(titles).size, "a word listed twice").toBe(titles.length);
      for (const c of list.commands) {
        const { verb, unknown } = parseCommand(c.title);
        expect(unknown, c.title).toBeUndefined();
        // The word the help shows, and the help's own line (Teams shows it under the word).
        expect(c.title).toBe(wordsOf(verb, "es")[0]);
        const help = helpOf(verb);
        if (!help) throw new Error(`${c.title} has no help line`);
        expect(c.description).toBe(`${usageOf({ prefix: "" }, verb, "es")}: ${t("es", help)}`);
        expect(c.description.length).toBeLessThanOrEqual(128);
        // Support's words work in the support channel only: never offered in a personal chat.
        if (list.scopes.includes("personal")) expect(audienceOf(verb), c.title).toBe("advisor");
        listed.add(verb);
      }
    }
    expect(listed.size).toBeGreaterThan(0);
    // The lists hold 12 words each: a verb left out still works when typed, in both languages.
    for (const v of VERBS) {
      for (const word of [...wordsOf(v, "es"), ...wordsOf(v, "en")]) expect(parseCommand(word).verb, word).toBe(v);
    }
  });

  it("carries the project's version from package.json, so that an update can be uploaded", () => {
    const pkg = JSON.parse(readFileSync(join(MANIFEST_DIR, "../../package.json"), "utf8")) as { version: string };
    expect(projectVersion()).toBe(pkg.version);
    expect(renderManifest(template(), VALUES).version).toBe(pkg.version);
    expect(renderManifest(template(), { ...VALUES, version: "2.3.4" }).version).toBe("2.3.4");
    expect(() => renderManifest(template(), { ...VALUES, version: "1.0.0-beta.1" })).toThrow(/three numbers/);
    expect(template()).toContain('"version": "{{VERSION}}"');
  });

  it("refuses a bot id that is not a GUID, an http URL, or a placeholder left", () => {
    expect(() => renderManifest(template(), { ...VALUES, botId: "not-a-guid" })).toThrow(/GUID/);
    expect(() => renderManifest(template(), { ...VALUES, publicUrl: "http://x.example.com" })).toThrow(/https/);
    expect(() => renderManifest(`${template().slice(0, -2)}, "x": "{{OTHER}}" }`, VALUES)).toThrow(/OTHER/);
  });

  it("has a 192×192 colour icon and a 32×32 white-on-transparent outline icon", () => {
    const color = readPng(join(MANIFEST_DIR, "color.png"));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(join(MANIFEST_DIR, "outline.png"));
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    let transparent = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) transparent++;
      else expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
  });

  it("npm run package:teams builds a zip with the filled manifest and both icons", () => {
    const tmp = tempDir();
    try {
      const { file } = buildTeamsPackage(VALUES, { outFile: join(tmp.dir, "app.zip") });
      const entries = unzip(file);
      expect([...entries.keys()]).toEqual(["manifest.json", "color.png", "outline.png"]);
      const manifest = JSON.parse(String(entries.get("manifest.json")));
      expect(manifest.id).toBe(VALUES.botId);
      expect(manifest.developer.websiteUrl).toBe("https://licencias.example.com");
      expect(entries.get("color.png")).toEqual(readFileSync(join(MANIFEST_DIR, "color.png")));
    } finally {
      tmp.remove();
    }
  });
});
