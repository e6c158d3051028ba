import { CardFactory, type TaskModuleTaskInfo, type TurnContext } from "botbuilder";
import type { Locale } from "../../../config.ts";
import { t } from "../../../i18n/index.ts";
import { FORM_IDS, type FormValues, formAudience, isFormId, openFormById, submitForm } from "../../forms.ts";
import type { Outcome, Screen } from "../../screen.ts";
import { localeOf, type Runtime } from "../context.ts";
import { renderFormDialog, renderScreen } from "../render.ts";
import { type App, actorFor, botContext, isOutcome, privateActivities, sendToPersonalChat } from "./shared.ts";

/** Where a dialog's data sits: its form id in `verb` (teams-ai's routing key), the form's own data in `data`, the inputs beside them. */
const ROUTING = new Set(["verb", "data", "msteams"]);

function partsOf(raw: unknown): { id: unknown; data: unknown; values: FormValues } {
  const all = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const values: FormValues = {};
  for (const [k, v] of Object.entries(all)) {
    if (!ROUTING.has(k) && (typeof v === "string" || typeof v === "boolean")) values[k] = v;
  }
  return { id: all.verb, data: all.data, values };
}

function dialog(screen: Screen, locale: Locale): TaskModuleTaskInfo {
  const card = screen.kind === "form" ? renderFormDialog(screen) : renderScreen(screen, locale);
  const title = screen.kind === "notice" ? "" : (screen.title ?? "");
  return { title, width: "medium", card: CardFactory.adaptiveCard(card) };
}

/** A refusal or a failure (a notice in red) is shown in the dialog itself; anything else is a result. */
const isError = (o: Outcome) => o.screen.kind === "notice" && o.screen.tone === "attention";

/**
 * The forms of the form table as Teams dialogs (task modules), one route
 * per form id: fetch opens the form (or says why not); submit shows it
 * again with the errors, or closes it and posts the result, in the personal
 * chat (support's where the dialog was opened, their channel).
 */
export function registerDialogs(app: App, rt: Runtime): void {
  app.taskModules.fetch(FORM_IDS, async (ctx: TurnContext, _state, raw: unknown) => {
    const locale = localeOf(rt, ctx.activity);
    const { id, data } = partsOf(raw);
    const actor = await actorFor(rt, ctx);
    const result = isOutcome(actor) ? actor : await openFormById(botContext(rt, ctx, actor), actor, id, data);
    if (result.screen.kind === "notice") return result.screen.text;
    return dialog(result.screen, locale);
  });

  app.taskModules.submit(FORM_IDS, async (ctx: TurnContext, _state, raw: unknown) => {
    const locale = localeOf(rt, ctx.activity);
    const { id, data, values } = partsOf(raw);
    const actor = await actorFor(rt, ctx);
    const result = isOutcome(actor) ? actor : await submitForm(botContext(rt, ctx, actor), actor, id, data, values);
    if (result.screen.kind === "form") return dialog(result.screen, locale);
    if (result.shownByDesk) return undefined;
    if (isError(result) && result.screen.kind === "notice") return result.screen.text;
    if (isFormId(id) && formAudience(id) === "support") {
      for (const activity of privateActivities(result, locale)) await ctx.sendActivity(activity);
      return undefined;
    }
    const sent = await sendToPersonalChat(rt, ctx, privateActivities(result, locale));
    return sent ? undefined : t(locale, "teams.privateFailed");
  });
}
