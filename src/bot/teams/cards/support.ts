import type { Locale } from "../../../config.ts";
import type { Actor, Firm, Platform } from "../../../handlers/index.ts";
import { formatDateTime, t, tn } from "../../../i18n/index.ts";
import type { FirmRow } from "../../shared/firms.ts";

export type { FirmRow };

import { messageCard } from "./help.ts";
import { type Card, type CardElement, card, execute, facts, md, notice, type TextBlock, text, title } from "./ui.ts";
import { VERB } from "./verbs.ts";

/**
 * The firm list stays far below Teams' 100 KB per message and the ~28 KB
 * a card renders reliably: at most this many firms, and this many bytes
 * of their lines (a firm name is whatever the workspace is called).
 */
export const FIRMS_MAX = 150;
export const FIRMS_MAX_BYTES = 20_000;
const NAME_MAX = 80;

function shortName(name: string): string {
  return md(name.length > NAME_MAX ? `${name.slice(0, NAME_MAX - 1)}…` : name);
}

function workspacesOf(locale: Locale, ws: { platform: Platform; externalId: string }[]): string {
  return ws.map((w) => `${t(locale, `teams.platform.${w.platform}`)}: ${md(w.externalId)}`).join(", ");
}

function firmLine(locale: Locale, firm: FirmRow): TextBlock {
  return text(
    t(locale, "teams.firms.line", {
      id: firm.id,
      name: shortName(firm.name),
      state: t(locale, `activation.state.${firm.activationState}`),
      licences: tn(locale, "teams.firms.licenceCount", firm.licences),
      workspaces: workspacesOf(locale, firm.workspaces) || "–",
    }),
    { spacing: "none" },
  );
}

/** "despachos": every firm with its id (for "revocar <id>"), state, licences and workspaces. */
export function firmsCard(locale: Locale, firms: FirmRow[]): Card {
  const body: CardElement[] = [title(t(locale, "teams.firms.title"))];
  if (firms.length === 0) {
    body.push(text(t(locale, "teams.firms.empty")));
    return card(body);
  }
  body.push(text(tn(locale, "teams.firms.count", firms.length), { isSubtle: true, spacing: "none" }));
  const lines: TextBlock[] = [];
  let bytes = 0;
  for (const firm of firms.slice(0, FIRMS_MAX)) {
    const line = firmLine(locale, firm);
    bytes += Buffer.byteLength(JSON.stringify(line));
    if (bytes > FIRMS_MAX_BYTES) break;
    lines.push(line);
  }
  body.push(...lines);
  if (lines.length < firms.length) {
    body.push(
      text(tn(locale, "teams.firms.more", firms.length, { shown: lines.length }), {
        color: "warning",
        spacing: "medium",
      }),
    );
  }
  return card(body);
}

function firmFacts(locale: Locale, firm: FirmRow | Firm): CardElement {
  const rows: [string, string][] = [
    [t(locale, "teams.support.firm"), shortName(firm.name)],
    [t(locale, "teams.firms.id"), String(firm.id)],
    [t(locale, "teams.firms.state"), t(locale, `activation.state.${firm.activationState}`)],
  ];
  if ("workspaces" in firm) {
    rows.push([t(locale, "teams.support.workspaces"), workspacesOf(locale, firm.workspaces) || "–"]);
    rows.push([t(locale, "teams.firms.licences"), String(firm.licences)]);
  }
  return facts(rows);
}

/** "revocar <id>": the firm, what revoking means, and Revocar / Cancelar. Only an active firm can be revoked. */
export function revokeConfirmCard(locale: Locale, firm: FirmRow): Card {
  if (firm.activationState !== "active") return revokeNotActiveCard(locale, firm);
  const data = { firmId: firm.id };
  return card(
    [title(t(locale, "teams.revoke.title")), firmFacts(locale, firm), text(t(locale, "teams.revoke.question"))],
    [
      execute(t(locale, "teams.revoke.button"), VERB.revokeFirm, data, "destructive"),
      execute(t(locale, "teams.support.cancel"), VERB.cancelRevoke, data),
    ],
  );
}

/** A firm that is not active (never was, or was already revoked): nothing to revoke. */
export function revokeNotActiveCard(locale: Locale, firm: FirmRow | Firm): Card {
  return card([
    firmFacts(locale, firm),
    text(
      t(locale, "teams.revoke.notActive", {
        name: shortName(firm.name),
        id: firm.id,
        state: t(locale, `activation.state.${firm.activationState}`),
      }),
      { color: "warning" },
    ),
  ]);
}

/** After Revocar: the firm and who revoked it, when; no buttons. */
export function revokedCard(locale: Locale, firm: FirmRow | Firm, by: Actor, selfManagedCleared = 0): Card {
  const done = t(locale, "teams.revoke.doneBy", {
    name: shortName(firm.name),
    by: md(by.userName ?? by.userId),
    at: firm.activationChangedAt ? formatDateTime(firm.activationChangedAt) : "?",
  });
  const cleared = selfManagedCleared > 0 ? ` ${tn(locale, "activation.revokedCleared", selfManagedCleared)}` : "";
  return card([firmFacts(locale, firm), notice(`${done}${cleared}`, "attention")]);
}

export function revokeCancelledCard(locale: Locale): Card {
  return messageCard(t(locale, "teams.revoke.cancelled"));
}
