import type { Logger } from "../logger.ts";
import { clientAppArea } from "./client-app.ts";
import { sqliteFirms } from "./firms.ts";
import { sqliteLicences } from "./licences.ts";
import { pgClientAppArea } from "./pg/client-app.ts";
import { pgFirms } from "./pg/firms.ts";
import { pgLicences } from "./pg/licences.ts";
import { openPgStore, type PgArea } from "./pg/store.ts";
import { pgWatchArea } from "./pg/watch.ts";
import { openSqliteStore, type SqliteArea } from "./sqlite.ts";
import type { StoreHandle } from "./store/index.ts";
import { watchArea } from "./watch.ts";

export type { LicenceChange, LicenceRef } from "./licences.ts";
export { DatabaseOpenError } from "./open.ts";
export type { TokenLookup } from "./store/client-app.ts";
export type { StorageKind, Store, StoreHandle, Tx } from "./store/index.ts";
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
    return openPgStore(opts.database.url, PG_AREAS, { poolSize: opts.database.poolSize, logger: opts.logger });
  }
  return openSqliteStore(opts.path, SQLITE_AREAS);
}
