import { AsyncLocalStorage } from "node:async_hooks";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { type ServiceError, unavailable as unavailableError } from "../errors.ts";
import { type Db, openDatabase } from "./open.ts";
import * as schema from "./schema.ts";
import type { Area, Reads, Statements, Store, StoreHandle, Tx } from "./store/index.ts";

/** One storage area on one SQLite connection (src/db/firms.ts, licences.ts, client-app.ts, watch.ts). */
export type SqliteArea = (db: Db) => Area<object, object, object>;

/**
 * The SQLite store (docs/architecture.md, "Storage: SQLite"). better-sqlite3
 * is synchronous and a transaction cannot span an `await`, so:
 *
 * - units of work run one at a time on the write connection, each between
 *   `BEGIN IMMEDIATE` (the database's write lock at once; `busy_timeout`
 *   waits for another process) and `COMMIT`/`ROLLBACK`; a unit never
 *   interleaves with another's statements;
 * - statements run on the write connection too, between units (at once
 *   when no unit is open, in SQLite's own autocommit transaction);
 * - reads outside units run on the write connection while it has no
 *   transaction open (every read runs its SQL synchronously, so none can
 *   straddle the start of a unit), and on a second, read-only connection
 *   while a unit is open: in WAL mode that one sees committed data only, so a
 *   half-done unit is never shown. The write connection's page cache
 *   survives its own commits, while any commit empties another connection's:
 *   with a write on every Slack request (the replay memory), the reader
 *   re-read each page of every list from the file.
 */
export function openSqliteStore(path: string, areas: readonly SqliteArea[]): StoreHandle {
  const opened = openDatabase(path);
  const memory = path === ":memory:";
  const reader = memory ? undefined : openReader(path);
  const writeSide = merge(areas.map((area) => area(opened.db)));
  const readSide = reader ? merge(areas.map((area) => area(reader.db))) : writeSide;
  const sqlite = opened.db.$client;
  // Every write takes the lock through begin(), which waits without blocking the event loop.
  sqlite.pragma("busy_timeout = 0");
  const tx = { ...writeSide.reads, ...writeSide.writes, ...writeSide.statements } as Tx;
  const control = transactionControl(sqlite);
  const current = new AsyncLocalStorage<string>();

  /** Settles when the unit in progress (and those queued behind it) are over. */
  let tail: Promise<unknown> = Promise.resolve();

  const outsideUnit = (what: string) => {
    const inside = current.getStore();
    if (inside !== undefined) {
      throw new Error(`${what} called inside the unit of work "${inside}": use its tx, and nothing but its tx`);
    }
  };

  /** Runs `job` alone on the write connection: now if nothing is open, else after what is queued. */
  function exclusive<T>(job: () => Promise<T> | T): Promise<T> {
    const run = tail.then(job);
    tail = run.catch(() => undefined);
    return run;
  }

  const unit = <T>(name: string, work: (tx: Tx) => Promise<T>): Promise<T> => {
    outsideUnit(`unit("${name}")`);
    return exclusive(async () => {
      const waiting = begin(control);
      if (waiting) await waiting;
      let result: T;
      try {
        result = await current.run(name, () => work(tx));
      } catch (err) {
        control.rollback();
        throw err;
      }
      try {
        control.commit();
      } catch (err) {
        control.rollback();
        throw unavailable(err) ?? err;
      }
      return result;
    });
  };

  /** `work` alone on the write connection, between BEGIN IMMEDIATE and COMMIT (ROLLBACK when it throws). */
  const transaction = <T>(work: () => Promise<T>): Promise<T> =>
    exclusive(async () => {
      try {
        const waiting = begin(control);
        if (waiting) await waiting;
        const result = await work();
        control.commit();
        return result;
      } catch (err) {
        control.rollback();
        throw unavailable(err) ?? err;
      }
    });

  /**
   * The replay memory's calls made in one turn of the event loop, committed
   * together (GROUPED): each Slack request writes one, and one commit each
   * wrote ~4 WAL pages and made SQLite's automatic checkpoint (a copy and a
   * sync on the event loop) run several times a second. Each call gets its
   * own answer; a failure fails the whole group, as it would have failed
   * each call (the database did not answer).
   */
  let group: Array<{
    run: () => Promise<unknown>;
    resolve: (result: unknown) => void;
    reject: (err: unknown) => void;
  }> = [];
  const commitGroup = () => {
    const calls = group;
    group = [];
    transaction(async () => {
      const results: unknown[] = [];
      for (const call of calls) results.push(await call.run());
      return results;
    }).then(
      (results) => {
        for (const [i, call] of calls.entries()) call.resolve(results[i]);
      },
      (failure: unknown) => {
        for (const call of calls) call.reject(failure);
      },
    );
  };
  const grouped =
    (fn: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        group.push({ run: async () => await fn(...args), resolve, reject });
        if (group.length === 1) setImmediate(commitGroup);
      });

  // A statement takes the write lock as a unit does (waiting without blocking the event loop), then runs.
  const statements = wrap(writeSide.statements as Statements, (name, fn) => {
    if (GROUPED.has(name)) {
      const inGroup = grouped(fn);
      return (...args) => {
        outsideUnit(name);
        return inGroup(...args);
      };
    }
    return (...args) => {
      outsideUnit(name);
      return transaction(async () => await fn(...args));
    };
  });
  const writerReads = writeSide.reads as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const reads = wrap(readSide.reads as Reads, (name, fn) => {
    const onWriter = writerReads[name];
    if (!onWriter || !reader) {
      return (...args) => {
        outsideUnit(name);
        return fn(...args);
      };
    }
    return (...args) => {
      outsideUnit(name);
      if (sqlite.inTransaction) return fn(...args);
      // The write connection runs with busy_timeout 0 (begin() waits instead): a read it could not start
      // at once (another process resetting the WAL) runs on the reader, which waits as usual.
      return onWriter(...args).catch((err: unknown) => {
        if (unavailable(err)) return fn(...args);
        throw err;
      });
    };
  });

  const store: Store = {
    kind: "sqlite",
    ...reads,
    ...statements,
    unit,
    async ping() {
      sqlite.prepare("select 1").get();
    },
  };
  return {
    store,
    migrationLevel: opened.migrationLevel,
    async close() {
      // Calls still waiting for their group's turn are committed first.
      if (group.length > 0) commitGroup();
      await tail;
      reader?.close();
      // The closing checkpoint may wait for another process's reader, as the start's migration may.
      if (sqlite.open) sqlite.pragma(`busy_timeout = ${BUSY_MS}`);
      opened.close();
    },
  };
}

const BUSY_MS = 5_000;

/** Statements committed in groups (see `grouped` in openSqliteStore): the one written on every Slack request. */
const GROUPED = new Set(["rememberRequest"]);

/** BEGIN IMMEDIATE, COMMIT and ROLLBACK, each compiled once: every unit and statement runs them. */
interface TransactionControl {
  /** Throws SQLITE_BUSY at once when another connection holds the write lock (busy_timeout 0). */
  begin(): void;
  commit(): void;
  /** Rolls back what is open, if anything is. */
  rollback(): void;
}

function transactionControl(sqlite: Database.Database): TransactionControl {
  const begin = sqlite.prepare("BEGIN IMMEDIATE");
  const commit = sqlite.prepare("COMMIT");
  const rollback = sqlite.prepare("ROLLBACK");
  return {
    begin: () => void begin.run(),
    commit: () => void commit.run(),
    rollback: () => {
      if (sqlite.inTransaction) rollback.run();
    },
  };
}

/**
 * `BEGIN IMMEDIATE`, waiting up to 5 s for another connection's write lock
 * without blocking the event loop: with busy_timeout, better-sqlite3 would
 * wait synchronously, and a unit of another store in this same process (a
 * test's second "instance") could never reach its COMMIT meanwhile. When
 * the lock is free (nearly always) it is taken at once, with no promise.
 */
function begin(control: TransactionControl): Promise<void> | undefined {
  try {
    control.begin();
    return undefined;
  } catch (err) {
    if (!unavailable(err)) throw err;
  }
  return waitForLock(control);
}

async function waitForLock(control: TransactionControl): Promise<void> {
  const deadline = Date.now() + BUSY_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 25)) {
    await new Promise((r) => setTimeout(r, wait));
    try {
      control.begin();
      return;
    } catch (err) {
      if (!unavailable(err) || Date.now() >= deadline) throw unavailable(err) ?? err;
    }
  }
}

/** SQLITE_BUSY after busy_timeout (another process holds the write lock): the user is asked to try again. */
function unavailable(err: unknown): ServiceError | undefined {
  const code = err instanceof Error && "code" in err ? String(err.code) : "";
  return code.startsWith("SQLITE_BUSY") ? unavailableError() : undefined;
}

function openReader(path: string): { db: Db; close(): void } {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  return { db, close: () => sqlite.open && sqlite.close() };
}

function merge(areas: Area<object, object, object>[]): Area<object, object, object> {
  return {
    reads: Object.assign({}, ...areas.map((a) => a.reads)),
    writes: Object.assign({}, ...areas.map((a) => a.writes)),
    statements: Object.assign({}, ...areas.map((a) => a.statements)),
  };
}

/** The same methods, each wrapped by `around` (which knows the method's name). */
function wrap<T extends object>(
  methods: T,
  around: (name: string, fn: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(methods)) {
    out[name] = typeof fn === "function" ? around(name, fn as (...args: unknown[]) => unknown) : fn;
  }
  return out as T;
}
