import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/app.ts";
import { bareEnv, type Proc, root, run, stopsCleanly } from "./process.ts";

const read = (file: string) => readFileSync(join(root, file), "utf8");
const pkg = JSON.parse(read("package.json")) as { version: string; scripts: Record<string, string> };
/** What `npm run start:prod` runs, without the shell's `exec`. */
const startProd = (pkg.scripts["start:prod"] ?? "").replace(/^exec\s+/, "");

/** Dockerfile instructions (continuation lines joined), split into stages. */
function dockerStages(): { from: string; instructions: { op: string; args: string }[] }[] {
  const lines = read("Dockerfile")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages: { from: string; instructions: { op: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [, op = "", args = ""] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op === "FROM") stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ op, args: args.replace(/\s+/g, " ") });
  }
  return stages;
}

/** A JSON-array (exec form) instruction's command line. */
const execForm = (args: string) => (JSON.parse(args.replace(/^CMD\s+/, "")) as string[]).join(" ");

/** The README's "Running in production" section. */
function productionSection(): string {
  const readme = read("README.md");
  const start = readme.indexOf("## Running in production");
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 3);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("the container and service files match the README's commands", () => {
  const stages = dockerStages();
  const build = stages[0];
  const runtime = stages.at(-1);

  it("builds with every dependency and `npm run build`, runs `npm ci --omit=dev` and the start:prod command", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build?.from).toMatch(/^\$\{NODE_IMAGE\} AS build$/);
    expect(read("Dockerfile")).toMatch(/^ARG NODE_IMAGE=node:(20|22|24)-bookworm-slim$/m);
    const buildRuns = build?.instructions.filter((i) => i.op === "RUN").map((i) => i.args) ?? [];
    expect(buildRuns).toContain("npm ci");
    expect(buildRuns).toContain("npm run build");
    const runtimeRuns = runtime?.instructions.filter((i) => i.op === "RUN").map((i) => i.args) ?? [];
    expect(runtimeRuns.some((r) => r.includes("npm ci --omit=dev"))).toBe(true);
    const cmd = runtime?.instructions.find((i) => i.op === "CMD");
    expect(execForm(cmd?.args ?? "[]")).toBe(startProd);

    const section = productionSection();
    expect(section).toContain("npm run build");
    expect(section).toContain("npm run start:prod");
    expect(section).toContain("docker build");
  });

  it("runs as a non-root user, the database on /data, listening beyond loopback, with a node health check", () => {
    const ops = runtime?.instructions ?? [];
    const user = ops.find((i) => i.op === "USER")?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
    expect(ops.find((i) => i.op === "VOLUME")?.args).toBe("/data");
    const env = ops
      .filter((i) => i.op === "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(env).toContain("HOST=0.0.0.0");
    expect(env).toContain("DATABASE_PATH=/data/");
    const health = ops.find((i) => i.op === "HEALTHCHECK")?.args ?? "";
    const [, command = "[]"] = /CMD\s+(\[.*\])/.exec(health) ?? [];
    expect(execForm(command)).toBe("node dist/cli/healthcheck.js");
    expect(existsSync(join(root, "src/cli/healthcheck.ts"))).toBe(true);
  });

  it("copies only files that exist and that .dockerignore lets through", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#") && !l.startsWith("!"));
    const sources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.op === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(" ").slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
    expect(ignored).toEqual(expect.arrayContaining([".env", "node_modules", "data"]));
  });

  it("the systemd unit runs the same start:prod command and stops with SIGTERM", () => {
    const unit = read("deploy/licencias-pymes.service");
    const setting = (name: string) => new RegExp(`^${name}=(.*)$`, "m").exec(unit)?.[1];
    const [binary, ...args] = (setting("ExecStart") ?? "").split(" ");
    expect(binary).toMatch(/^\/.*\/node$/);
    expect(["node", ...args].join(" ")).toBe(startProd);
    expect(setting("WorkingDirectory")).toMatch(/^\//);
    expect(setting("EnvironmentFile")).toMatch(/^\//);
    expect(setting("Restart")).toBe("on-failure");
    expect(setting("KillSignal")).toBe("SIGTERM");
    expect(Number(setting("TimeoutStopSec"))).toBeGreaterThan(10);
    expect(setting("NoNewPrivileges")).toBe("yes");
    expect(setting("ProtectSystem")).toBe("strict");
    expect(productionSection()).toContain("deploy/licencias-pymes.service");
  });
});

describe("the compiled build", () => {
  const tmp = tempDir();
  const procs: Proc[] = [];
  beforeAll(async () => {
    const build = run("npm", ["run", "build"], { env: bareEnv() });
    const code = await build.exited;
    if (code !== 0) throw new Error(`npm run build failed:\n${build.output()}`);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill()));
    tmp.remove();
  });

  it("has the migrations and the commands next to the compiled code", () => {
    for (const file of ["main.js", "cli/backup.js", "cli/healthcheck.js", "db/migrations/meta/_journal.json"]) {
      expect(existsSync(join(root, "dist", file)), file).toBe(true);
    }
  });

  it("`--version` prints the version with plain node", { timeout: 60_000 }, async () => {
    const proc = run(process.execPath, ["dist/main.js", "--version"], { env: bareEnv() });
    expect(await proc.exited).toBe(0);
    expect(proc.output().trim()).toBe(pkg.version);
  });

  it("`npm run start:prod` starts, answers /healthz and the health check, and stops cleanly on SIGTERM", {
    timeout: 60_000,
  }, async () => {
    const proc = run("npm", ["run", "start:prod"], {
      env: bareEnv({ PORT: "0", DATABASE_PATH: join(tmp.dir, "prod.db") }),
    });
    procs.push(proc);
    const start = await proc.started();
    const health = await fetch(`${start.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", version: pkg.version });

    const port = new URL(start.url).port;
    const check = run(process.execPath, ["dist/cli/healthcheck.js"], { env: bareEnv({ PORT: port }) });
    expect(await check.exited).toBe(0);

    await stopsCleanly(proc, () => proc.child.kill("SIGTERM"));

    const after = run(process.execPath, ["dist/cli/healthcheck.js"], { env: bareEnv({ PORT: port }) });
    expect(await after.exited).toBe(1);
  });
});
