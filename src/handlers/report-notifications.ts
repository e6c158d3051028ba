import { z } from "zod";
import type { ReportOutcome } from "../db/index.ts";
import type { Deps } from "./context.ts";
import { clientAppActor, hashToken, tokenRefusal } from "./installation-token.ts";
import { madridWall } from "./watch-clock.ts";

/** dd/mm/yyyy or an ISO date (with or without time); Europe/Madrid dates become that day at noon UTC. */
export function parseDate(text: string): number | undefined {
  const s = text.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) return noonOf(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return noonOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) {
    // Date.parse rolls 30 February over into March: check the calendar date first.
    if (noonOf(Number(m[1]), Number(m[2]), Number(m[3])) === undefined) return undefined;
    const ms = Date.parse(m[7] ? s : `${s}Z`);
    if (Number.isNaN(ms)) return undefined;
    // Without an offset the time is Madrid's, not the server's.
    return m[7] ? ms : ms - madridOffsetMs(ms);
  }
  return undefined;
}

/** Noon UTC of a calendar date, or undefined when there is no such date (30 February). */
function noonOf(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day, 12);
  const back = new Date(ms);
  return back.getUTCDate() === day && back.getUTCMonth() === month - 1 ? ms : undefined;
}

/** How far Madrid's wall clock is ahead of UTC around that instant. */
function madridOffsetMs(ms: number): number {
  const w = madridWall(ms);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

const dateField = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const ms = parseDate(v);
    if (ms === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "expected dd/mm/yyyy or an ISO 8601 date" });
      return z.NEVER;
    }
    return ms;
  });

export const reportedNotification = z
  .object({
    id: z.string().trim().min(1).max(200),
    organismo: z.string().trim().min(1).max(200),
    asunto: z.string().trim().min(1).max(1000),
    fechaPuestaDisposicion: dateField,
    fechaMaxLectura: dateField.optional().nullable(),
    estado: z.string().trim().min(1).max(100),
  })
  .strict();

export const reportNotificationsInput = z
  .object({ notifications: z.array(reportedNotification).min(1).max(500) })
  .strict();

export type ReportResult = ReportOutcome;

/**
 * The client app reports the notifications it handled; they show as
 * "autogestionada". One unit: the token is checked in the unit of the write,
 * its licence and installation held `FOR SHARE` on PostgreSQL, so a licence
 * deactivated or unlinked meanwhile takes nothing. Idempotent by the
 * administration's id (`ON CONFLICT DO NOTHING`); the firm's row of another
 * client with the same reference is left alone. Returns how many were new.
 */
export async function reportNotifications(
  deps: Deps,
  token: string,
  input: z.infer<typeof reportNotificationsInput>,
): Promise<ReportResult> {
  const tokenHash = hashToken(token);
  const now = deps.now();
  return await deps.store.unit("reportNotifications", async (tx): Promise<ReportResult> => {
    const found = await tx.installationByTokenForShare(tokenHash);
    const refusal = tokenRefusal(found);
    if (refusal || !found) return refusal ?? { code: "NOT_FOUND" };
    const { firmId, clientId } = found.licence;
    const rows = input.notifications.map((n) => ({
      firmId,
      clientId,
      externalId: n.id,
      organismo: n.organismo,
      asunto: n.asunto,
      fechaPuestaDisposicion: n.fechaPuestaDisposicion,
      fechaMaxLectura: n.fechaMaxLectura ?? undefined,
      estado: n.estado,
    }));
    const inserted = await tx.insertReportedNotifications(rows, now);
    let updated = 0;
    for (const row of rows) {
      if (inserted.has(row.externalId)) continue;
      // Already there: imported by the firm (now handled by the client), reported before, or another client's.
      if (await tx.markNotificationSelfManaged(row, now)) updated++;
    }
    const created = inserted.size;
    if (created + updated > 0) {
      await tx.audit({
        firmId,
        action: "notifications.reported",
        actor: clientAppActor(found.installation.installationKey),
        licenceId: found.licence.id,
        clientId,
        details: { created, updated },
        now,
      });
    }
    return { code: "ACCEPTED", created, updated };
  });
}
