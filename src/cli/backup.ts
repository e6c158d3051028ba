/**
 * `npm run db:backup -- FILE [--force]` (compiled: `node dist/cli/backup.js FILE`)
 *
 * Copies the SQLite database named by DATABASE_PATH to FILE with SQLite's
 * online backup, which is safe while the server runs and includes what is
 * still in the WAL (a plain file copy loses it). Needs no other setting.
 * Exits 0 when the copy is written and passes an integrity check, 1 when it
 * cannot be made, 2 on wrong arguments.
 */
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { ConfigError, loadDatabasePath, withEnvFile } from "../config.ts";
import { makeFolder } from "../db/open.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = "usage: npm run db:backup -- FILE [--force]   (copies DATABASE_PATH to FILE; --force overwrites FILE)";

function parseArgs(argv: string[]): { file: string; force: boolean } | undefined {
  let force = false;
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === "--force" || arg === "-f") force = true;
    else if (arg === "--") continue;
    else if (arg.startsWith("-")) return undefined;
    else files.push(arg);
  }
  const [file] = files;
  return file && files.length === 1 ? { file, force } : undefined;
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return "code" in err ? `${String(err.code)}: ${err.message}` : err.message;
}

/** Runs the command; resolves to the exit code. */
export async function runBackup(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    io.err(USAGE);
    return 2;
  }
  if (env.DATABASE_URL?.trim()) {
    // PostgreSQL has its own tools; copying DATABASE_PATH here would back up the wrong database.
    io.err(
      'DATABASE_URL is set: the data is in PostgreSQL, which this command does not copy. Back it up with pg_dump (see the README, "Running it in production").',
    );
    return 1;
  }
  let source: string;
  try {
    source = loadDatabasePath(env);
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : String(err));
    return 1;
  }
  const target = resolve(args.file);
  if (source === ":memory:" || !statSync(source, { throwIfNoEntry: false })?.isFile()) {
    io.err(`DATABASE_PATH ${source} is not a database file: nothing to back up`);
    return 1;
  }
  if (resolve(source) === target) {
    io.err(`${args.file} is the database itself (DATABASE_PATH): choose another file`);
    return 1;
  }
  if (existsSync(target) && !args.force) {
    io.err(`${args.file} already exists: not overwritten (add --force to replace it)`);
    return 1;
  }

  // A dated file in a backups/ folder that does not exist yet (the README's example) is the common case.
  try {
    makeFolder(dirname(target));
  } catch (err) {
    io.err(`could not back up to ${args.file}: its folder cannot be made (${reason(err)})`);
    return 1;
  }

  // Written beside the target and renamed once complete: an interrupted backup never looks like a good one.
  const partial = `${target}.partial-${process.pid}`;
  let db: Database.Database | undefined;
  try {
    db = new Database(source, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    // All remaining pages in one step, inside one read transaction: a consistent snapshot. In
    // small steps, every write the server makes meanwhile would restart the copy.
    const { totalPages } = await db.backup(partial, { progress: () => 0x7fffffff });
    db.close();
    db = undefined;

    const copy = new Database(partial, { fileMustExist: true });
    const integrity = copy.pragma("integrity_check", { simple: true });
    const level = copy
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
      .get() as { n: number };
    const migrations =
      level.n > 0 ? (copy.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n : 0;
    copy.close();
    if (integrity !== "ok") {
      rmSync(partial, { force: true });
      io.err(`the copy of DATABASE_PATH ${source} failed its integrity check (${String(integrity)}); nothing written`);
      return 1;
    }
    // A WAL left from an older file of that name would be replayed over the new copy.
    rmSync(`${target}-wal`, { force: true });
    rmSync(`${target}-shm`, { force: true });
    renameSync(partial, target);
    const bytes = statSync(target).size;
    io.out(
      `backed up DATABASE_PATH ${source} to ${target}: ${totalPages} pages, ${bytes} bytes, migration level ${migrations}, integrity ok`,
    );
    return 0;
  } catch (err) {
    db?.close();
    rmSync(partial, { force: true });
    io.err(`could not back up DATABASE_PATH ${source} to ${args.file} (${reason(err)})`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  let env: Record<string, string | undefined>;
  try {
    env = withEnvFile(process.env, process.cwd());
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  process.exitCode = await runBackup(process.argv.slice(2), env, io);
}
