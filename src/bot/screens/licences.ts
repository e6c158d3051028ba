/** The licence screens: the list, a licence's buttons, the confirmation of a change, the result, the details. */
import type { Locale } from "../../config.ts";
import { formatLicenceNumber } from "../../domain/licence-number.ts";
import type {
  LicenceChange,
  LicenceDetails,
  LicenceRecord,
  LicenceWithStatus,
  Onboarding,
  Page,
  Step,
  StepId,
} from "../../handlers/index.ts";
import { formatDate, t, tn } from "../../i18n/index.ts";
import {
  type Action,
  type Call,
  type CardScreen,
  type Confirmation,
  type Field,
  openForm,
  run,
  type Tone,
} from "../screen.ts";
import { licenceLine } from "./common.ts";

export type Notes = { text: string; tone: Tone }[];

/** Desactivar, Reactivar, Desvincular, Eliminar. */
export type LicenceChangeKind = "deactivate" | "reactivate" | "unlink" | "delete";

const CHANGE_TEXTS = {
  deactivate: {
    button: "button.deactivate",
    title: "confirm.deactivate.title",
    text: "confirm.deactivate.text",
    done: "changed.deactivate",
  },
  reactivate: {
    button: "button.reactivate",
    title: "confirm.reactivate.title",
    text: "confirm.reactivate.text",
    done: "changed.reactivate",
  },
  unlink: {
    button: "button.unlink",
    title: "confirm.unlink.title",
    text: "confirm.unlink.text",
    done: "changed.unlink",
  },
  delete: {
    button: "button.delete",
    title: "confirm.delete.title",
    text: "confirm.delete.text",
    done: "changed.delete",
  },
} as const satisfies Record<LicenceChangeKind, Record<string, string>>;

/** Where a list's buttons lead back to: the page they were on. */
const pageArgs = (after: string | undefined) => (after ? { after } : {});

/** The question asked before a licence change, with "Cancelar" back to the list page. */
export function changeConfirmation(
  locale: Locale,
  kind: LicenceChangeKind,
  licence: LicenceRecord,
  after?: string,
): Confirmation {
  const texts = CHANGE_TEXTS[kind];
  return {
    title: t(locale, texts.title),
    text: t(locale, texts.text, { name: licence.client.name }),
    confirm: t(locale, texts.button),
    deny: t(locale, "button.cancel"),
    back: { verb: "list", args: pageArgs(after) },
  };
}

/** The button of a licence change; the destructive ones ask first. */
export function changeAction(locale: Locale, kind: LicenceChangeKind, licence: LicenceRecord, after?: string): Action {
  const args = { licenceId: licence.id, ...pageArgs(after) };
  return run(t(locale, CHANGE_TEXTS[kind].button), kind, args, {
    ...(kind === "delete" ? { style: "danger" as const } : kind === "reactivate" ? { style: "primary" as const } : {}),
    ...(kind === "reactivate" ? {} : { confirm: changeConfirmation(locale, kind, licence, after) }),
  });
}

/** A licence's buttons: send the details, deactivate or reactivate, unlink (when linked), delete, the client's configuration. */
export function licenceActions(locale: Locale, licence: LicenceRecord, after?: string): Action[] {
  return [
    run(t(locale, "button.send"), "send", { licenceId: licence.id, list: 1, ...pageArgs(after) }, { style: "primary" }),
    changeAction(locale, licence.state === "active" ? "deactivate" : "reactivate", licence, after),
    ...(licence.linked ? [changeAction(locale, "unlink", licence, after)] : []),
    changeAction(locale, "delete", licence, after),
    openForm(t(locale, "button.configure"), "client", { taxId: licence.client.taxId }),
  ];
}

/** "dd/mm", the short date of a list row. */
const dayMonth = (ms: number) => formatDate(ms).slice(0, 5);

const STATE_TEXT = {
  deactivated: "handover.state.deactivated",
  toSend: "handover.state.toSend",
  toInstall: "handover.state.toInstall",
  installed: "handover.state.installed",
  selfManaged: "handover.state.selfManaged",
  silent: "handover.state.silent",
} as const satisfies Record<Onboarding["state"], string>;

/** The short state of a handover: "pendiente de instalar", "sin contacto desde el 02/12". */
export function handoverStateText(locale: Locale, handover: Onboarding): string {
  return t(locale, STATE_TEXT[handover.state], { date: dayMonth(handover.silentSince ?? 0) });
}

/** A list row's state, as a field under the licence's line. */
export function handoverField(locale: Locale, handover: Onboarding): Field {
  return { label: t(locale, "ficha.handover"), value: handoverStateText(locale, handover) };
}

const STEP_TEXT = {
  created: "handover.step.created",
  detailsSent: "handover.step.detailsSent",
  activated: "handover.step.activated",
  selfManaged: "handover.step.selfManaged",
  lastContact: "handover.step.lastContact",
  notifications: "handover.step.notifications",
} as const satisfies Record<StepId, string>;

const NEXT_TEXT = {
  reactivate: "handover.next.reactivate",
  send: "handover.next.send",
  install: "handover.next.install",
  selfManage: "handover.next.selfManage",
  checkApp: "handover.next.checkApp",
  none: "handover.next.none",
} as const satisfies Record<Onboarding["next"], string>;

/** One step of the checklist: "✓ Datos de licencia enviados: 02/12/2026", "○ …: pendiente". */
function stepField(locale: Locale, step: Step): Field {
  const label = `${step.done ? "✓" : "○"} ${t(locale, STEP_TEXT[step.id])}`;
  if (step.id === "notifications" && step.count) {
    return { label, value: tn(locale, "handover.notificationsCount", step.count, { date: formatDate(step.at ?? 0) }) };
  }
  if (step.at !== null) return { label, value: formatDate(step.at) };
  return { label, value: t(locale, step.id === "lastContact" ? "handover.never" : "handover.pending") };
}

/**
 * A licence's ficha: the client, the licence number, the handover as a
 * checklist with dates, the next step, and the licence's buttons.
 */
export function licenceScreen(locale: Locale, licence: LicenceWithStatus, notes: Notes = []): CardScreen {
  const { handover } = licence;
  const client = licence.client;
  const facts: Field[] = [
    { label: t(locale, "field.taxId"), value: client.taxId },
    { label: t(locale, "ficha.state"), value: handoverStateText(locale, handover) },
  ];
  if (client.contactPerson) facts.push({ label: t(locale, "field.contactPerson"), value: client.contactPerson });
  if (client.email) facts.push({ label: t(locale, "field.email"), value: client.email });
  if (client.phone) facts.push({ label: t(locale, "field.phone"), value: client.phone });
  const nextTone: Tone | undefined =
    handover.state === "silent" ? "attention" : handover.next === "none" ? "good" : "warning";
  return {
    kind: "card",
    title: t(locale, "ficha.title", { name: client.name }),
    subtitle: licenceLine(locale, licence),
    notes,
    blocks: [
      { type: "fields", fields: facts },
      { type: "code", label: t(locale, "ficha.number"), value: formatLicenceNumber(licence.number) },
      { type: "heading", text: t(locale, "ficha.handover") },
      { type: "fields", fields: handover.steps.map((step) => stepField(locale, step)) },
      {
        type: "text",
        text: t(locale, NEXT_TEXT[handover.next], { date: formatDate(handover.silentSince ?? 0) }),
        tone: nextTone,
      },
    ],
    actions: [
      ...licenceActions(locale, licence),
      run(t(locale, "button.history"), "history", { taxId: client.taxId }),
      run(t(locale, "button.list"), "list"),
    ],
  };
}

/** "Licencias PYMES generadas": one page, each licence with its state and buttons; "Nuevo", the pages, the clients. */
export function licencesScreen(
  locale: Locale,
  page: Page<LicenceWithStatus> & { total: number },
  after: string | undefined,
  notes: Notes = [],
): CardScreen {
  // The licence form, or the activation request while the feature is not active (forms.ts).
  const actions: Action[] = [
    openForm(t(locale, "button.new"), "licence", {}, { style: "primary" }),
    openForm(t(locale, "button.newBulk"), "bulk"),
  ];
  if (page.next) actions.push(run(t(locale, "button.nextPage"), "list", { after: page.next }));
  if (after) actions.push(run(t(locale, "button.firstPage"), "list"));
  actions.push(run(t(locale, "button.clients"), "clients"));
  return {
    kind: "card",
    title: t(locale, "list.title"),
    subtitle: tn(locale, "list.count", page.total),
    notes,
    blocks:
      page.items.length === 0
        ? [{ type: "text", text: t(locale, after ? "page.empty" : "list.empty") }]
        : page.items.map((licence) => ({
            type: "item" as const,
            title: licence.client.name,
            text: licenceLine(locale, licence),
            fields: [handoverField(locale, licence.handover)],
            actions: [
              run(t(locale, "button.ficha"), "licence", { licenceId: licence.id }),
              ...licenceActions(locale, licence, after),
            ],
          })),
    actions,
  };
}

/** What a change did, as the notes above the list: done, and a warning when the firm watches the client again. */
export function changeNotes(locale: Locale, kind: LicenceChangeKind, change: LicenceChange): Notes {
  const name = change.licence.client.name;
  const notes: Notes = [{ text: t(locale, CHANGE_TEXTS[kind].done, { name }), tone: "good" }];
  if (change.selfManagedCleared) notes.push({ text: t(locale, "client.watchAgain", { name }), tone: "warning" });
  return notes;
}

/** Before a change (typed, or clicked where there are no confirm dialogs): the licence, the question, the button that does it. */
export function changePromptScreen(
  locale: Locale,
  kind: LicenceChangeKind,
  licence: LicenceRecord,
  after?: string,
): CardScreen {
  const call: Call = { verb: kind, args: { licenceId: licence.id, ...pageArgs(after) } };
  return confirmationScreen(changeConfirmation(locale, kind, licence, after), call, "danger", [
    { type: "item", title: licence.client.name, text: licenceLine(locale, licence), actions: [] },
  ]);
}

/** A confirmation as a card of its own: the question, the button that does it, and "Cancelar". */
export function confirmationScreen(
  confirmation: Confirmation,
  call: Call,
  style: "primary" | "danger" = "danger",
  blocks: CardScreen["blocks"] = [],
): CardScreen {
  return {
    kind: "card",
    title: confirmation.title,
    blocks: [...blocks, { type: "text", text: confirmation.text }],
    actions: [
      { label: confirmation.confirm, target: { run: call }, style },
      { label: confirmation.deny, target: { run: confirmation.back } },
    ],
  };
}

/** After "Mantenimiento de Licencias" was saved: the licence, its number and the next steps. */
export function licenceCreatedScreen(locale: Locale, licence: LicenceRecord, number: string): CardScreen {
  return {
    kind: "card",
    title: t(locale, "created.title"),
    notes: [
      { text: t(locale, "created.text", { name: licence.client.name, taxId: licence.client.taxId }), tone: "good" },
    ],
    blocks: [
      { type: "code", label: t(locale, "details.number"), value: number },
      { type: "text", text: t(locale, "created.next") },
    ],
    actions: [
      openForm(t(locale, "button.selfManaged"), "client", { taxId: licence.client.taxId }),
      run(t(locale, "button.send"), "send", { licenceId: licence.id }, { style: "primary" }),
      run(t(locale, "button.list"), "list"),
    ],
  };
}

/**
 * "Enviar datos de licencia": a message of its own in the advisor's private
 * chat with the bot, to copy or forward: the number, the instructions, the
 * whole e-mail text, and a button that opens the e-mail draft.
 */
export function detailsScreen(locale: Locale, details: LicenceDetails): CardScreen {
  const client = details.licence.client;
  return {
    kind: "card",
    title: t(locale, "details.title", { name: client.name }),
    subtitle: t(locale, "details.taxId", { taxId: client.taxId }),
    blocks: [
      { type: "code", label: t(locale, "details.number"), value: details.number },
      { type: "heading", text: t(locale, "details.instructionsTitle") },
      { type: "text", text: details.instructions },
      { type: "heading", text: t(locale, "details.copy") },
      { type: "text", text: `${details.subject}\n\n${details.body}` },
      { type: "text", text: t(locale, "details.hint"), subtle: true },
    ],
    actions: [{ label: t(locale, "details.mailto"), target: { url: details.mailto } }],
  };
}
