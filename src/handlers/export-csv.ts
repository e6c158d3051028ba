import type { Locale } from "../config.ts";
import type { ExportRow } from "../db/index.ts";
import { CSV_BOM, csvRecord } from "../domain/csv.ts";
import { formatLicenceNumber } from "../domain/licence-number.ts";
import { formatDate, pickLocale, type TextId, t } from "../i18n/index.ts";
import type { Deps } from "./context.ts";
import { logEvent } from "./events.ts";
import { EXPORT_TOKEN, exportTokenHash } from "./export-link.ts";
import { madridDay } from "./watch-clock.ts";

/** Clients read per query: a page is one chunk of the response. */
export const EXPORT_PAGE_SIZE = 500;

/** The columns, in order: their header texts, and each client's value. */
const COLUMNS: readonly [TextId, (row: ExportRow, locale: Locale) => string][] = [
  ["export.col.taxId", (r) => r.taxId],
  ["export.col.name", (r) => r.name],
  ["export.col.contactPerson", (r) => r.contactPerson ?? ""],
  ["export.col.email", (r) => r.email ?? ""],
  ["export.col.phone", (r) => r.phone ?? ""],
  ["export.col.licence", (r) => (r.licence ? formatLicenceNumber(r.licence.number) : "")],
  ["export.col.state", (r, l) => t(l, stateText(r))],
  ["export.col.linked", (r, l) => (r.licence ? yesNo(l, r.licence.linked) : "")],
  ["export.col.createdAt", (r) => formatDate(r.createdAt)],
  ["export.col.detailsSentAt", (r) => date(r.licence?.detailsSentAt)],
  ["export.col.selfManaged", (r, l) => yesNo(l, r.selfManaged)],
  ["export.col.lastSeenAt", (r) => date(r.licence?.lastSeenAt)],
];

/** "activa" / "desactivada" / "sin licencia". */
function stateText(row: ExportRow): TextId {
  if (!row.licence) return "export.state.none";
  return row.licence.state === "active" ? "export.state.active" : "export.state.deactivated";
}

function yesNo(locale: Locale, value: boolean): string {
  return t(locale, value ? "yes" : "no");
}

function date(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "" : formatDate(ms);
}

/** The header and one record per client, a page of clients at a time (read only as the reader asks for more). */
async function* csvChunks(deps: Deps, firmId: number, locale: Locale): AsyncGenerator<string> {
  yield CSV_BOM + csvRecord(COLUMNS.map(([header]) => t(locale, header)));
  let after: { name: string; id: number } | undefined;
  for (;;) {
    const rows = await deps.store.exportPage(firmId, after, EXPORT_PAGE_SIZE);
    if (rows.length > 0) yield rows.map((row) => csvRecord(COLUMNS.map(([, value]) => value(row, locale)))).join("");
    const last = rows[rows.length - 1];
    if (rows.length < EXPORT_PAGE_SIZE || !last) return;
    after = { name: last.name, id: last.id };
  }
}

/** What a link leads to: the CSV (once), or why not, in the link's language when it is known. */
export type ExportDownload =
  | { status: "ready"; locale: Locale; filename: string; chunks: AsyncIterable<string> }
  | { status: "used" | "expired"; locale: Locale }
  | { status: "unknown" };

/**
 * Opening an export link: the first request within its ten minutes claims it
 * (checked and marked used by one statement, audited in the same unit) and gets the CSV, written as it
 * is read; every other gets why not. A token that cannot be one is not looked up.
 */
export async function openExport(deps: Deps, token: string): Promise<ExportDownload> {
  if (!EXPORT_TOKEN.test(token)) return { status: "unknown" };
  const now = deps.now();
  const hash = exportTokenHash(token);
  // A committed read first: an unknown, used or expired link takes no write lock.
  const seen = await deps.store.exportLink(hash);
  if (!seen) return { status: "unknown" };
  if (seen.usedAt !== null) return { status: "used", locale: pickLocale(seen.locale, "es") };
  if (seen.expiresAt <= now) return { status: "expired", locale: pickLocale(seen.locale, "es") };
  const claim = await deps.store.unit("openExport", async (tx) => {
    // Checked and marked used by one statement: of requests at once, one gets the link.
    const link = await tx.useExportLink(hash, now);
    if (!link) return undefined;
    await tx.audit({
      firmId: link.firmId,
      action: "firm.exportDownloaded",
      actor: { platform: link.platform, id: link.userId },
      now,
    });
    return link;
  });
  // Another request claimed it meanwhile (unexpired at `now` was read above).
  if (!claim) return { status: "used", locale: pickLocale(seen.locale, "es") };
  const locale = pickLocale(claim.locale, "es");
  logEvent(deps, "export_downloaded", { platform: claim.platform, firmId: claim.firmId });
  return {
    status: "ready",
    locale,
    filename: `licencias-pymes-${madridDay(now)}.csv`,
    chunks: csvChunks(deps, claim.firmId, locale),
  };
}
