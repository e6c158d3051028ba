import type { z } from "zod";
import type { Locale, SupportConfig, WatchConfig } from "../config.ts";
import type { AuditActor, Firm, LicenceRef, Platform, Store } from "../db/index.ts";
import type { RandomBytes } from "../domain/licence-number.ts";
import { parseLicenceNumber } from "../domain/licence-number.ts";
import { normaliseTaxId, taxIdKind } from "../domain/tax-id.ts";
import { type FieldError, forbidden, invalid, type ServiceError } from "../errors.ts";
import { isTextId } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import type { Notifier, SupportDesk } from "./ports.ts";

/** What every use case may use; built once in main.ts, replaced freely in tests. */
export interface Deps {
  store: Store;
  now: () => number;
  randomBytes: RandomBytes;
  logger: Logger;
  support: SupportConfig;
  /** The handover watch's thresholds (also the licence list's "sin contacto" state). */
  watch: WatchConfig;
  installerUrl?: string | undefined;
  /** The bot's own base address, for the links it serves (PUBLIC_URL, else where the server listens). */
  baseUrl?: (() => string | undefined) | undefined;
  /** Where activation requests are shown to support staff. */
  supportDesk?: SupportDesk | undefined;
  /** How to reach a requester on each platform. */
  notifiers: Partial<Record<Platform, Notifier>>;
}

/**
 * The person acting, as the adapter verified it from the request: the
 * workspace comes from the verified request, never from a form or button.
 */
export interface Actor {
  platform: Platform;
  /** Slack: Enterprise Grid org id for org-wide installs, else team id. Teams: tenant id. */
  workspaceId: string;
  workspaceName?: string | undefined;
  userId: string;
  userName?: string | undefined;
  locale: Locale;
  /** Where the action happened (Slack channel id, Teams channel id). */
  channelId?: string | undefined;
  /** Set by the adapter when the platform says the user is a guest (Slack single- or multi-channel, Teams). */
  guest?: boolean | undefined;
  /** Set by the adapter for a user of another organisation (Slack Connect). */
  external?: boolean | undefined;
}

export function auditActor(actor: Actor): AuditActor {
  return { platform: actor.platform, id: actor.userId };
}

/** The firm the actor acts for, registered on first use. Guests are refused. */
export async function firmOf(deps: Deps, actor: Actor): Promise<Firm> {
  if (actor.guest || actor.external) throw forbidden("error.guest");
  return await resolveFirm(deps, actor.platform, actor.workspaceId, actor.workspaceName);
}

/**
 * The firm of a verified workspace, registered on first use: one firm per
 * workspace, however many instances see its first request at once. The firm
 * follows its workspace's name only while it has no name of its own (one
 * typed in the activation form is kept). The common case only reads.
 */
export async function resolveFirm(
  deps: Deps,
  platform: Platform,
  externalId: string,
  name: string | undefined,
): Promise<Firm> {
  const known = await deps.store.workspaceFirm(platform, externalId);
  if (known && (!name || name === known.workspaceName)) return known.firm;
  const now = deps.now();
  return await deps.store.unit("resolveFirm", async (tx) => {
    let found = await tx.workspaceFirm(platform, externalId);
    if (!found) {
      const firm = await tx.insertFirm({ name: name ?? externalId, now });
      if (await tx.insertWorkspace({ firmId: firm.id, platform, externalId, name: name ?? null, now })) return firm;
      // Another unit registered the workspace first (its commit is what the insert waited for): use its firm.
      await tx.deleteFirm(firm.id);
      found = await tx.workspaceFirm(platform, externalId);
      if (!found) throw new Error("workspace neither inserted nor found");
    }
    if (!name) return found.firm;
    // Locked, then read again: a rename racing with this one, or with the activation form, is seen.
    const firm = (await tx.firmForUpdate(found.firm.id)) ?? found.firm;
    const ws = (await tx.workspaceFirm(platform, externalId)) ?? found;
    if (name === ws.workspaceName) return firm;
    await tx.renameWorkspace(ws.workspaceId, name);
    if (firm.name !== (ws.workspaceName ?? externalId)) return firm;
    await tx.renameFirm(firm.id, name);
    return { ...firm, name };
  });
}

/**
 * Support staff acting from the configured support channel (and on the
 * allow-list, when there is one). A user of another organisation (the
 * vendor's staff in a Slack Connect support channel) must be on the
 * allow-list: without one, anyone the channel is shared with could decide.
 */
export function isSupportActor(support: SupportConfig, actor: Actor): boolean {
  if (actor.guest) return false;
  const inChannel =
    actor.platform === "slack"
      ? Boolean(support.slackChannelId) &&
        actor.channelId === support.slackChannelId &&
        (!support.slackTeamId || actor.workspaceId === support.slackTeamId)
      : Boolean(support.teamsChannelId) && actor.channelId === support.teamsChannelId;
  if (!inChannel) return false;
  if (actor.external) return support.userIds.includes(actor.userId);
  return support.userIds.length === 0 || support.userIds.includes(actor.userId);
}

export function requireSupport(deps: Deps, actor: Actor): void {
  if (!isSupportActor(deps.support, actor)) throw forbidden("activation.notSupport");
}

/** A licence number or a client tax id, as typed by a person. */
export function parseLicenceRef(text: string): Exclude<LicenceRef, { licenceId: number }> {
  const trimmed = text.trim();
  const number = parseLicenceNumber(trimmed);
  if (number) return { number };
  const taxId = normaliseTaxId(trimmed);
  if (taxIdKind(taxId)) return { taxId };
  throw invalid([{ field: "ref", message: "licence.refInvalid" }]);
}

/** Turns a zod failure into INVALID with the first message of each field. */
export function fieldErrors(issues: z.ZodIssue[]): ServiceError {
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const i of issues) {
    const field = String(i.path[0] ?? "input");
    if (seen.has(field)) continue;
    seen.add(field);
    const params = i.code === "too_big" ? { max: Number(i.maximum) } : undefined;
    // The schemas' messages are catalogue ids; anything else (zod's own) is the generic text.
    const message = isTextId(i.message) ? i.message : "error.invalid";
    fields.push({ field, message, ...(params ? { params } : {}) });
  }
  return invalid(fields);
}
