import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackup } from "../../src/cli/backup.ts";
import { knownMigrations, openDatabase } from "../../src/db/open.ts";
import { tempDir } from "../support/app.ts";
import { bareEnv, type Proc, root, run, runServer, TSX } from "./process.ts";

const tmp = tempDir();
const dbPath = join(tmp.dir, "licencias.db");
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  tmp.remove();
});

/**
 * Another process writing as the server does (WAL, one transaction per
 * row), with automatic checkpoints off so that its rows stay in the WAL: the
 * case where copying the file loses data.
 */
const WRITER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("journal_mode = WAL");
db.pragma("wal_autocheckpoint = 0");
db.pragma("busy_timeout = 5000");
const insert = db.prepare("insert into stored_refs (kind, key, value, updated_at) values ('w', ?, ?, ?)");
let n = 0;
const tick = () => {
  for (let i = 0; i < 20; i++) { n++; insert.run(String(n).padStart(9, "0"), "x".repeat(200), Date.now()); }
  if (n === 400) process.stdout.write("ready\\n");
  setImmediate(tick);
};
tick();
process.on("SIGTERM", () => { db.close(); process.exit(0); });
`;

function backup(args: string[], env: Record<string, string> = { DATABASE_PATH: dbPath }): Proc {
  return run(process.execPath, ["--import", TSX, join(root, "src/cli/backup.ts"), ...args], { env: bareEnv(env) });
}

function rows(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("select key from stored_refs where kind = 'w' order by key").all() as { key: string }[]).map(
      (r) => r.key,
    );
  } finally {
    db.close();
  }
}

describe("npm run db:backup while the server writes", () => {
  beforeAll(() => openDatabase(dbPath).close());

  it("copies every row committed before it began, into a file that passes integrity_check", {
    timeout: 60_000,
  }, async () => {
    const writer = run(process.execPath, ["-e", WRITER, dbPath], { cwd: root });
    procs.push(writer);
    await writer.line(/^ready$/);

    // What was committed before the backup began (read through SQLite, WAL included).
    const reader = new Database(dbPath, { readonly: true });
    const committed = (reader.prepare("select count(*) as n from stored_refs where kind = 'w'").get() as { n: number })
      .n;
    // A plain file copy at the same moment: the rows still in the WAL are not in it.
    const naive = join(tmp.dir, "naive-copy.db");
    copyFileSync(dbPath, naive);

    const target = join(tmp.dir, "backup.db");
    const proc = backup([target]);
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(`backed up DATABASE_PATH ${dbPath} to ${target}`);
    expect(proc.output()).toMatch(/integrity ok/);
    await writer.kill();
    reader.close();

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    const copied = rows(target);
    const expected = Array.from({ length: committed }, (_, i) => String(i + 1).padStart(9, "0"));
    expect(copied.slice(0, committed)).toEqual(expected);
    expect(committed).toBeGreaterThanOrEqual(400);
    expect(rows(naive).length).toBeLessThan(committed);
    expect(existsSync(`${target}.partial-${proc.child.pid}`)).toBe(false);
  });

  it("refuses to overwrite a file unless --force, and needs no Slack setting", { timeout: 60_000 }, async () => {
    const target = join(tmp.dir, "existing.db");
    writeFileSync(target, "keep me");
    const refused = backup([target], { DATABASE_PATH: dbPath, SLACK_SIGNING_SECRET: "half a Slack configuration" });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/already exists: not overwritten \(add --force/);

    const forced = backup(["--force", target], { DATABASE_PATH: dbPath, SLACK_BOT_TOKEN: "not even xoxb" });
    expect(await forced.exited).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
  });

  it("creates the folder of the backup file when it does not exist yet", async () => {
    const target = join(tmp.dir, "backups", "2026", "licencias-2026-12-01.db");
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runBackup([target], { DATABASE_PATH: dbPath }, io)).toBe(0);
    expect(lines.join("\n")).toContain(`to ${target}:`);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();

    // A folder that cannot be made (a file stands in its place) is named, and nothing is written.
    const blocked = join(tmp.dir, "a-file", "copy.db");
    writeFileSync(join(tmp.dir, "a-file"), "not a folder");
    lines.length = 0;
    expect(await runBackup([blocked], { DATABASE_PATH: dbPath }, io)).toBe(1);
    expect(lines.join("\n")).toMatch(/its folder cannot be made \((EEXIST|ENOTDIR)/);
  });

  it("says what is wrong with its arguments or the database", { timeout: 60_000 }, async () => {
    const usage = backup([]);
    expect(await usage.exited).toBe(2);
    expect(usage.output()).toMatch(/usage: npm run db:backup -- FILE/);

    const missing = join(tmp.dir, "missing.db");
    const none = backup([join(tmp.dir, "x.db")], { DATABASE_PATH: missing });
    expect(await none.exited).toBe(1);
    expect(none.output()).toContain(`DATABASE_PATH ${missing} is not a database file`);
  });

  it("refuses to copy DATABASE_PATH when the data is in PostgreSQL, and names pg_dump", async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const target = join(tmp.dir, "not-written.db");
    const env = { DATABASE_PATH: dbPath, DATABASE_URL: "postgres://licencias@db.example.com/licencias" };
    expect(await runBackup([target], env, io)).toBe(1);
    expect(lines.join("\n")).toContain("pg_dump");
    expect(existsSync(target)).toBe(false);
  });
});

describe("upgrades", () => {
  it("a migration that fails is rolled back: nothing changed, and the error names the database", () => {
    // A table in the way of the first migration's CREATE TABLE.
    const blocked = join(tmp.dir, "blocked.db");
    const db = new Database(blocked);
    db.exec("create table licences (anything text); insert into licences values ('kept')");
    db.close();

    expect(() => openDatabase(blocked)).toThrow(
      `DATABASE_PATH ${blocked} could not be migrated (the migration was rolled back, nothing changed)`,
    );
    const after = new Database(blocked, { readonly: true });
    const tables = (after.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .filter((n) => n !== "__drizzle_migrations");
    expect(tables).toEqual(["licences"]);
    expect(after.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: 0 });
    expect(after.prepare("select anything from licences").all()).toEqual([{ anything: "kept" }]);
    after.close();
  });

  it("a database from a newer version is refused at start, naming the database and both migration levels", {
    timeout: 60_000,
  }, async () => {
    const future = join(tmp.dir, "future.db");
    openDatabase(future).close();
    const db = new Database(future);
    db.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-the-future', ?)").run(
      Date.UTC(2100, 0, 1),
    );
    db.close();

    const proc = runServer({ PORT: "0", DATABASE_PATH: future });
    expect(await proc.exited).toBe(1);
    const known = knownMigrations().length;
    expect(proc.output()).toContain(
      `DATABASE_PATH ${future} is at migration level ${known + 1}, newer than this version knows (level ${known})`,
    );
    // Untouched: still the future's level.
    const after = new Database(future, { readonly: true });
    expect((after.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n).toBe(known + 1);
    after.close();
  });
});
