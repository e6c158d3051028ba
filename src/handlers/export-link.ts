import { createHash } from "node:crypto";
import { conflict } from "../errors.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { logEvent } from "./events.ts";

/** Where the bot's server serves the links (src/api/export.ts). */
export const EXPORT_PATH = "/export";
/** How long a link may be opened. */
export const EXPORT_TTL_MS = 10 * 60_000;
/** Unused, unexpired links a person may hold at once: enough for a retry, not for a stockpile. */
export const EXPORT_LIVE_MAX = 3;
/** Expired links are kept this long (a late click still reads "caducado"), then purged. */
export const EXPORT_KEEP_EXPIRED_MS = 24 * 3_600_000;
/** The secret in a link: 32 random bytes, base64url. */
export const EXPORT_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Links are stored by this, never as they are (a copy of the database opens nothing). */
export function exportTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface ExportLinkResult {
  url: string;
  expiresAt: number;
}

/**
 * "exportar": a single-use link, valid for ten minutes, to the firm's
 * clients and licences as a CSV in the person's language, unless the person
 * holds EXPORT_LIVE_MAX unused ones already. Audited (`firm.exported`) in the
 * same unit; see docs/architecture.md, "Export".
 */
export async function createExportLink(deps: Deps, actor: Actor): Promise<ExportLinkResult> {
  const firm = await firmOf(deps, actor);
  const token = Buffer.from(deps.randomBytes(32)).toString("base64url");
  const now = deps.now();
  const expiresAt = now + EXPORT_TTL_MS;
  const person = { firmId: firm.id, platform: actor.platform, userId: actor.userId };
  const created = await deps.store.unit("createExportLink", async (tx) => {
    // Links expired long ago go first, so the table holds only the last day's and counting is cheap.
    await tx.purgeExportLinks(now - EXPORT_KEEP_EXPIRED_MS);
    // Under several instances two requests of one person at the same instant may both pass this
    // count (READ COMMITTED, nothing to lock yet): the limit stops a stockpile, not a pair.
    if ((await tx.liveExportLinks(person, now)) >= EXPORT_LIVE_MAX) return false;
    await tx.insertExportLink({ ...person, tokenHash: exportTokenHash(token), locale: actor.locale, expiresAt, now });
    await tx.audit({ firmId: firm.id, action: "firm.exported", actor: auditActor(actor), now });
    return true;
  });
  if (!created) throw conflict("export.tooMany");
  logEvent(deps, "export_link_created", { platform: actor.platform, firmId: firm.id });
  const base = deps.baseUrl?.() ?? "";
  return { url: `${base}${EXPORT_PATH}/${token}`, expiresAt };
}
