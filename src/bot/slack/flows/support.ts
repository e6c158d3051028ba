import { invalid } from "../../../errors.ts";
import {
  type Actor,
  decideActivation,
  listFirms,
  listPendingRequests,
  revokeActivation,
} from "../../../handlers/index.ts";
import { t, tn } from "../../../i18n/index.ts";
import { findFirmRow, parseFirmId } from "../../shared/firms.ts";
import type { SlackContext } from "../context.ts";
import type { Surface } from "../surface.ts";
import { notice } from "../views/blocks.ts";
import { firmListMessage, pendingListMessage, revokePrompt } from "../views/support.ts";

export async function showPending(ctx: SlackContext, actor: Actor, surface: Surface): Promise<void> {
  await surface.reply(pendingListMessage(actor.locale, listPendingRequests(ctx.deps, actor)));
}

export async function showFirms(ctx: SlackContext, actor: Actor, surface: Surface): Promise<void> {
  await surface.reply(firmListMessage(actor.locale, listFirms(ctx.deps, actor)));
}

/** `/licencias revocar <id>`: shows the firm and a button behind a confirm dialog. */
export async function promptRevoke(ctx: SlackContext, actor: Actor, surface: Surface, text: string): Promise<void> {
  const firmId = parseFirmId(text);
  if (firmId === undefined) throw invalid([{ field: "firmId", message: "slack.revoke.badId" }]);
  const firm = findFirmRow(ctx.deps, actor, firmId);
  if (!firm) throw invalid([{ field: "firmId", message: "activation.firmNotFound" }]);
  await surface.reply(revokePrompt(actor.locale, firm));
}

export async function revoke(ctx: SlackContext, actor: Actor, surface: Surface, firmId: number): Promise<void> {
  const firm = await revokeActivation(ctx.deps, actor, { firmId });
  const done = t(actor.locale, "slack.revoke.done", { name: firm.name, id: firm.id });
  const cleared =
    firm.selfManagedCleared > 0 ? ` ${tn(actor.locale, "activation.revokedCleared", firm.selfManagedCleared)}` : "";
  await surface.reply(notice(`${done}${cleared}`), {
    replace: true,
  });
}

/** Aprobar: the handler checks the channel, the allow-list and that it is not the clicker's own request. */
export async function approve(ctx: SlackContext, actor: Actor, requestId: number): Promise<void> {
  await decideActivation(ctx.deps, actor, { requestId, decision: "approve" });
}
