import { createHash } from "node:crypto";
import type { LicenceRecord } from "../db/index.ts";
import { type BulkColumn, type PastedLine, parseBulkLines } from "../domain/bulk-lines.ts";
import { invalid, isServiceError, ServiceError } from "../errors.ts";
import type { TextId } from "../i18n/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";
import { clientDataInput, createLicence } from "./create-licence.ts";
import { logEvent } from "./events.ts";

/** At most this many clients in one paste. */
export const BULK_MAX_LINES = 50;

/** What one pasted line would become: its client data, or why not. */
export type BulkLineResult =
  | { line: number; ok: true; taxId: string; name: string; input: Record<BulkColumn, string> }
  | {
      line: number;
      ok: false;
      /** As typed (a bad NIF is shown as it was pasted). */
      taxId: string;
      /** The column at fault, when one is (its label goes before the message). */
      field?: BulkColumn | undefined;
      message: TextId;
      params?: Record<string, string | number> | undefined;
    };

export interface BulkPreview {
  lines: BulkLineResult[];
  accepted: number;
  /** A short digest of the text previewed: a confirm applies only to the text that was shown. */
  digest: string;
}

export interface BulkResult {
  created: { line: number; licence: LicenceRecord }[];
  /** Lines refused (the preview's errors, and lines that failed when their licence was created). */
  failed: Extract<BulkLineResult, { ok: false }>[];
}

/** The digest of a paste, blank lines and surrounding spaces aside. */
export function bulkDigest(text: string): string {
  const canonical = text
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join("\n");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

async function requireActive(deps: Deps, actor: Actor): Promise<number> {
  const firm = await firmOf(deps, actor);
  if (firm.activationState !== "active") throw new ServiceError("FEATURE_NOT_ACTIVE", "activation.notActive");
  return firm.id;
}

function checkLine(p: PastedLine): BulkLineResult {
  const v = p.values;
  const refused = (message: TextId, field?: BulkColumn, params?: Record<string, string | number>) =>
    ({ line: p.line, ok: false, taxId: v.taxId, field, message, params }) as const;
  // One cell holding commas: a comma-separated paste, which cannot be split safely.
  if (v.name === "" && v.email === "" && v.taxId.includes(",")) return refused("bulk.line.separator");
  if (p.extra) return refused("bulk.line.columns");
  const parsed = clientDataInput.safeParse(v);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "") as BulkColumn;
    const message = (issue?.message ?? "error.invalid") as TextId;
    return refused(message, field, issue?.code === "too_big" ? { max: Number(issue.maximum) } : undefined);
  }
  return { line: p.line, ok: true, taxId: parsed.data.taxId, name: parsed.data.name, input: v };
}

/**
 * *Nuevo en bloque*, first step: each pasted line checked with the licence
 * form's own rules (clientDataInput), a NIF repeated in the paste, and a
 * client that already has a licence. Nothing is written.
 */
export async function previewLicencesBulk(deps: Deps, actor: Actor, input: { text: string }): Promise<BulkPreview> {
  const firmId = await requireActive(deps, actor);
  const pasted = parseBulkLines(input.text);
  if (pasted.length === 0) throw invalid([{ field: "lines", message: "bulk.empty" }]);
  if (pasted.length > BULK_MAX_LINES) {
    throw invalid([{ field: "lines", message: "bulk.tooMany", params: { max: BULK_MAX_LINES, count: pasted.length } }]);
  }
  const firstLine = new Map<string, number>();
  const previewLine = async (p: PastedLine): Promise<BulkLineResult> => {
    const checked = checkLine(p);
    if (!checked.ok) return checked;
    const earlier = firstLine.get(checked.taxId);
    if (earlier !== undefined) {
      return {
        line: p.line,
        ok: false,
        taxId: checked.taxId,
        message: "bulk.line.repeated",
        params: { line: earlier },
      };
    }
    firstLine.set(checked.taxId, p.line);
    if ((await deps.store.getClientByTaxId(firmId, checked.taxId))?.licence) {
      return { line: p.line, ok: false, taxId: checked.taxId, message: "licence.clientHasLicence" };
    }
    return checked;
  };
  // One line at a time, in order: a repeated NIF is reported against its first line.
  const lines: BulkLineResult[] = [];
  for (const p of pasted) lines.push(await previewLine(p));
  return { lines, accepted: lines.filter((l) => l.ok).length, digest: bulkDigest(input.text) };
}

/**
 * *Nuevo en bloque*, confirmed: each accepted line becomes a licence through
 * createLicence, each in its own transaction, so a line that fails then
 * (created meanwhile by a colleague) is reported and never blocks the rest.
 * The same paste again creates nothing: its clients already have a licence.
 */
export async function createLicencesBulk(deps: Deps, actor: Actor, input: { text: string }): Promise<BulkResult> {
  const preview = await previewLicencesBulk(deps, actor, input);
  const result: BulkResult = { created: [], failed: [] };
  for (const line of preview.lines) {
    if (!line.ok) {
      result.failed.push(line);
      continue;
    }
    try {
      result.created.push({ line: line.line, licence: await createLicence(deps, actor, line.input) });
    } catch (err) {
      if (!isServiceError(err)) throw err;
      // The feature revoked meanwhile: every further line would fail the same way.
      if (err.code === "FEATURE_NOT_ACTIVE" && result.created.length === 0) throw err;
      const field = err.fields[0];
      result.failed.push({
        line: line.line,
        ok: false,
        taxId: line.taxId,
        message: field?.message ?? err.messageId,
        params: field?.params,
      });
    }
  }
  const firmId = (await firmOf(deps, actor)).id;
  const counts = {
    lines: preview.lines.length,
    created: result.created.length,
    refused: preview.lines.length - preview.accepted,
    failed: preview.accepted - result.created.length,
  };
  await deps.store.recordBulkCreated({ firmId, actor: auditActor(actor), now: deps.now(), counts });
  logEvent(deps, "licences_bulk_created", { platform: actor.platform, firmId, ...counts });
  return result;
}
