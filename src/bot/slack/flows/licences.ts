import {
  type Actor,
  getClient,
  getLicence,
  type LicenceTarget,
  listLicences,
  sendLicenceDetails,
} from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { applyLicenceChange, type LicenceChangeKind } from "../../shared/licence-change.ts";
import { newLicenceStep } from "../../shared/new-licence.ts";
import type { SlackContext } from "../context.ts";
import type { Surface } from "../surface.ts";
import { activationQuestion } from "../views/activation.ts";
import { notice } from "../views/blocks.ts";
import { clientFormModal } from "../views/client-form.ts";
import { licenceChangedMessage, licenceChangePrompt } from "../views/licence-change.ts";
import { licenceDetailsMessage } from "../views/licence-details.ts";
import { licenceFormModal } from "../views/licence-form.ts";
import { licenceListMessage } from "../views/licence-list.ts";

/** "Licencias PYMES generadas", one page; "Más" replaces the page shown. */
export async function showLicences(ctx: SlackContext, actor: Actor, surface: Surface, after?: string): Promise<void> {
  const page = listLicences(ctx.deps, actor, { after });
  await surface.reply(licenceListMessage(actor.locale, page), { replace: after !== undefined });
}

/** "Nuevo": the licence form when the feature is active, else the question whether to request it. */
export async function startNew(ctx: SlackContext, actor: Actor, surface: Surface): Promise<void> {
  const next = newLicenceStep(ctx.deps, actor);
  if (next.step === "form") {
    await surface.openModal(licenceFormModal(actor.locale));
  } else if (next.step === "pending") {
    await surface.reply(notice(t(actor.locale, "activation.alreadyPending")));
  } else {
    await surface.reply(activationQuestion(actor.locale, next.state));
  }
}

/** "Enviar datos de licencia": the details in the advisor's DM with the bot, ready to copy or forward. */
export async function sendDetails(
  ctx: SlackContext,
  actor: Actor,
  surface: Surface,
  target: LicenceTarget,
): Promise<void> {
  const details = sendLicenceDetails(ctx.deps, actor, target);
  const im = await surface.client.conversations.open({ users: actor.userId });
  const channel = im.channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  await surface.client.chat.postMessage({ channel, ...licenceDetailsMessage(actor.locale, details) });
  await surface.reply(notice(t(actor.locale, "slack.details.sent", { name: details.licence.client.name })));
}

/** Deactivate, reactivate, unlink or delete (after Slack's confirm dialog or the prompt's button). */
export async function changeLicence(
  ctx: SlackContext,
  actor: Actor,
  surface: Surface,
  kind: LicenceChangeKind,
  target: LicenceTarget,
): Promise<void> {
  const change = applyLicenceChange(ctx.deps, actor, kind, target);
  await surface.reply(licenceChangedMessage(actor.locale, kind, change));
}

/** A typed destructive command shows the licence and asks before acting. */
export async function promptChange(
  ctx: SlackContext,
  actor: Actor,
  surface: Surface,
  kind: LicenceChangeKind,
  text: string,
): Promise<void> {
  const licence = getLicence(ctx.deps, actor, { text });
  await surface.reply(licenceChangePrompt(actor.locale, kind, licence));
}

/** The client's configuration form (the self-managed tick box). */
export async function openClient(ctx: SlackContext, actor: Actor, surface: Surface, taxId: string): Promise<void> {
  const client = getClient(ctx.deps, actor, { taxId });
  await surface.openModal(clientFormModal(actor.locale, client));
}

/** From a licence's button: its client's configuration form. */
export async function openClientOfLicence(
  ctx: SlackContext,
  actor: Actor,
  surface: Surface,
  licenceId: number,
): Promise<void> {
  const licence = getLicence(ctx.deps, actor, { licenceId });
  await openClient(ctx, actor, surface, licence.client.taxId);
}
