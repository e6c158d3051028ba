import { clientAppStore } from "./client-app.ts";
import { exportStore } from "./export.ts";
import { firmStore } from "./firms.ts";
import { licenceStore } from "./licences.ts";
import { type OpenDatabase, openDatabase } from "./open.ts";
import { refStore } from "./refs.ts";
import { searchStore } from "./search.ts";
import { seenRequestStore } from "./seen-requests.ts";
import { watchStore } from "./watch.ts";

export type { ExportClaim, ExportRow } from "./export.ts";
export type { LicenceChange, LicenceRef } from "./licences.ts";
export { DatabaseOpenError } from "./open.ts";
export type * from "./types.ts";
export type { DeadlineRow, SilentRow, UnactivatedRow, WatchQuery, WatchSlice } from "./watch.ts";
export { itemKey as watchItemKey } from "./watch.ts";

/**
 * Every query the application makes. Each method is one synchronous
 * transaction (read, decide, write); a PostgreSQL implementation would be a
 * second factory with the same shape.
 */
export type Store = ReturnType<typeof firmStore> &
  ReturnType<typeof licenceStore> &
  ReturnType<typeof clientAppStore> &
  ReturnType<typeof refStore> &
  ReturnType<typeof searchStore> &
  ReturnType<typeof seenRequestStore> &
  ReturnType<typeof exportStore> &
  ReturnType<typeof watchStore>;

export interface StoreHandle {
  store: Store;
  /** How many migrations the database has had (for /healthz). */
  migrationLevel: number;
  /** Checkpoints the WAL into the file and closes it. */
  close(): void;
}

export function openStore(path: string): StoreHandle {
  const handle: OpenDatabase = openDatabase(path);
  const { db } = handle;
  const store: Store = {
    ...firmStore(db),
    ...licenceStore(db),
    ...clientAppStore(db),
    ...refStore(db),
    ...searchStore(db),
    ...seenRequestStore(db),
    ...exportStore(db),
    ...watchStore(db),
  };
  return { store, migrationLevel: handle.migrationLevel, close: handle.close };
}
