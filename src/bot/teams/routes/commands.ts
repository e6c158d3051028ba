import { ActivityTypes, type TurnContext } from "botbuilder";
import type { Locale } from "../../../config.ts";
import {
  type Actor,
  getClient,
  getHistory,
  getLicence,
  listClients,
  listFirms,
  listNotifications,
  listPendingRequests,
  sendLicenceDetails,
} from "../../../handlers/index.ts";
import { formatDateTime, t } from "../../../i18n/index.ts";
import { NEEDS_ARGUMENT, parseCommand, type Verb } from "../../commands.ts";
import { findFirmRow, parseFirmId } from "../../shared/firms.ts";
import { newLicenceStep } from "../../shared/new-licence.ts";
import { activationQuestionCard } from "../cards/activation.ts";
import { clientsCard, historyCard, knownNames, notificationsCard } from "../cards/clients.ts";
import { helpCard, messageCard } from "../cards/help.ts";
import { confirmCard, licenceDetailsCard } from "../cards/licences.ts";
import { firmsCard, revokeConfirmCard } from "../cards/support.ts";
import { type Card, card, md, openDialog, text, title } from "../cards/ui.ts";
import { VERB } from "../cards/verbs.ts";
import {
  actorOf,
  channelOf,
  isPersonal,
  isSupportChannel,
  localeOf,
  type Runtime,
  rememberPersonalChat,
  sendPrivately,
} from "../context.ts";
import { connectSupportChannel } from "../support-desk.ts";
import { licencesPage } from "./actions.ts";
import { type App, cardActivity, describe } from "./shared.ts";

/** The message text without markup Teams may add (a quoted reply, HTML, non-breaking spaces, other mentions). */
export function plainText(raw: string | undefined): string {
  return (raw ?? "")
    .replace(/<blockquote[\s>][\s\S]*?<\/blockquote>/gi, " ")
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/gi, " ")
    .replace(/\u00a0/g, " ")
    .trim();
}

function newCard(rt: Runtime, actor: Actor): Card {
  const next = newLicenceStep(rt.deps, actor);
  if (next.step === "form") {
    return card(
      [title(t(actor.locale, "teams.licenceForm.title")), text(t(actor.locale, "teams.licenceForm.intro"))],
      [openDialog(t(actor.locale, "teams.licenceForm.open"), VERB.licenceForm)],
    );
  }
  if (next.step === "pending") return messageCard(t(actor.locale, "activation.alreadyPending"));
  return activationQuestionCard(actor.locale, next.state);
}

/** The answer to a command word: a card for the asking user only. */
function answer(rt: Runtime, actor: Actor, verb: Verb, arg: string): Card {
  const { deps } = rt;
  const locale = actor.locale;
  switch (verb) {
    case "list":
      return licencesPage(rt, actor, undefined);
    case "new":
      return newCard(rt, actor);
    case "clients":
      return clientsCard(locale, listClients(deps, actor), undefined);
    case "client":
      return clientsCard(locale, { items: [getClient(deps, actor, { taxId: arg })] }, undefined);
    case "send":
      return licenceDetailsCard(locale, sendLicenceDetails(deps, actor, { text: arg }));
    case "deactivate":
    case "reactivate":
    case "unlink":
    case "delete":
      return confirmCard(locale, verb, getLicence(deps, actor, { text: arg }), undefined);
    case "notifications":
      return notificationsCard(locale, listNotifications(deps, actor, { taxId: arg || undefined }), {
        taxId: arg || undefined,
      });
    case "history":
      return historyCard(locale, getHistory(deps, actor, { text: arg }), knownNames(actor));
    default:
      return helpCard(locale);
  }
}

/** For support staff in their channel: the requests waiting (no client data). */
function pendingCard(rt: Runtime, actor: Actor): Card {
  const pending = listPendingRequests(rt.deps, actor);
  const locale = actor.locale;
  if (pending.length === 0) return messageCard(t(locale, "teams.support.noPending"));
  return card([
    title(t(locale, "teams.support.pendingTitle")),
    ...pending.map((r) =>
      text(`- ${md(r.firmName)} · ${md(r.requesterName ?? r.requesterId)} · ${formatDateTime(r.createdAt)}`, {
        spacing: "none",
      }),
    ),
  ]);
}

/** "revocar <id>": the firm and a confirmation; a missing or non-numeric id gets a hint. */
function revokePromptCard(rt: Runtime, actor: Actor, arg: string, word: string): Card {
  const locale = actor.locale;
  const firmId = parseFirmId(arg);
  if (firmId === undefined) return messageCard(t(locale, "teams.revoke.badId", { word: md(word) }));
  const firm = findFirmRow(rt.deps, actor, firmId);
  if (!firm) return messageCard(t(locale, "activation.firmNotFound"), "attention");
  return revokeConfirmCard(locale, firm);
}

/** Support's words, answered in the support channel (no client data in them). */
function supportAnswer(
  rt: Runtime,
  actor: Actor,
  verb: "pending" | "firms" | "revoke",
  arg: string,
  word: string,
): Card {
  switch (verb) {
    case "pending":
      return pendingCard(rt, actor);
    case "firms":
      return firmsCard(actor.locale, listFirms(rt.deps, actor));
    case "revoke":
      return revokePromptCard(rt, actor, arg, word);
  }
}

async function replyInPlace(ctx: TurnContext, value: Card): Promise<void> {
  await ctx.sendActivity(cardActivity(value));
}

/** Answers with client data go to the personal chat; in a channel, a notice says so. */
async function replyPrivately(rt: Runtime, ctx: TurnContext, locale: Locale, value: Card): Promise<void> {
  try {
    await sendPrivately(rt, ctx, [cardActivity(value)]);
  } catch (err) {
    rt.logger.warn({ err }, "could not write to the user's personal chat");
    await ctx.sendActivity(t(locale, "teams.privateFailed"));
    return;
  }
  if (!isPersonal(ctx.activity)) await ctx.sendActivity(t(locale, "teams.privateNotice"));
}

/** The command words of DESIGN.md, as messages (personal chat; @mention in channels). */
export function registerCommands(app: App, rt: Runtime): void {
  app.activity(ActivityTypes.Message, async (ctx) => {
    rememberPersonalChat(rt, ctx);
    if (!isPersonal(ctx.activity)) {
      // Helps an operator find the id to put in SUPPORT_TEAMS_CHANNEL_ID.
      rt.logger.debug({ teamsChannelId: channelOf(ctx.activity) }, "message in a Teams channel");
    }
    const inSupport = !isPersonal(ctx.activity) && isSupportChannel(rt, ctx.activity);
    if (inSupport) {
      const connected = await connectSupportChannel(rt, ctx);
      if (connected?.isNew) {
        const locale = localeOf(rt, ctx.activity);
        const posted =
          connected.posted > 0 ? ` ${t(locale, "teams.support.postedPending", { count: connected.posted })}` : "";
        await ctx.sendActivity(`${t(locale, "teams.support.connected")}${posted}`);
      }
    }
    const raw = plainText(ctx.activity.text);
    // A card's Action.Submit without a dialog arrives as a message with a value and no text: nothing to do.
    if (!raw && ctx.activity.value) return;

    const locale = localeOf(rt, ctx.activity);
    let actor: Actor;
    try {
      actor = await actorOf(rt, ctx);
    } catch (err) {
      await ctx.sendActivity(describe(rt, ctx, err));
      return;
    }
    if (actor.guest) {
      await ctx.sendActivity(t(locale, "error.guest"));
      return;
    }

    const command = parseCommand(raw);
    if (command.verb === "help") {
      await replyInPlace(ctx, helpCard(locale, { unknown: command.unknown, support: inSupport }));
      return;
    }
    if (command.verb === "pending" || command.verb === "firms" || command.verb === "revoke") {
      if (!inSupport) {
        // Support's words work only in the support channel (the use cases check it again).
        await replyInPlace(ctx, messageCard(t(locale, "teams.notAvailableHere")));
        return;
      }
      try {
        await replyInPlace(ctx, supportAnswer(rt, actor, command.verb, command.arg, raw.split(/\s+/)[0] ?? ""));
      } catch (err) {
        await ctx.sendActivity(describe(rt, ctx, err));
      }
      return;
    }
    if (NEEDS_ARGUMENT.has(command.verb) && !command.arg) {
      await replyPrivately(
        rt,
        ctx,
        locale,
        messageCard(
          t(locale, command.verb === "client" ? "teams.argRequiredTaxId" : "teams.argRequired", {
            word: md(raw.split(/\s+/)[0] ?? ""),
          }),
        ),
      );
      return;
    }
    let result: Card;
    try {
      result = answer(rt, actor, command.verb, command.arg);
    } catch (err) {
      result = messageCard(describe(rt, ctx, err), "attention");
    }
    await replyPrivately(rt, ctx, locale, result);
  });
}
