/**
 * `npm run watch -- [--firm <workspace or tenant id>] [--dry-run]`
 *
 * The daily watch on demand (docs/architecture.md, "The daily watch"): the
 * same run the server's timer makes at WATCH_HOUR, through the same
 * composition (createApp, without listening), so it reaches Slack and Teams
 * with the server's settings. It claims each firm's day like the timer, so
 * running it beside the server never sends twice. `--dry-run` prints what
 * would be sent and sends and records nothing. Exits 0 when the run went
 * through, 1 on a fatal error or when a message could not be delivered,
 * 2 on wrong arguments.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppOverrides, createApp } from "../app.ts";
import { ConfigError, type Locale, loadConfig, withEnvFile } from "../config.ts";
import { isServiceError } from "../errors.ts";
import { findFirmByWorkspace, runWatch, type WatchItem, type WatchRun } from "../handlers/index.ts";
import { formatDate, pickLocale, type TextId, t, tn } from "../i18n/index.ts";
import { createLogger } from "../logger.ts";
import type { CliIo } from "./import-notifications.ts";

interface Args {
  firm?: string;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args | undefined {
  const args: Args = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--firm") {
      const value = argv[++i]?.trim();
      if (!value) return undefined;
      args.firm = value;
    } else if (arg.startsWith("--firm=")) {
      const value = arg.slice("--firm=".length).trim();
      if (!value) return undefined;
      args.firm = value;
    } else if (arg === "--dry-run") {
      args.dryRun = true;
    } else if (arg !== "--") {
      // npm may pass the separator through; anything else is a mistake.
      return undefined;
    }
  }
  return args;
}

function itemDetail(item: WatchItem): string {
  switch (item.kind) {
    case "deadline":
      return `${item.organismo} · ${formatDate(item.fechaMaxLectura)} (${item.daysLeft})`;
    case "unactivated":
      return `${formatDate(item.detailsSentAt)} (${item.days})`;
    case "silent":
      return `${formatDate(item.lastContactAt)} (${item.days})`;
  }
}

const KIND = {
  unactivated: "watch.cli.kind.unactivated",
  silent: "watch.cli.kind.silent",
  deadline: "watch.cli.kind.deadline",
} as const satisfies Record<WatchItem["kind"], TextId>;

/** The run as lines for the operator: each firm's outcome; in a dry run, each message and its items. */
export function formatWatchRun(
  locale: Locale,
  run: WatchRun,
  dryRun: boolean,
  firmName: (firmId: number) => string = String,
): string[] {
  const lines: string[] = [];
  for (const f of run.firms) {
    const firm = firmName(f.firmId);
    const messages = f.messages.length;
    if (f.outcome === "nothing") lines.push(t(locale, "watch.cli.firm.nothing", { firm }));
    else if (f.outcome === "unreachable") lines.push(tn(locale, "watch.cli.firm.unreachable", f.untold ?? 0, { firm }));
    else if (f.outcome === "claimed") lines.push(t(locale, "watch.cli.firm.claimed", { firm }));
    else if (f.outcome === "sent") {
      lines.push(tn(locale, "watch.cli.firm.sent", messages - f.failed, { firm, failed: f.failed }));
    } else lines.push(tn(locale, "watch.cli.firm.dryRun", messages, { firm }));
    if (!dryRun) continue;
    for (const m of f.messages) {
      lines.push(
        "channel" in m.target
          ? tn(locale, "watch.cli.message.channel", m.items.length, {
              platform: m.platform,
              channel: m.target.channel.channelId,
            })
          : tn(locale, "watch.cli.message.user", m.items.length, { platform: m.platform, user: m.target.userId }),
      );
      for (const item of m.items) {
        lines.push(
          t(locale, "watch.cli.item", {
            kind: t(locale, KIND[item.kind]),
            client: item.clientName,
            detail: itemDetail(item),
          }),
        );
      }
    }
  }
  lines.push(tn(locale, "watch.cli.summary", run.firms.length, { day: run.day }));
  return lines;
}

/** Runs the command; resolves to the exit code. `overrides` are the tests' (a fake Slack API, the clock). */
export async function runWatchCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
  overrides: AppOverrides = {},
): Promise<number> {
  const fallback = pickLocale(env.DEFAULT_LOCALE, "es");
  const args = parseArgs(argv);
  if (!args) {
    io.err(t(fallback, "watch.cli.usage"));
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    io.err(t(fallback, "import.badSetting", { reason: err instanceof ConfigError ? err.message : String(err) }));
    return 1;
  }
  const locale = config.defaultLocale;
  if (!config.database && config.databasePath !== ":memory:" && !existsSync(config.databasePath)) {
    io.err(t(locale, "import.noDatabase", { path: config.databasePath }));
    return 1;
  }
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel === "info" ? "warn" : config.logLevel, format: "json" });
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    app = await createApp(config, { ...overrides, logger });
    const firmId = args.firm ? (await findFirmByWorkspace(app.deps, args.firm)).id : undefined;
    const run = await runWatch(app.deps, app.watchSenders, {
      ...(firmId !== undefined ? { firmId } : {}),
      dryRun: args.dryRun,
    });
    const store = app.deps.store;
    // The firm as the operator knows it: its name and the workspace or tenant ids that --firm takes.
    const names = new Map<number, string>();
    for (const { firmId: id } of run.firms) {
      if (names.has(id)) continue;
      const ids = (await store.watchWorkspaces(id)).map((w) => w.externalId);
      names.set(id, `«${(await store.getFirm(id))?.name ?? id}» (${ids.join(", ")})`);
    }
    const firmName = (id: number) => names.get(id) ?? String(id);
    for (const line of formatWatchRun(locale, run, args.dryRun, firmName)) io.out(line);
    return run.firms.some((f) => f.failed > 0 || f.outcome === "unreachable") ? 1 : 0;
  } catch (err) {
    if (isServiceError(err)) io.err(t(locale, err.messageId, err.details as Record<string, string>));
    else io.err(t(locale, "watch.cli.failed", { reason: err instanceof Error ? err.message : String(err) }));
    return 1;
  } finally {
    await app?.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  let env: Record<string, string | undefined>;
  try {
    env = withEnvFile(process.env, process.cwd());
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.exitCode = await runWatchCli(process.argv.slice(2), env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
