import type { Db } from "./open.ts";
import { auditEvents } from "./schema.ts";
import type { AuditEntry } from "./store/firms.ts";

/** Anything that can run queries: the database or a transaction. */
export type Tx = Pick<Db, "select" | "insert" | "update" | "delete">;

export function audit(tx: Tx, entry: AuditEntry): void {
  tx.insert(auditEvents)
    .values({
      firmId: entry.firmId,
      action: entry.action,
      actorPlatform: entry.actor.platform,
      actorId: entry.actor.id,
      licenceId: entry.licenceId ?? null,
      clientId: entry.clientId ?? null,
      requestId: entry.requestId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      createdAt: entry.now,
    })
    .run();
}
