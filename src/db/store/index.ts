/**
 * The storage interface (docs/architecture.md, "Storage"): one shape with two
 * implementations, SQLite (src/db/sqlite.ts, the default) and PostgreSQL
 * (src/db/pg/store.ts, when DATABASE_URL is set), chosen in the composition
 * root. Handlers, bots and the API see only this.
 *
 * - **Reads** outside a unit see committed data only and take no lock.
 * - **Statements** are atomic on their own (one SQL statement each): safe
 *   outside a unit, and under any number of instances.
 * - **A unit of work** (`unit`) is one use case's read-decide-write: all of
 *   it or nothing, the rules decided in the handler through `tx`. A unit
 *   awaits nothing but `tx` (no Slack, Teams or HTTP call inside), and never
 *   starts another unit.
 */
import type { ClientAppReads, ClientAppStatements, ClientAppWrites } from "./client-app.ts";
import type { FirmReads, FirmStatements, FirmWrites } from "./firms.ts";
import type { LicenceReads, LicenceStatements, LicenceWrites } from "./licences.ts";
import type { WatchReads, WatchStatements, WatchWrites } from "./watch.ts";

export interface Reads extends FirmReads, LicenceReads, ClientAppReads, WatchReads {}
export interface Writes extends FirmWrites, LicenceWrites, ClientAppWrites, WatchWrites {}
export interface Statements extends FirmStatements, LicenceStatements, ClientAppStatements, WatchStatements {}

/**
 * Inside a unit: every read (they see the unit's own writes; the
 * `…ForUpdate` ones lock their row until the unit ends on PostgreSQL, see
 * docs/architecture.md, "Lock order"), every write, every statement.
 */
export interface Tx extends Reads, Writes, Statements {}

export type StorageKind = "sqlite" | "postgres";

export interface Store extends Reads, Statements {
  readonly kind: StorageKind;
  /**
   * Runs `work` as one transaction: committed when it resolves, rolled back
   * when it throws (its error passed on). PostgreSQL runs it again (at most
   * three times) after a serialization failure, a deadlock or a unique
   * violation, so the use case's own rule decides on what won the race.
   * `name` names the unit in logs.
   */
  unit<T>(name: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Throws when the database does not answer (within a second on PostgreSQL). */
  ping(): Promise<void>;
}

export interface StoreHandle {
  store: Store;
  /** How many migrations the database has had (for /healthz). */
  migrationLevel: number;
  /** SQLite: checkpoints the WAL into the file and closes it. PostgreSQL: ends the pool. */
  close(): Promise<void>;
}

/** What each storage area (firms, licences, the client app, the watch) implements, for each storage. */
export interface Area<R, W, S> {
  reads: R;
  writes: W;
  statements: S;
}
