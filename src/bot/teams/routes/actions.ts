import { z } from "zod";
import {
  type Actor,
  getHistory,
  getLicence,
  listClients,
  listLicences,
  listNotifications,
  sendLicenceDetails,
} from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { applyLicenceChange, LICENCE_CHANGES } from "../../shared/licence-change.ts";
import { activationDeclinedCard } from "../cards/activation.ts";
import { clientsCard, historyCard, knownNames, notificationsCard } from "../cards/clients.ts";
import { confirmCard, licenceDetailsCard, licencesCard, type Notes } from "../cards/licences.ts";
import { md } from "../cards/ui.ts";
import { VERB } from "../cards/verbs.ts";
import type { Runtime } from "../context.ts";
import { sendPrivately } from "../context.ts";
import { type App, cardActivity, onExecute, parseData } from "./shared.ts";

const after = z.string().max(500).optional();
const pageData = z.object({ after });
const notificationsData = z.object({ after, taxId: z.string().max(20).optional() });
const historyData = z.object({ taxId: z.string().min(1).max(20) });
const licenceData = z.object({ licenceId: z.number().int().positive(), after });
const opData = licenceData.extend({ op: z.enum(LICENCE_CHANGES) });

export function licencesPage(rt: Runtime, actor: Actor, pageAfter: string | undefined, notes?: Notes) {
  const page = listLicences(rt.deps, actor, { after: pageAfter });
  return licencesCard(actor.locale, page, pageAfter, notes);
}

/** The advisor's buttons on lists and results (all in the personal chat). */
export function registerActions(app: App, rt: Runtime): void {
  onExecute(app, rt, VERB.licences, async (_ctx, actor, data) => {
    const d = parseData(pageData, data);
    return licencesPage(rt, actor, d.after);
  });

  onExecute(app, rt, VERB.clients, async (_ctx, actor, data) => {
    const d = parseData(pageData, data);
    return clientsCard(actor.locale, listClients(rt.deps, actor, { after: d.after }), d.after);
  });

  onExecute(app, rt, VERB.notifications, async (_ctx, actor, data) => {
    const d = parseData(notificationsData, data);
    return notificationsCard(actor.locale, listNotifications(rt.deps, actor, d), d);
  });

  onExecute(app, rt, VERB.history, async (_ctx, actor, data) => {
    const d = parseData(historyData, data);
    return historyCard(actor.locale, getHistory(rt.deps, actor, { text: d.taxId }), knownNames(actor));
  });

  onExecute(app, rt, VERB.send, async (ctx, actor, data) => {
    const d = parseData(licenceData, data);
    const details = sendLicenceDetails(rt.deps, actor, { licenceId: d.licenceId });
    // A message of its own, so it stays in the chat to copy or forward.
    await sendPrivately(rt, ctx, [cardActivity(licenceDetailsCard(actor.locale, details))]);
    const name = md(details.licence.client.name);
    return licencesPage(rt, actor, d.after, { done: [t(actor.locale, "teams.details.sentBelow", { name })] });
  });

  onExecute(app, rt, VERB.confirm, async (_ctx, actor, data) => {
    const d = parseData(opData, data);
    const licence = getLicence(rt.deps, actor, { licenceId: d.licenceId });
    return confirmCard(actor.locale, d.op, licence, d.after);
  });

  onExecute(app, rt, VERB.apply, async (_ctx, actor, data) => {
    const d = parseData(opData, data);
    const change = applyLicenceChange(rt.deps, actor, d.op, { licenceId: d.licenceId });
    const name = md(change.licence.client.name);
    const notes: Notes = { done: [t(actor.locale, `teams.done.${d.op}`, { name })] };
    if (change.selfManagedCleared) notes.warn = [t(actor.locale, "client.watchAgain", { name })];
    return licencesPage(rt, actor, d.after, notes);
  });

  onExecute(app, rt, VERB.activationNo, async (_ctx, actor) => activationDeclinedCard(actor.locale));
}
