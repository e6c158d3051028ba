import { AsyncLocalStorage } from "node:async_hooks";
import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import { unavailable } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { Area, Reads, Statements, Store, StoreHandle, Tx } from "../store/index.ts";
import { openPg } from "./open.ts";
import type * as schema from "./schema.ts";

/** The pool's database or a transaction of it: what a PostgreSQL area's queries run on. */
export type PgConn = PgDatabase<NodePgQueryResultHKT, typeof schema>;

/** One storage area on PostgreSQL (src/db/pg/firms.ts, licences.ts, client-app.ts, watch.ts). */
export type PgArea = (db: PgConn) => Area<object, object, object>;

export interface PgStoreOptions {
  poolSize?: number | undefined;
  logger?: Logger | undefined;
}

/** SQLSTATEs after which a unit is run again: serialization_failure, deadlock_detected, unique_violation. */
const RETRY = new Set(["40001", "40P01", "23505"]);
const ATTEMPTS = 3;

/**
 * The PostgreSQL store (docs/architecture.md, "Storage: PostgreSQL"). A unit
 * is a READ COMMITTED transaction on one pooled connection; each rule holds
 * across instances by locking the row its decision is about (the `…ForUpdate`
 * reads), with a unique index under it as the backstop. A unit that loses a
 * race on that backstop (or a deadlock, or a serialization failure) is run
 * again from the start, and the use case's rule then decides on what won.
 */
export async function openPgStore(
  url: string,
  areas: readonly PgArea[],
  opts: PgStoreOptions = {},
): Promise<StoreHandle> {
  const logger = opts.logger;
  const opened = await openPg(url, {
    poolSize: opts.poolSize,
    onPoolError: (err) =>
      logger?.warn({ code: sqlState(err) }, "postgres: an idle connection failed; the pool replaces it"),
  });
  const { db } = opened;
  const base = merge(areas.map((area) => area(db)));
  const current = new AsyncLocalStorage<string>();

  const outsideUnit = (what: string) => {
    const inside = current.getStore();
    if (inside !== undefined) {
      throw new Error(`${what} called inside the unit of work "${inside}": use its tx, and nothing but its tx`);
    }
  };

  const unit = async <T>(name: string, work: (tx: Tx) => Promise<T>): Promise<T> => {
    outsideUnit(`unit("${name}")`);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        return await db.transaction(
          (txDb) => {
            const side = merge(areas.map((area) => area(txDb)));
            const tx = { ...side.reads, ...side.writes, ...side.statements } as Tx;
            return current.run(name, () => work(tx));
          },
          { isolationLevel: "read committed" },
        );
      } catch (err) {
        const code = sqlState(err);
        if (code && RETRY.has(code) && attempt < ATTEMPTS) {
          logger?.debug({ unit: name, code, attempt }, "postgres: unit run again after a conflict");
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
          continue;
        }
        throw asUnavailable(err, logger, name) ?? err;
      } finally {
        const ms = Date.now() - started;
        if (ms > 1_000) logger?.warn({ unit: name, ms }, "postgres: a unit of work took over a second");
      }
    }
  };

  const guard = <T extends object>(methods: T): T => {
    const out: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(methods)) {
      out[name] = async (...args: unknown[]) => {
        outsideUnit(name);
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          throw asUnavailable(err, logger, name) ?? err;
        }
      };
    }
    return out as T;
  };

  const store: Store = {
    kind: "postgres",
    ...guard(base.reads as Reads),
    ...guard(base.statements as Statements),
    unit,
    ping: opened.ping,
  };
  return { store, migrationLevel: opened.migrationLevel, close: opened.close };
}

function merge(areas: Area<object, object, object>[]): Area<object, object, object> {
  return {
    reads: Object.assign({}, ...areas.map((a) => a.reads)),
    writes: Object.assign({}, ...areas.map((a) => a.writes)),
    statements: Object.assign({}, ...areas.map((a) => a.statements)),
  };
}

/** The SQLSTATE of a node-postgres error (drizzle wraps it as `cause`), if any. */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Connection errors (no answer, lost, refused), too many connections, lock and statement timeouts. */
const UNAVAILABLE_STATES = /^(08|53|57P0)|^55P03$|^57014$/;
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);

function asUnavailable(err: unknown, logger: Logger | undefined, what: string) {
  const state = sqlState(err);
  let lost = state !== undefined && UNAVAILABLE_STATES.test(state);
  for (let e: unknown = err, depth = 0; !lost && e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : "";
    lost =
      (typeof code === "string" && NETWORK.has(code)) ||
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      );
  }
  if (!lost) return undefined;
  logger?.warn(
    { what, code: state ?? "connection" },
    "postgres: the database did not answer; the user is asked to try again",
  );
  return unavailable();
}
