/**
 * `node dist/cli/healthcheck.js`: asks the server of this environment
 * (PORT, HOST, as the server reads them) for GET /healthz; exits 0 when it
 * answers 200, 1 otherwise. The container's HEALTHCHECK, with no curl in the image.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, withEnvFile } from "../config.ts";

/** Where a client on this machine reaches a server listening on `host`. */
export function healthUrl(host: string, port: number): string {
  const local = host === "0.0.0.0" ? "127.0.0.1" : host === "::" || host === "[::]" ? "::1" : host;
  const name = local.includes(":") && !local.startsWith("[") ? `[${local}]` : local;
  return `http://${name}:${port}/healthz`;
}

export async function runHealthcheck(env: Record<string, string | undefined>, timeoutMs = 4_000): Promise<number> {
  let url: string;
  try {
    const config = loadConfig(env);
    url = healthUrl(config.host, config.port);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    process.stdout.write(`${url}: ${res.status} ${await res.text()}\n`);
    return res.status === 200 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${url}: no answer (${err instanceof Error ? err.message : String(err)})\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  let env: Record<string, string | undefined> = process.env;
  try {
    env = withEnvFile(process.env, process.cwd());
  } catch {
    // An unreadable .env stops the server too; the health check then reports no answer.
  }
  process.exitCode = await runHealthcheck(env);
}
