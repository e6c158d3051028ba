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
 * Every query the application makes, as the synchronous better-sqlite3
 * factories build it. Each method is one synchronous transaction (read,
 * decide, write). Internal: the application sees the async view, `Store`.
 */
type SyncStore = ReturnType<typeof firmStore> &
  ReturnType<typeof licenceStore> &
  ReturnType<typeof clientAppStore> &
  ReturnType<typeof refStore> &
  ReturnType<typeof searchStore> &
  ReturnType<typeof seenRequestStore> &
  ReturnType<typeof exportStore> &
  ReturnType<typeof watchStore>;

/** The async view of an object: every method returns a promise of what it returned. */
type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : T[K];
};

/**
 * Every query the application makes. Each method is one transaction (read,
 * decide, write) and returns a promise; a PostgreSQL implementation would be a
 * second factory with the same shape.
 */
export type Store = Async<SyncStore>;

export interface StoreHandle {
  store: Store;
  /** How many migrations the database has had (for /healthz). */
  migrationLevel: number;
  /** Checkpoints the WAL into the file and closes it. */
  close(): Promise<void>;
}

function asyncView<T extends object>(sync: T): Async<T> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sync)) {
    view[key] =
      typeof value === "function" ? async (...a: unknown[]) => (value as (...a: unknown[]) => unknown)(...a) : value;
  }
  return view as Async<T>;
}

export function openStore(path: string): StoreHandle {
  const handle: OpenDatabase = openDatabase(path);
  const { db } = handle;
  const sync: SyncStore = {
    ...firmStore(db),
    ...licenceStore(db),
    ...clientAppStore(db),
    ...refStore(db),
    ...searchStore(db),
    ...seenRequestStore(db),
    ...exportStore(db),
    ...watchStore(db),
  };
  return {
    store: asyncView(sync),
    migrationLevel: handle.migrationLevel,
    close: async () => handle.close(),
  };
}
