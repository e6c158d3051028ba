import { TeamsInfo, type TurnContext } from "botbuilder";
import { z } from "zod";
import { forbidden, isServiceError } from "../../../errors.ts";
import {
  type Actor,
  decideActivation,
  getActivationRequest,
  isSupportActor,
  revokeActivation,
} from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { findFirmRow } from "../../shared/firms.ts";
import { approvalCard, outcomeCard, rejectReasonCard } from "../cards/activation.ts";
import { helpCard } from "../cards/help.ts";
import { revokeCancelledCard, revokedCard, revokeNotActiveCard } from "../cards/support.ts";
import type { Card } from "../cards/ui.ts";
import { VERB } from "../cards/verbs.ts";
import { isPersonal, localeOf, type Runtime, rememberPersonalChat } from "../context.ts";
import { connectSupportChannel } from "../support-desk.ts";
import { type App, cardActivity, describe, memberOf, parseData, replaceCard } from "./shared.ts";

const requestData = z.object({ requestId: z.number().int().positive() });
const rejectData = requestData.extend({ reason: z.string().max(5000).optional() });
const firmData = z.object({ firmId: z.number().int().positive() });

/** Whether the team the bot was added to holds the configured support channel. */
async function teamHoldsSupportChannel(rt: Runtime, ctx: TurnContext, channelId: string): Promise<boolean> {
  const data = ctx.activity.channelData as { channel?: { id?: string }; team?: { id?: string } } | undefined;
  if (data?.channel?.id === channelId || data?.team?.id === channelId) return true;
  if (!data?.team?.id) return false;
  try {
    const channels = await TeamsInfo.getTeamChannels(ctx, data.team.id);
    return channels.some((c) => c.id === channelId);
  } catch (err) {
    rt.logger.warn({ err }, "could not list the channels of the team the bot was added to");
    return false;
  }
}

/**
 * Support staff's buttons on the approval card (Action.Execute). The card is
 * updated for everyone by the support desk (showDecision); the clicking
 * person gets the same outcome as the invoke response. Refusals come back as
 * a message, leaving the card as it is.
 */
function onSupportExecute(
  app: App,
  rt: Runtime,
  verb: string,
  handler: (actor: Actor, data: unknown, ctx: TurnContext) => Promise<Card>,
): void {
  app.adaptiveCards.actionExecute(verb, async (ctx, _state, data) => {
    try {
      return await handler(await memberOf(rt, ctx), data, ctx);
    } catch (err) {
      if (isServiceError(err) && err.code === "ALREADY_DECIDED") {
        try {
          const actor = await memberOf(rt, ctx);
          const { requestId } = parseData(requestData, data);
          return outcomeCard(actor.locale, getActivationRequest(rt.deps, actor, requestId), describe(rt, ctx, err));
        } catch {
          // Fall through to the plain message.
        }
      }
      return describe(rt, ctx, err);
    }
  });
}

/** The support channel: learning where it is, and the approval card's buttons. */
export function registerSupport(app: App, rt: Runtime): void {
  app.conversationUpdate("membersAdded", async (ctx) => {
    const added = ctx.activity.membersAdded ?? [];
    if (!added.some((m) => m.id === ctx.activity.recipient.id)) return;
    const locale = localeOf(rt, ctx.activity);
    if (isPersonal(ctx.activity)) {
      rememberPersonalChat(rt, ctx);
      await ctx.sendActivity(t(locale, "teams.welcome"));
      await ctx.sendActivity(cardActivity(helpCard(locale)));
      return;
    }
    const channelId = rt.support.teamsChannelId;
    if (!channelId || !(await teamHoldsSupportChannel(rt, ctx, channelId))) return;
    const connected = await connectSupportChannel(rt, ctx);
    rt.logger.info({ posted: connected?.posted }, "the bot joined the Teams support channel's team");
  });

  onSupportExecute(app, rt, VERB.approve, async (actor, data) => {
    const { requestId } = parseData(requestData, data);
    const request = await decideActivation(rt.deps, actor, { requestId, decision: "approve" });
    return outcomeCard(actor.locale, request);
  });

  onSupportExecute(app, rt, VERB.reject, async (actor, data) => {
    const { requestId } = parseData(requestData, data);
    const request = getActivationRequest(rt.deps, actor, requestId);
    if (request.status !== "pending") return outcomeCard(actor.locale, request);
    return rejectReasonCard(actor.locale, request);
  });

  onSupportExecute(app, rt, VERB.confirmReject, async (actor, data, ctx) => {
    const { requestId, reason } = parseData(rejectData, data);
    try {
      const request = await decideActivation(rt.deps, actor, { requestId, decision: "reject", reason: reason ?? "" });
      return outcomeCard(actor.locale, request);
    } catch (err) {
      if (!isServiceError(err) || err.code !== "INVALID") throw err;
      const request = getActivationRequest(rt.deps, actor, requestId);
      // The reason's own error (empty, too long), as describeError words a field error.
      const error = describe(rt, ctx, err);
      return rejectReasonCard(actor.locale, request, { reason, error });
    }
  });

  onSupportExecute(app, rt, VERB.cancelReject, async (actor, data) => {
    const { requestId } = parseData(requestData, data);
    return approvalCard(actor.locale, getActivationRequest(rt.deps, actor, requestId));
  });

  // Revocar on the "revocar <id>" card: revokeActivation checks that this is
  // support in the support channel (the actor's channel is the activity's).
  // The card is replaced for everyone in the channel, so nobody clicks it again.
  onSupportExecute(app, rt, VERB.revokeFirm, async (actor, data, ctx) => {
    const { firmId } = parseData(firmData, data);
    let result: Card;
    try {
      const firm = await revokeActivation(rt.deps, actor, { firmId });
      const row = findFirmRow(rt.deps, actor, firm.id) ?? firm;
      result = revokedCard(actor.locale, row, actor, firm.selfManagedCleared);
    } catch (err) {
      // Revoked meanwhile (a second click): show the firm as it is now.
      if (!isServiceError(err) || err.code !== "CONFLICT") throw err;
      const current = findFirmRow(rt.deps, actor, firmId);
      if (!current) throw err;
      result = revokeNotActiveCard(actor.locale, current);
    }
    await replaceCard(rt, ctx, result);
    return result;
  });

  onSupportExecute(app, rt, VERB.cancelRevoke, async (actor, _data, ctx) => {
    // The card is shared in the channel: only someone who could revoke may dismiss it.
    if (!isSupportActor(rt.deps.support, actor)) throw forbidden("activation.notSupport");
    const result = revokeCancelledCard(actor.locale);
    await replaceCard(rt, ctx, result);
    return result;
  });
}
