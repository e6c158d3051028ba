import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports (static, dynamic, re-exports). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    found.push((m[1] ?? m[2]) as string);
  }
  return found;
}

function violations(folder: string, forbidden: (specifier: string, file: string) => boolean): string[] {
  const bad: string[] = [];
  for (const file of sources(join(root, folder))) {
    for (const spec of imports(file)) {
      if (forbidden(spec, file)) bad.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  return bad;
}

const resolvesInto = (spec: string, file: string, target: string) =>
  spec.startsWith(".") && resolve(file, "..", spec).startsWith(join(root, target));

const CHAT_OR_HTTP =
  /^(@slack\/|@microsoft\/|botbuilder|botframework-|express$|express\/|node:http$|node:https$|http$|https$)/;

describe("layers point one way", () => {
  it("finds the imports it checks (the scanner works)", () => {
    expect(imports(join(root, "src/app.ts"))).toContain("express");
    expect(violations("src/bot", () => true).length).toBeGreaterThan(0);
  });

  it("src/handlers imports no chat SDK and no HTTP framework", () => {
    expect(violations("src/handlers", (spec) => CHAT_OR_HTTP.test(spec))).toEqual([]);
  });

  it("src/handlers, src/db and src/domain import nothing from src/bot or src/api", () => {
    for (const folder of ["src/handlers", "src/db", "src/domain"]) {
      expect(
        violations(folder, (spec, file) => resolvesInto(spec, file, "src/bot") || resolvesInto(spec, file, "src/api")),
      ).toEqual([]);
    }
  });

  it("src/bot and src/api never touch the database", () => {
    for (const folder of ["src/bot", "src/api"]) {
      expect(
        violations(
          folder,
          (spec, file) => resolvesInto(spec, file, "src/db") || /^(drizzle-orm|better-sqlite3)/.test(spec),
        ),
      ).toEqual([]);
    }
  });

  it("nothing but the composition roots reads process.env", () => {
    const offenders = sources(join(root, "src"))
      .filter((f) => readFileSync(f, "utf8").includes("process.env"))
      .map((f) => relative(root, f))
      .filter((f) => !["src/main.ts", "src/config.ts"].includes(f) && !f.startsWith("src/cli/"));
    expect(offenders).toEqual([]);
  });
});
