import { type Actor, getHistory, listClients, listNotifications } from "../../../handlers/index.ts";
import type { SlackContext } from "../context.ts";
import type { Surface } from "../surface.ts";
import { clientListMessage } from "../views/client-list.ts";
import { historyMessage } from "../views/history.ts";
import { notificationListMessage } from "../views/notification-list.ts";

export async function showClients(ctx: SlackContext, actor: Actor, surface: Surface, after?: string): Promise<void> {
  const page = listClients(ctx.deps, actor, { after });
  await surface.reply(clientListMessage(actor.locale, page), { replace: after !== undefined });
}

export async function showNotifications(
  ctx: SlackContext,
  actor: Actor,
  surface: Surface,
  input: { taxId?: string | undefined; after?: string | undefined },
): Promise<void> {
  const page = listNotifications(ctx.deps, actor, input);
  await surface.reply(notificationListMessage(actor.locale, page, input.taxId), { replace: input.after !== undefined });
}

export async function showHistory(ctx: SlackContext, actor: Actor, surface: Surface, text: string): Promise<void> {
  const history = getHistory(ctx.deps, actor, { text });
  await surface.reply(historyMessage(actor.locale, history));
}
