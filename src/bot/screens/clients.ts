/** The client screens: the list, the configuration form's result, the notifications, the history. */
import type { Locale } from "../../config.ts";
import type { ClientRecord, ClientRow, History, NotificationRow, Page } from "../../handlers/index.ts";
import { formatDate, formatDateTime, isTextId, t } from "../../i18n/index.ts";
import { type Action, type Call, type CardScreen, openForm, run } from "../screen.ts";
import { clientLicenceText, yesNo } from "./common.ts";
import type { Notes } from "./licences.ts";

/** A client's buttons: its configuration, its notifications, its history. */
export function clientActions(locale: Locale, client: { taxId: string }): Action[] {
  return [
    openForm(t(locale, "button.configure"), "client", { taxId: client.taxId }),
    run(t(locale, "button.notifications"), "notifications", { taxId: client.taxId }),
    run(t(locale, "button.history"), "history", { taxId: client.taxId }),
  ];
}

/** Which list of clients a page is of: its title, its empty text and the call of its pages (all clients by default). */
export interface ClientList {
  title: string;
  empty: string;
  pages: Call;
}

/** A page of clients with the columns "Licencia PYME" and "Autogestiona", and each client's buttons. */
export function clientsScreen(
  locale: Locale,
  page: Page<ClientRow>,
  after: string | undefined,
  list: ClientList = {
    title: t(locale, "clients.title"),
    empty: t(locale, "clients.empty"),
    pages: { verb: "clients", args: {} },
  },
): CardScreen {
  const actions: Action[] = [];
  const { verb, args } = list.pages;
  if (page.next) actions.push(run(t(locale, "button.nextPage"), verb, { ...args, after: page.next }));
  if (after) actions.push(run(t(locale, "button.firstPage"), verb, args));
  if (verb !== "clients") actions.push(run(t(locale, "button.clients"), "clients"));
  actions.push(run(t(locale, "button.list"), "list"));
  return {
    kind: "card",
    title: list.title,
    blocks:
      page.items.length === 0
        ? [{ type: "text", text: after ? t(locale, "page.empty") : list.empty }]
        : page.items.map((client) => ({
            type: "item" as const,
            title: client.name,
            fields: [
              { label: t(locale, "field.taxId"), value: client.taxId },
              { label: t(locale, "clients.licence"), value: clientLicenceText(locale, client) },
              { label: t(locale, "clients.selfManaged"), value: yesNo(locale, client.selfManaged) },
            ],
            actions: clientActions(locale, client),
          })),
    actions,
  };
}

/** After the client's configuration was saved: what changed, and the way on. */
export function clientSavedScreen(locale: Locale, client: ClientRecord, changed: boolean): CardScreen {
  const name = client.name;
  const notes: Notes = !changed
    ? [{ text: t(locale, "client.unchanged", { name }), tone: "good" }]
    : client.selfManaged
      ? [{ text: t(locale, "client.savedOn", { name }), tone: "good" }]
      : [{ text: t(locale, "client.watchAgain", { name }), tone: "warning" }];
  return {
    kind: "card",
    notes,
    blocks: [],
    actions: [
      openForm(t(locale, "button.configure"), "client", { taxId: client.taxId }),
      run(t(locale, "button.clients"), "clients"),
    ],
  };
}

/** Notifications, newest first, with the column "Autogestionada"; of one client when a NIF was given. */
export function notificationsScreen(
  locale: Locale,
  page: Page<NotificationRow> & { clientName?: string },
  input: { taxId?: string | undefined; after?: string | undefined },
): CardScreen {
  const base = input.taxId ? { taxId: input.taxId } : {};
  const actions: Action[] = [];
  if (page.next) actions.push(run(t(locale, "button.nextPage"), "notifications", { ...base, after: page.next }));
  if (input.after) actions.push(run(t(locale, "button.firstPage"), "notifications", base));
  actions.push(run(t(locale, "button.clients"), "clients"));
  return {
    kind: "card",
    title: page.clientName
      ? t(locale, "notifications.titleFor", { name: page.clientName })
      : t(locale, "notifications.title"),
    blocks:
      page.items.length === 0
        ? [{ type: "text", text: t(locale, "notifications.empty") }]
        : page.items.map((n) => ({
            type: "item" as const,
            title: n.asunto,
            fields: [
              { label: t(locale, "notifications.client"), value: `${n.clientName} (${n.clientTaxId})` },
              { label: t(locale, "notifications.organismo"), value: n.organismo },
              { label: t(locale, "notifications.available"), value: formatDate(n.fechaPuestaDisposicion) },
              ...(n.fechaMaxLectura
                ? [{ label: t(locale, "notifications.deadline"), value: formatDate(n.fechaMaxLectura) }]
                : []),
              { label: t(locale, "notifications.state"), value: n.estado },
              { label: t(locale, "notifications.selfManaged"), value: yesNo(locale, n.selfManaged) },
            ],
            actions: [],
          })),
    actions,
  };
}

/**
 * Who did it: the client's app, the import, or a person by name when known
 * (else the platform, and a Slack user id, which a Slack admin can look up).
 */
function actorLabel(locale: Locale, e: History["events"][number], names: ReadonlyMap<string, string>): string {
  if (e.actorPlatform === "client_app") return t(locale, "history.clientApp");
  if (e.actorPlatform === "cli") return t(locale, "history.cli");
  if (e.actorPlatform !== "slack" && e.actorPlatform !== "teams") return e.actorPlatform;
  const where = t(locale, e.actorPlatform === "slack" ? "platform.slack" : "platform.teams");
  const name = names.get(`${e.actorPlatform}:${e.actorId}`);
  if (name) return `${name} (${where})`;
  return e.actorPlatform === "slack" ? `${where} ${e.actorId}` : where;
}

/** The audit trail of a client and its licences, newest first. */
export function historyScreen(locale: Locale, history: History, names: ReadonlyMap<string, string>): CardScreen {
  const lines = history.events.map((e) => {
    const id = `audit.${e.action}`;
    const what = isTextId(id) ? t(locale, id, e.details as Record<string, string>) : e.action;
    return t(locale, "history.line", {
      date: formatDateTime(e.createdAt),
      action: what,
      who: actorLabel(locale, e, names),
    });
  });
  return {
    kind: "card",
    title: t(locale, "history.title", { name: history.clientName }),
    subtitle: t(locale, "details.taxId", { taxId: history.taxId }),
    blocks:
      lines.length === 0 ? [{ type: "text", text: t(locale, "history.empty") }] : [{ type: "lines", items: lines }],
    actions: [run(t(locale, "button.list"), "list")],
  };
}
