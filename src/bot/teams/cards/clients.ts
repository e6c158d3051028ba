import type { Locale } from "../../../config.ts";
import type { Actor, ClientRow, History, NotificationRow, Page } from "../../../handlers/index.ts";
import { formatDate, formatDateTime, t } from "../../../i18n/index.ts";
import { yesNo } from "../../shared/text.ts";
import { type Notes, notesBlocks } from "./licences.ts";
import {
  type Card,
  type CardAction,
  type CardElement,
  card,
  execute,
  facts,
  fieldError,
  md,
  openDialog,
  submitDialog,
  text,
  title,
} from "./ui.ts";
import { VERB } from "./verbs.ts";

function licenceSummary(locale: Locale, client: ClientRow): string {
  if (!client.licence) return t(locale, "no");
  const state = t(locale, `licence.state.${client.licence.state}`);
  const linked = t(locale, client.licence.linked ? "licence.linked" : "licence.notLinkedShort");
  return `${t(locale, "yes")} (${state}, ${linked})`;
}

/** The client list with the columns "Licencia PYME" and "Autogestiona". */
export function clientsCard(locale: Locale, page: Page<ClientRow>, after: string | undefined): Card {
  const body: CardElement[] = [title(t(locale, "teams.clients.title"))];
  if (page.items.length === 0) body.push(text(t(locale, "teams.clients.empty")));
  for (const client of page.items) {
    body.push({
      type: "Container",
      separator: true,
      spacing: "medium",
      items: [
        text(md(client.name), { weight: "bolder" }),
        facts([
          [t(locale, "teams.field.taxId"), md(client.taxId)],
          [t(locale, "teams.clients.licence"), licenceSummary(locale, client)],
          [t(locale, "teams.clients.selfManaged"), yesNo(locale, client.selfManaged)],
        ]),
        {
          type: "ActionSet",
          actions: [
            openDialog(t(locale, "teams.action.configure"), VERB.clientForm, { taxId: client.taxId }),
            execute(t(locale, "teams.action.notifications"), VERB.notifications, { taxId: client.taxId }),
            execute(t(locale, "teams.action.history"), VERB.history, { taxId: client.taxId }),
          ],
        },
      ],
    });
  }
  const actions: CardAction[] = [];
  if (page.next) actions.push(execute(t(locale, "teams.page.next"), VERB.clients, { after: page.next }));
  if (after) actions.push(execute(t(locale, "teams.page.first"), VERB.clients));
  actions.push(execute(t(locale, "teams.action.list"), VERB.licences));
  return card(body, actions);
}

/** The client's configuration dialog with the tick box "Este cliente gestiona sus propias notificaciones". */
export function clientFormCard(
  locale: Locale,
  client: ClientRow,
  input: { selfManaged?: boolean; error?: string } = {},
): Card {
  const selfManaged = input.selfManaged ?? client.selfManaged;
  return card(
    [
      title(md(client.name)),
      facts([
        [t(locale, "teams.field.taxId"), md(client.taxId)],
        [t(locale, "teams.clients.licence"), licenceSummary(locale, client)],
      ]),
      {
        type: "Input.Toggle",
        id: "selfManaged",
        title: t(locale, "teams.clientForm.selfManaged"),
        label: t(locale, "teams.clients.selfManaged"),
        value: selfManaged ? "true" : "false",
        valueOn: "true",
        valueOff: "false",
        wrap: true,
      },
      ...fieldError(input.error),
    ],
    [submitDialog(t(locale, "teams.clientForm.save"), VERB.clientForm, { taxId: client.taxId })],
  );
}

/** A line of the client's state after its configuration was saved (posted in the personal chat). */
export function clientSavedCard(locale: Locale, notes: Notes, client: { taxId: string }): Card {
  return card(notesBlocks(notes), [
    openDialog(t(locale, "teams.action.configure"), VERB.clientForm, { taxId: client.taxId }),
    execute(t(locale, "teams.action.clients"), VERB.clients),
  ]);
}

/** Notifications, newest first, with the column "Autogestionada". */
export function notificationsCard(
  locale: Locale,
  page: Page<NotificationRow> & { clientName?: string },
  input: { taxId?: string | undefined; after?: string | undefined },
): Card {
  const heading = page.clientName
    ? t(locale, "teams.notifications.titleFor", { name: md(page.clientName) })
    : t(locale, "teams.notifications.title");
  const body: CardElement[] = [title(heading)];
  if (page.items.length === 0) body.push(text(t(locale, "teams.notifications.empty")));
  for (const n of page.items) {
    body.push({
      type: "Container",
      separator: true,
      items: [
        text(md(n.asunto), { weight: "bolder" }),
        facts([
          [t(locale, "teams.clients.title"), `${md(n.clientName)} (${md(n.clientTaxId)})`],
          [t(locale, "teams.notifications.organismo"), md(n.organismo)],
          [t(locale, "teams.notifications.available"), formatDate(n.fechaPuestaDisposicion)],
          ...(n.fechaMaxLectura
            ? [[t(locale, "teams.notifications.deadline"), formatDate(n.fechaMaxLectura)] as [string, string]]
            : []),
          [t(locale, "teams.notifications.state"), md(n.estado)],
          [t(locale, "teams.notifications.selfManaged"), yesNo(locale, n.selfManaged)],
        ]),
      ],
    });
  }
  const base = input.taxId ? { taxId: input.taxId } : {};
  const actions: CardAction[] = [];
  if (page.next) actions.push(execute(t(locale, "teams.page.next"), VERB.notifications, { ...base, after: page.next }));
  if (input.after) actions.push(execute(t(locale, "teams.page.first"), VERB.notifications, base));
  actions.push(execute(t(locale, "teams.action.clients"), VERB.clients));
  return card(body, actions);
}

/**
 * Who did it, in words as the Slack view says it: the client's app, the
 * import, or a person by name when known (else the platform; a Slack user
 * id is short and what a Slack admin looks up, an AAD object id is not).
 */
function actorLabel(locale: Locale, e: History["events"][number], names: ReadonlyMap<string, string>): string {
  if (e.actorPlatform === "client_app") return t(locale, "teams.history.clientApp");
  if (e.actorPlatform === "cli") return t(locale, "teams.history.cli");
  const platform = e.actorPlatform === "slack" || e.actorPlatform === "teams" ? e.actorPlatform : undefined;
  if (!platform) return md(e.actorPlatform);
  const name = names.get(`${platform}:${e.actorId}`);
  const where = t(locale, `teams.platform.${platform}`);
  if (name) return `${md(name)} (${where})`;
  return platform === "slack" ? `${where} ${md(e.actorId)}` : where;
}

/** The names a history can show: the person asking, whose name the activity carries. */
export function knownNames(actor: Pick<Actor, "platform" | "userId" | "userName">): Map<string, string> {
  return new Map(actor.userName ? [[`${actor.platform}:${actor.userId}`, actor.userName]] : []);
}

/**
 * The audit trail of a licence or client. `names` holds the people whose
 * names are known ("teams:<AAD object id>" or "slack:<user id>" → name),
 * such as the person asking.
 */
export function historyCard(locale: Locale, history: History, names: ReadonlyMap<string, string> = new Map()): Card {
  const body: CardElement[] = [
    title(t(locale, "teams.history.title", { name: md(history.clientName), taxId: md(history.taxId) })),
  ];
  if (history.events.length === 0) body.push(text(t(locale, "teams.history.empty")));
  for (const e of history.events) {
    body.push(
      text(
        t(locale, "teams.history.line", {
          date: formatDateTime(e.createdAt),
          action: t(locale, `audit.${e.action}`, e.details as Record<string, string>),
          who: actorLabel(locale, e, names),
        }),
        { spacing: "small" },
      ),
    );
  }
  return card(body, [execute(t(locale, "teams.action.list"), VERB.licences)]);
}
