import { lte } from "drizzle-orm";
import type { Db } from "./open.ts";
import { seenRequests } from "./schema.ts";

export function seenRequestStore(db: Db) {
  return {
    /**
     * Remembers a key until `expiresAt`; true when it was not remembered yet.
     * One immediate transaction: expired rows are purged (an index range, so
     * only what expired is touched), then the insert either adds the row or
     * changes nothing, which tells two instances racing on the same key apart.
     */
    rememberRequest(key: string, expiresAt: number, now: number): boolean {
      return db.transaction(
        (tx) => {
          tx.delete(seenRequests).where(lte(seenRequests.expiresAt, now)).run();
          const { changes } = tx.insert(seenRequests).values({ key, expiresAt }).onConflictDoNothing().run();
          return changes === 1;
        },
        { behavior: "immediate" },
      );
    },
  };
}
