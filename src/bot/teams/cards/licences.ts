import type { Locale } from "../../../config.ts";
import type { LicenceDetails, LicenceRecord, Page } from "../../../handlers/index.ts";
import { t, tn } from "../../../i18n/index.ts";
import type { LicenceChangeKind } from "../../shared/licence-change.ts";
import { yesNo } from "../../shared/text.ts";
import {
  type Card,
  type CardAction,
  type CardElement,
  card,
  execute,
  md,
  notice,
  openDialog,
  type TextBlock,
  text,
  title,
} from "./ui.ts";
import { VERB } from "./verbs.ts";

/** Texts shown above a list after an action (green), or a warning (amber). */
export interface Notes {
  done?: string[];
  warn?: string[];
}

export function notesBlocks(notes: Notes = {}): TextBlock[] {
  return [...(notes.done ?? []).map((n) => notice(n, "good")), ...(notes.warn ?? []).map((n) => notice(n, "warning"))];
}

export function licenceLine(locale: Locale, licence: LicenceRecord): string {
  return t(locale, "teams.licence.line", {
    taxId: md(licence.client.taxId),
    state: t(locale, `licence.state.${licence.state}`),
    linked: t(locale, licence.linked ? "licence.linked" : "licence.notLinkedShort"),
    selfManaged: yesNo(locale, licence.client.selfManaged),
  });
}

function licenceActions(locale: Locale, licence: LicenceRecord, after: string | undefined): CardAction[] {
  const data = { licenceId: licence.id, ...(after ? { after } : {}) };
  const op = (o: LicenceChangeKind) => execute(t(locale, `teams.action.${o}`), VERB.confirm, { ...data, op: o });
  return [
    execute(t(locale, "teams.action.send"), VERB.send, data, "positive"),
    licence.state === "active" ? op("deactivate") : op("reactivate"),
    ...(licence.linked ? [op("unlink")] : []),
    op("delete"),
    // Teams shows at most five buttons in a row; the history is on the client list and the command.
    openDialog(t(locale, "teams.action.configure"), VERB.clientForm, { taxId: licence.client.taxId }),
  ];
}

/** "Licencias PYMES generadas": one page, each licence with its buttons (at most five). */
export function licencesCard(
  locale: Locale,
  page: Page<LicenceRecord> & { total: number },
  after: string | undefined,
  notes: Notes = {},
): Card {
  const body: CardElement[] = [
    ...notesBlocks(notes),
    title(t(locale, "teams.licences.title")),
    text(tn(locale, "teams.licences.count", page.total), { isSubtle: true, spacing: "none" }),
  ];
  if (page.items.length === 0) body.push(text(t(locale, "teams.licences.empty")));
  for (const licence of page.items) {
    body.push({
      type: "Container",
      separator: true,
      spacing: "medium",
      items: [
        text(md(licence.client.name), { weight: "bolder" }),
        text(licenceLine(locale, licence), { isSubtle: true, spacing: "none" }),
        { type: "ActionSet", actions: licenceActions(locale, licence, after) },
      ],
    });
  }
  const actions: CardAction[] = [openDialog(t(locale, "teams.licences.new"), VERB.licenceForm)];
  if (page.next) actions.push(execute(t(locale, "teams.page.next"), VERB.licences, { after: page.next }));
  if (after) actions.push(execute(t(locale, "teams.page.first"), VERB.licences));
  actions.push(execute(t(locale, "teams.action.clients"), VERB.clients));
  return card(body, actions);
}

/** The confirmation step of Desactivar, Reactivar, Desvincular and Eliminar. */
export function confirmCard(
  locale: Locale,
  op: LicenceChangeKind,
  licence: LicenceRecord,
  after: string | undefined,
): Card {
  const data = { licenceId: licence.id, op, ...(after ? { after } : {}) };
  return card(
    [
      title(md(licence.client.name)),
      text(licenceLine(locale, licence), { isSubtle: true, spacing: "none" }),
      text(t(locale, `teams.confirm.${op}`, { name: md(licence.client.name) })),
    ],
    [
      execute(t(locale, `teams.confirm.do.${op}`), VERB.apply, data, op === "reactivate" ? "positive" : "destructive"),
      execute(t(locale, "teams.confirm.cancel"), VERB.licences, after ? { after } : {}),
    ],
  );
}

/** After "Mantenimiento de Licencias" was saved. */
export function licenceCreatedCard(locale: Locale, licence: LicenceRecord): Card {
  return card(
    [
      notice(t(locale, "teams.licence.created", { name: md(licence.client.name) })),
      text(licenceLine(locale, licence), { isSubtle: true }),
    ],
    [
      execute(t(locale, "teams.action.send"), VERB.send, { licenceId: licence.id }, "positive"),
      openDialog(t(locale, "teams.action.configure"), VERB.clientForm, { taxId: licence.client.taxId }),
      execute(t(locale, "teams.action.list"), VERB.licences),
    ],
  );
}

/** "Enviar datos de licencia": a message of its own in the personal chat, to copy or forward. */
export function licenceDetailsCard(locale: Locale, details: LicenceDetails): Card {
  return card(
    [
      title(t(locale, "teams.details.title", { name: md(details.licence.client.name) })),
      text(t(locale, "teams.details.number"), { weight: "bolder", spacing: "medium" }),
      text(details.number, { fontType: "monospace", size: "large", spacing: "none" }),
      text(t(locale, "teams.details.instructions"), { weight: "bolder", spacing: "medium" }),
      ...details.instructions.split("\n").map((line) => text(md(line), { spacing: "small" })),
    ],
    [{ type: "Action.OpenUrl", title: t(locale, "teams.details.mailto"), url: details.mailto }],
  );
}
