/**
 * `npm run import:notifications -- --firm <workspace or tenant id> [--skip-rows N] FILE.csv`
 *
 * A composition root like main.ts, for one job: reads only the settings it
 * needs (DATABASE_URL or DATABASE_PATH, and DEFAULT_LOCALE and LOG_LEVEL when set; not the
 * Slack or Teams ones, so it runs wherever the database is), opens the
 * database and runs the import use case. Exits 0 when the file was
 * processed (rejected rows are reported, not fatal), 1 on a fatal error
 * (unknown firm, unreadable file, no header), 2 on wrong arguments.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { type Locale, WATCH_DEFAULTS, withEnvFile } from "../config.ts";
import { openStore } from "../db/index.ts";
import { isServiceError } from "../errors.ts";
import { type Deps, type ImportReport, importNotifications } from "../handlers/index.ts";
import { pickLocale, t } from "../i18n/index.ts";
import { createLogger } from "../logger.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Empty means "not set", as for every setting. */
const setting = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const cliEnv = z.object({
  DATABASE_PATH: setting.transform((v) => v ?? "./data/licencias.db"),
  DATABASE_URL: setting.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "must be a PostgreSQL URL (postgres://user:password@host:5432/database)")
      .optional(),
  ),
  DEFAULT_LOCALE: setting.pipe(z.enum(["es", "en"]).optional()),
  LOG_LEVEL: setting.pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional()),
});

interface Args {
  firm: string;
  file: string;
  /** The value of --skip-rows as typed (checked by the use case). */
  skipRows?: number;
}

function parseArgs(argv: string[]): Args | undefined {
  let firm: string | undefined;
  let skip: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--firm") {
      firm = argv[++i];
    } else if (arg.startsWith("--firm=")) {
      firm = arg.slice("--firm=".length);
    } else if (arg === "--skip-rows") {
      skip = argv[++i] ?? "";
    } else if (arg.startsWith("--skip-rows=")) {
      skip = arg.slice("--skip-rows=".length);
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
  // Not a number (NaN) or a fraction is refused by the use case with its own message.
  const skipRows = skip === undefined ? undefined : /^\s*\d+\s*$/.test(skip) ? Number(skip) : Number.NaN;
  return { firm: firm.trim(), file, ...(skipRows === undefined ? {} : { skipRows }) };
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
export async function runImportNotifications(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const settings = cliEnv.safeParse(env);
  if (!settings.success) {
    const reason = settings.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    io.err(t(pickLocale(env.DEFAULT_LOCALE, "es"), "import.badSetting", { reason }));
    return 1;
  }
  const databasePath = settings.data.DATABASE_PATH;
  const databaseUrl = settings.data.DATABASE_URL;
  const logLevel = settings.data.LOG_LEVEL ?? "info";
  const locale: Locale = settings.data.DEFAULT_LOCALE ?? "es";
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
  if (!databaseUrl && databasePath !== ":memory:" && !existsSync(databasePath)) {
    io.err(t(locale, "import.noDatabase", { path: databasePath }));
    return 1;
  }
  // The file is imported in one unit of work: one connection is enough.
  const { store, close } = await openStore({
    path: databasePath,
    database: databaseUrl ? { url: databaseUrl, poolSize: 2 } : undefined,
  });
  try {
    const deps: Deps = {
      store,
      now: Date.now,
      randomBytes: (n) => randomBytes(n),
      // Warnings and errors only: the summary is the command's output.
      logger: createLogger({ level: logLevel === "info" ? "warn" : logLevel }),
      // The import decides nothing for support.
      support: { userIds: [] },
      watch: WATCH_DEFAULTS,
      notifiers: {},
    };
    const report = await importNotifications(deps, {
      workspaceId: args.firm,
      data,
      ...(args.skipRows === undefined ? {} : { skipRows: args.skipRows }),
    });
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
    await close();
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
  process.exitCode = await runImportNotifications(process.argv.slice(2), env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
