import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "../../src/config.ts";
import { root } from "./process.ts";

/**
 * What an operator reads about the settings and scripts is what the code
 * does: .env.example and the README's table name exactly the settings
 * src/config.ts reads, and a copy of .env.example used as docker's
 * --env-file or systemd's EnvironmentFile does not undo what the image or
 * the unit sets (see docs/architecture.md, Operations).
 */
const read = (file: string) => readFileSync(join(root, file), "utf8");
const example = read(".env.example");

/** The settings .env.example shows, set (`NAME=`) or with their default commented out (`# NAME=default`). */
const exampleNames = example
  .split("\n")
  .map((l) => /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(l)?.[1])
  .filter((n): n is string => n !== undefined);

/** The names in the first column of the README's Configuration table. */
function readmeTableNames(): string[] {
  const readme = read("README.md");
  const section = readme.slice(
    readme.indexOf("## Configuration"),
    readme.indexOf("\n## ", readme.indexOf("## Configuration") + 3),
  );
  return section
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .flatMap((l) => [...(l.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] as string));
}

describe("the settings, as documented", () => {
  it("config.ts, .env.example and the README's table name the same settings", () => {
    expect(SETTING_NAMES.length).toBeGreaterThan(15);
    expect([...exampleNames].sort()).toEqual([...SETTING_NAMES].sort());
    expect([...readmeTableNames()].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it("a copy of .env.example as the env file of the Docker image or the systemd unit keeps their HOST and DATABASE_PATH", () => {
    // docker --env-file and EnvironmentFile set every `NAME=` line, an empty one to "".
    const assigned = Object.keys(parseEnv(example));
    expect(assigned).toContain("PUBLIC_URL");

    const dockerfile = read("Dockerfile").replace(/\\\n/g, " ");
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    const imageEnv = [...runtime.matchAll(/^ENV\s+(.*)$/gm)].flatMap((m) =>
      [...(m[1] ?? "").matchAll(/([A-Z_]+)=/g)].map((n) => n[1] as string),
    );
    expect(imageEnv).toEqual(expect.arrayContaining(["HOST", "DATABASE_PATH"]));

    const unit = read("deploy/licencias-pymes.service");
    const unitEnv = [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((m) => m[1] as string);
    expect(unitEnv).toContain("DATABASE_PATH");
    // The unit's installation steps copy .env.example as its EnvironmentFile.
    expect(unit).toMatch(/install .*\.env\.example \/etc\/licencias-pymes\/env/);

    expect(assigned.filter((n) => imageEnv.includes(n) || unitEnv.includes(n))).toEqual([]);
  });

  it("every `npm run` script the README and the docs mention exists", () => {
    const { scripts } = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    const texts = ["README.md", "docs/architecture.md", "docs/slack.md", "docs/teams.md", "docs/api.md"].map(read);
    const mentioned = texts.flatMap((t) =>
      [...t.matchAll(/npm run (?:-s )?([a-z][a-z:]*)/g)].map((m) => m[1] as string),
    );
    expect(mentioned.length).toBeGreaterThan(5);
    for (const name of new Set(mentioned)) expect(Object.keys(scripts), name).toContain(name);
  });
});
