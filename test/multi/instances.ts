import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { FakeSlack } from "../slack/fake-slack.ts";
import { SlackSim } from "../slack/slack-sim.ts";

const root = resolve(import.meta.dirname, "../..");
const TSX = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

export interface Instance {
  url: string;
  /** Signed Slack requests to this instance, against the shared fake Slack. */
  sim: SlackSim;
  /** What the process wrote so far (JSON log lines). */
  output(): string;
  /** `kill -9`: no clean stop, connections dropped mid-request. */
  crash(): Promise<void>;
  /** SIGTERM and wait for the exit; safe after a crash. */
  stop(): Promise<void>;
}

/** One server process (test/multi/instance.ts) on the given settings; resolves once it listens. */
export async function startInstance(env: Record<string, string>, fake: FakeSlack, secret: string): Promise<Instance> {
  const base: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "HOME", "TMPDIR"]) if (process.env[key]) base[key] = process.env[key];
  const child: ChildProcess = spawn(process.execPath, ["--import", TSX, join(import.meta.dirname, "instance.ts")], {
    cwd: root,
    env: { ...base, PORT: "0", LOG_LEVEL: "info", LOG_FORMAT: "json", TEST_SLACK_API_URL: fake.apiUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stderr?.on("data", (d) => {
      out += d;
    });
    child.stdout?.on("data", (d) => {
      out += d;
      const listening = /"url":"(http:[^"]+)"[^\n]*instance listening/.exec(out);
      if (listening?.[1]) resolveUrl(listening[1]);
    });
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}: ${out}`)));
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    url,
    sim: new SlackSim(url, secret, fake),
    output: () => out,
    crash: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}
