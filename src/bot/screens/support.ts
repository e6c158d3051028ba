/** Support staff's screens in their channel: requests waiting, the firms, revoking one (no client data in any). */
import type { Locale } from "../../config.ts";
import type { ActivationRequest, FirmRow, Page } from "../../handlers/index.ts";
import { formatDateTime, t, tn } from "../../i18n/index.ts";
import { type Action, type CardScreen, type Confirmation, run } from "../screen.ts";
import { confirmationScreen } from "./licences.ts";

const ACTIVATION_STATE = {
  not_requested: "activation.state.not_requested",
  pending: "activation.state.pending",
  active: "activation.state.active",
  rejected: "activation.state.rejected",
  revoked: "activation.state.revoked",
} as const;

export const firmState = (locale: Locale, firm: Pick<FirmRow, "activationState">) =>
  t(locale, ACTIVATION_STATE[firm.activationState]);

function workspaces(locale: Locale, firm: FirmRow): string {
  return firm.workspaces
    .map((w) => `${t(locale, w.platform === "slack" ? "platform.slack" : "platform.teams")} ${w.externalId}`)
    .join(", ");
}

/** "pendientes": the requests waiting for a decision, oldest first. */
export function pendingScreen(locale: Locale, requests: ActivationRequest[]): CardScreen {
  return {
    kind: "card",
    title: t(locale, "pending.title"),
    blocks:
      requests.length === 0
        ? [{ type: "text", text: t(locale, "pending.empty") }]
        : requests.map((r) => ({
            type: "item" as const,
            title: t(locale, "pending.item", { id: r.id, firm: r.firmName, firmId: r.firmId }),
            text: `${formatDateTime(r.createdAt)} · ${r.requesterName ?? r.requesterId}: ${r.message}`,
            actions: [],
          })),
  };
}

/** "despachos": a page of firms by name, each with its id, state, live licences and workspaces. */
export function firmsScreen(
  locale: Locale,
  page: Page<FirmRow>,
  after: string | undefined,
  typed: { revoke: string } = { revoke: "revocar" },
): CardScreen {
  const lines = page.items.map((f) =>
    t(locale, "firms.line", {
      id: f.id,
      name: f.name,
      state: firmState(locale, f),
      licences: tn(locale, "firms.licences", f.licences),
      workspaces: workspaces(locale, f),
    }),
  );
  const actions: Action[] = [];
  if (page.next) actions.push(run(t(locale, "button.nextPage"), "firms", { after: page.next }));
  if (after) actions.push(run(t(locale, "button.firstPage"), "firms"));
  return {
    kind: "card",
    title: t(locale, "firms.title"),
    // All of them fit on one page: their number; else how to revoke one.
    subtitle:
      page.next || after
        ? t(locale, "firms.revokeHint", { command: typed.revoke })
        : tn(locale, "firms.count", page.items.length, { command: typed.revoke }),
    blocks: [
      lines.length === 0
        ? { type: "text", text: t(locale, after ? "page.empty" : "firms.empty") }
        : { type: "lines", items: lines },
    ],
    actions,
  };
}

export function revokeConfirmation(locale: Locale, firm: FirmRow): Confirmation {
  return {
    title: t(locale, "revoke.title"),
    text: t(locale, "revoke.question", { name: firm.name, id: firm.id }),
    confirm: t(locale, "button.revoke"),
    deny: t(locale, "button.cancel"),
    back: { verb: "firms", args: {} },
  };
}

/** "revocar <id>": which firm, and the button that revokes it. */
export function revokePromptScreen(locale: Locale, firm: FirmRow): CardScreen {
  return confirmationScreen(revokeConfirmation(locale, firm), { verb: "revoke", args: { firmId: firm.id } }, "danger", [
    {
      type: "fields",
      fields: [
        { label: t(locale, "support.firm"), value: `${firm.name} (${t(locale, "support.firmId", { id: firm.id })})` },
        { label: t(locale, "firms.state"), value: firmState(locale, firm) },
        { label: t(locale, "firms.licencesLabel"), value: String(firm.licences) },
      ],
    },
  ]);
}

/** After "Revocar": done (and how many clients the firm watches again). */
export function revokedScreen(
  locale: Locale,
  firm: { id: number; name: string },
  by: string,
  at: number,
  cleared: number,
): CardScreen {
  return {
    kind: "card",
    notes: [
      {
        text: t(locale, "revoke.done", { name: firm.name, id: firm.id, by, at: formatDateTime(at) }),
        tone: "attention",
      },
    ],
    blocks: cleared > 0 ? [{ type: "text", text: tn(locale, "activation.revokedCleared", cleared) }] : [],
  };
}

/** A second "Revocar" (or a firm revoked meanwhile): nothing to revoke. */
export function revokeNotActiveScreen(locale: Locale, firm: FirmRow): CardScreen {
  return {
    kind: "card",
    blocks: [
      {
        type: "text",
        text: t(locale, "revoke.notActive", { name: firm.name, id: firm.id, state: firmState(locale, firm) }),
      },
    ],
  };
}
