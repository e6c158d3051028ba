import { and, eq } from "drizzle-orm";
import type { Db } from "./open.ts";
import { slackInstallations, storedRefs } from "./schema.ts";
import type { FirmStatements } from "./store/firms.ts";

type RefStatements = Pick<
  FirmStatements,
  "putRef" | "getRef" | "deleteRef" | "saveSlackInstallation" | "getSlackInstallation" | "deleteSlackInstallation"
>;

/** Stored references and Slack installations on SQLite: one statement each, the last write wins. */
export function refStatements(db: Db): RefStatements {
  return {
    /** Stores an opaque reference (a conversation reference, a channel to post in…). */
    async putRef(kind, key, value, now) {
      db.insert(storedRefs)
        .values({ kind, key, value, updatedAt: now })
        .onConflictDoUpdate({ target: [storedRefs.kind, storedRefs.key], set: { value, updatedAt: now } })
        .run();
    },
    async getRef(kind, key) {
      return db
        .select({ value: storedRefs.value })
        .from(storedRefs)
        .where(and(eq(storedRefs.kind, kind), eq(storedRefs.key, key)))
        .get()?.value;
    },
    async deleteRef(kind, key) {
      db.delete(storedRefs)
        .where(and(eq(storedRefs.kind, kind), eq(storedRefs.key, key)))
        .run();
    },

    async saveSlackInstallation(key, value, now) {
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
    async getSlackInstallation(key) {
      return db
        .select({ v: slackInstallations.installation })
        .from(slackInstallations)
        .where(eq(slackInstallations.key, key))
        .get()?.v;
    },
    async deleteSlackInstallation(key) {
      db.delete(slackInstallations).where(eq(slackInstallations.key, key)).run();
    },
  };
}
