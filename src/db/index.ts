import type { Logger } from "../logger.ts";
import { clientAppArea } from "./client-app.ts";
import { sqliteFirms } from "./firms.ts";
import { sqliteLicences } from "./licences.ts";
import type { Db } from "./open.ts";
import { pgClientAppArea } from "./pg/client-app.ts";
import { pgFirms } from "./pg/firms.ts";
import { pgLicences } from "./pg/licences.ts";
import { openPgStore, type PgArea } from "./pg/store.ts";
import { pgWatchArea } from "./pg/watch.ts";
import { openSqliteStore, type SqliteArea } from "./sqlite.ts";
import type { Store as AreaStore } from "./store/index.ts";
import { watchArea } from "./watch.ts";

export type { LicenceChange, LicenceRef } from "./licences.ts";
export { DatabaseOpenError } from "./open.ts";
export type { TokenLookup } from "./store/client-app.ts";
export type { StorageKind, Tx } from "./store/index.ts";
export type {
  AlertsChannel,
  DeadlineRow,
  ExportRow,
  SilentRow,
  UnactivatedRow,
  WatchQuery,
  WatchSlice,
} from "./store/watch.ts";
export type * from "./types.ts";
export { itemKey as watchItemKey } from "./watch.ts";

/** Each storage area on SQLite, in the shape of src/db/store (docs/architecture.md, "Storage"). */
export const SQLITE_AREAS: readonly SqliteArea[] = [sqliteFirms, sqliteLicences, clientAppArea, watchArea];
/** The same areas on PostgreSQL. */
export const PG_AREAS: readonly PgArea[] = [pgFirms, pgLicences, pgClientAppArea, pgWatchArea];

/**
 * TRANSITION: the store factories not yet split into reads, writes and
 * statements (each method one synchronous transaction, run alone on the
 * SQLite write connection). Each area leaves this list as it moves to
 * SQLITE_AREAS and PG_AREAS; then this goes.
 */
const LEGACY = (_db: Db) => ({});

/** The async view of an object: every method returns a promise of what it returned. */
type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : T[K];
};

/** Everything the application asks of storage; handlers, bots and the API see only this. */
export type Store = AreaStore & Async<ReturnType<typeof LEGACY>>;

export interface StoreHandle {
  store: Store;
  /** How many migrations the database has had (for /healthz). */
  migrationLevel: number;
  /** SQLite: checkpoints the WAL into the file and closes it. PostgreSQL: ends the pool. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** DATABASE_PATH: the SQLite file, when there is no `database`. */
  path: string;
  /** DATABASE_URL and DATABASE_POOL_SIZE: PostgreSQL. */
  database?: { url: string; poolSize: number } | undefined;
  logger?: Logger | undefined;
}

/** The composition root's storage: PostgreSQL with DATABASE_URL, else SQLite at DATABASE_PATH; migrated. */
export async function openStore(opts: StoreOptions): Promise<StoreHandle> {
  if (opts.database) {
    const handle = await openPgStore(opts.database.url, PG_AREAS, {
      poolSize: opts.database.poolSize,
      logger: opts.logger,
    });
    // TRANSITION: the PostgreSQL store has only the areas already moved.
    return handle as StoreHandle;
  }
  return openSqliteStore(opts.path, SQLITE_AREAS, LEGACY) as StoreHandle;
}
