/**
 * `npm run import:notifications -- --firm <workspace or tenant id> FILE.csv`
 *
 * A composition root like main.ts: reads the environment (DATABASE_PATH…),
 * opens the database and runs the import use case. Exits 0 when the file was
 * processed (rejected rows are reported, not fatal), 1 on a fatal error
 * (unknown firm, unreadable file, no header), 2 on wrong arguments.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, type Locale, loadConfig, withEnvFile } from "../config.ts";
import { openStore } from "../db/index.ts";
import { isServiceError } from "../errors.ts";
import { type Deps, type ImportReport, importNotifications } from "../handlers/index.ts";
import { t } from "../i18n/index.ts";
import { createLogger } from "../logger.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

function parseArgs(argv: string[]): { firm: string; file: string } | undefined {
  let firm: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--firm") {
      firm = argv[++i];
    } else if (arg.startsWith("--firm=")) {
      firm = arg.slice("--firm=".length);
    } else if (arg === "--") {
      // npm may pass the separator through.
    } else if (arg.startsWith("-")) {
      return undefined;
    } else {
      files.push(arg);
    }
  }
  const [file] = files;
  if (!firm?.trim() || !file || files.length !== 1) return undefined;
  return { firm: firm.trim(), file };
}

export function formatReport(locale: Locale, report: ImportReport): string[] {
  const lines = [
    t(locale, "import.summary.firm", {
      firm: report.firm.name,
      encoding: report.encoding === "utf-8" ? "UTF-8" : "Windows-1252",
      delimiter: report.delimiter,
    }),
    t(locale, "import.summary.counts", {
      rows: report.rows,
      imported: report.imported,
      unchanged: report.unchanged,
      rejected: report.rejected.length,
    }),
  ];
  for (const r of report.rejected) {
    const reason = t(locale, `import.reason.${r.reason}`, { field: r.field, ...r.params });
    lines.push(t(locale, "import.rejected", { line: r.line, reason }));
  }
  return lines;
}

/** Runs the command; returns the exit code. */
export function runImportNotifications(argv: string[], env: Record<string, string | undefined>, io: CliIo): number {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : String(err));
    return 1;
  }
  const locale = config.defaultLocale;
  const args = parseArgs(argv);
  if (!args) {
    io.err(t(locale, "import.usage"));
    return 2;
  }
  let data: Uint8Array;
  try {
    data = readFileSync(args.file);
  } catch (err) {
    const reason = err instanceof Error && "code" in err ? String(err.code) : String(err);
    io.err(t(locale, "import.unreadableFile", { file: args.file, reason }));
    return 1;
  }
  if (config.databasePath !== ":memory:" && !existsSync(config.databasePath)) {
    io.err(t(locale, "import.noDatabase", { path: config.databasePath }));
    return 1;
  }
  const { store, close } = openStore(config.databasePath);
  try {
    const deps: Deps = {
      store,
      now: Date.now,
      randomBytes: (n) => randomBytes(n),
      // Warnings and errors only: the summary is the command's output.
      logger: createLogger({ level: config.logLevel === "info" ? "warn" : config.logLevel }),
      support: config.support,
      notifiers: {},
    };
    const report = importNotifications(deps, { workspaceId: args.firm, data });
    for (const line of formatReport(locale, report)) io.out(line);
    return 0;
  } catch (err) {
    if (isServiceError(err)) {
      io.err(t(locale, err.messageId, err.details as Record<string, string>));
    } else {
      io.err(t(locale, "import.failed", { reason: err instanceof Error ? err.message : String(err) }));
    }
    return 1;
  } finally {
    close();
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
  process.exitCode = runImportNotifications(process.argv.slice(2), env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
