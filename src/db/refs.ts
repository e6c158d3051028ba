import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./open.ts";
import { slackInstallations, storedRefs } from "./schema.ts";

export function refStore(db: Db) {
  return {
    /** Throws when the database cannot answer (for /healthz). */
    ping(): void {
      db.get(sql`select 1`);
    },
    /** Stores an opaque reference (a conversation reference, a channel to post in…). */
    putRef(kind: string, key: string, value: string, now: number): void {
      db.insert(storedRefs)
        .values({ kind, key, value, updatedAt: now })
        .onConflictDoUpdate({ target: [storedRefs.kind, storedRefs.key], set: { value, updatedAt: now } })
        .run();
    },
    getRef(kind: string, key: string): string | undefined {
      return db
        .select({ value: storedRefs.value })
        .from(storedRefs)
        .where(and(eq(storedRefs.kind, kind), eq(storedRefs.key, key)))
        .get()?.value;
    },
    deleteRef(kind: string, key: string): void {
      db.delete(storedRefs)
        .where(and(eq(storedRefs.kind, kind), eq(storedRefs.key, key)))
        .run();
    },

    saveSlackInstallation(
      key: string,
      value: { teamId?: string | undefined; enterpriseId?: string | undefined; installation: string },
      now: number,
    ) {
      const row = {
        teamId: value.teamId ?? null,
        enterpriseId: value.enterpriseId ?? null,
        installation: value.installation,
        updatedAt: now,
      };
      db.insert(slackInstallations)
        .values({ key, ...row })
        .onConflictDoUpdate({ target: slackInstallations.key, set: row })
        .run();
    },
    getSlackInstallation(key: string): string | undefined {
      return db
        .select({ v: slackInstallations.installation })
        .from(slackInstallations)
        .where(eq(slackInstallations.key, key))
        .get()?.v;
    },
    deleteSlackInstallation(key: string): void {
      db.delete(slackInstallations).where(eq(slackInstallations.key, key)).run();
    },
  };
}
