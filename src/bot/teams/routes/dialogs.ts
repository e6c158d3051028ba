import { CardFactory, type TaskModuleTaskInfo, type TurnContext } from "botbuilder";
import { z } from "zod";
import { isServiceError, type ServiceError } from "../../../errors.ts";
import {
  type Actor,
  createLicence,
  getActivationStatus,
  getClient,
  loadRef,
  requestActivation,
  setSelfManaged,
} from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import { fieldMessages } from "../../describe-error.ts";
import { newLicenceStep } from "../../shared/new-licence.ts";
import { activationFormCard } from "../cards/activation.ts";
import { clientFormCard, clientSavedCard } from "../cards/clients.ts";
import { LICENCE_FIELDS, type LicenceField, type LicenceFormValues, licenceFormCard } from "../cards/forms.ts";
import { messageCard } from "../cards/help.ts";
import type { Notes } from "../cards/licences.ts";
import { licenceCreatedCard } from "../cards/licences.ts";
import { type Card, md } from "../cards/ui.ts";
import { VERB } from "../cards/verbs.ts";
import {
  isPersonal,
  personalKey,
  personalRefFrom,
  REF_PERSONAL,
  type Runtime,
  sendPrivately,
  userIdOf,
} from "../context.ts";
import { type App, cardActivity, describe, memberOf, parseData } from "./shared.ts";

function dialog(titleText: string, value: Card): TaskModuleTaskInfo {
  return { title: titleText, width: "medium", card: CardFactory.adaptiveCard(value) };
}

/**
 * Each error under its field (also a conflict that names one, such as a
 * client that already has a licence); the rest at the top of the form.
 */
function licenceFormErrors(
  rt: Runtime,
  ctx: TurnContext,
  actor: Actor,
  err: ServiceError,
): Partial<Record<LicenceField, string>> & { general?: string } {
  const errors: Partial<Record<LicenceField, string>> & { general?: string } = {};
  for (const [field, message] of Object.entries(fieldMessages(err, actor.locale))) {
    if ((LICENCE_FIELDS as readonly string[]).includes(field)) errors[field as LicenceField] = message;
    else errors.general ??= message;
  }
  if (Object.keys(errors).length === 0) errors.general = describe(rt, ctx, err);
  return errors;
}

/** "Nuevo": the licence form when the feature is active, else the activation request. */
function newLicenceDialog(rt: Runtime, actor: Actor): TaskModuleTaskInfo | string {
  const next = newLicenceStep(rt.deps, actor);
  if (next.step === "form") {
    return dialog(t(actor.locale, "teams.licenceForm.title"), licenceFormCard(actor.locale));
  }
  if (next.step === "pending") return t(actor.locale, "activation.alreadyPending");
  return dialog(
    t(actor.locale, "teams.activation.formTitle"),
    activationFormCard(actor.locale, { firmName: storedFirmName(rt, actor) }),
  );
}

/** The firm's name as stored, when it has one: a firm never named is stored under its tenant id. */
function storedFirmName(rt: Runtime, actor: Actor): string | undefined {
  const { name } = getActivationStatus(rt.deps, actor);
  return name && name !== actor.workspaceId ? name : undefined;
}

/** How to tell the requester later: this personal chat, or the one stored for them. */
function requesterRefOf(rt: Runtime, ctx: TurnContext, actor: Actor): string | undefined {
  if (isPersonal(ctx.activity)) return JSON.stringify(personalRefFrom(ctx.activity, ctx.activity.conversation.id));
  return loadRef(rt.deps, REF_PERSONAL, personalKey(actor.workspaceId, userIdOf(ctx.activity)));
}

const licenceValues = z.object(
  Object.fromEntries(LICENCE_FIELDS.map((f) => [f, z.string().max(5000).optional()])) as Record<
    LicenceField,
    z.ZodOptional<z.ZodString>
  >,
);
const activationValues = z.object({
  firmName: z.string().max(5000).optional(),
  message: z.string().max(5000).optional(),
});
const clientTarget = z.object({ taxId: z.string().min(1).max(20) });
const clientValues = clientTarget.extend({ selfManaged: z.union([z.string(), z.boolean()]).optional() });

/**
 * The forms, as Teams dialogs: fetch opens them; submit either closes them
 * (the result is posted in the personal chat) or shows them again with the
 * error under the field and what the user typed.
 */
export function registerDialogs(app: App, rt: Runtime): void {
  const safely =
    <R extends TaskModuleTaskInfo | string | undefined>(
      fn: (ctx: TurnContext, actor: Actor, data: Record<string, unknown>) => Promise<R>,
    ) =>
    async (ctx: TurnContext, _state: unknown, data: Record<string, unknown>): Promise<R | string> => {
      try {
        return await fn(ctx, await memberOf(rt, ctx), data);
      } catch (err) {
        return describe(rt, ctx, err);
      }
    };

  app.taskModules.fetch(
    VERB.licenceForm,
    safely(async (_ctx, actor) => newLicenceDialog(rt, actor)),
  );
  app.taskModules.fetch(
    VERB.activationForm,
    safely(async (_ctx, actor) => newLicenceDialog(rt, actor)),
  );

  app.taskModules.submit(
    VERB.licenceForm,
    safely(async (ctx, actor, data) => {
      const values: LicenceFormValues = parseData(licenceValues, data);
      try {
        const licence = createLicence(rt.deps, actor, {
          ...values,
          taxId: values.taxId ?? "",
          name: values.name ?? "",
        });
        await sendPrivately(rt, ctx, [cardActivity(licenceCreatedCard(actor.locale, licence))]);
        return undefined;
      } catch (err) {
        if (!isServiceError(err) || err.code === "FEATURE_NOT_ACTIVE") throw err;
        return dialog(
          t(actor.locale, "teams.licenceForm.title"),
          licenceFormCard(actor.locale, values, licenceFormErrors(rt, ctx, actor, err)),
        );
      }
    }),
  );

  app.taskModules.submit(
    VERB.activationForm,
    safely(async (ctx, actor, data) => {
      const { firmName, message } = parseData(activationValues, data);
      try {
        await requestActivation(rt.deps, actor, {
          firmName: firmName ?? "",
          message: message ?? "",
          requesterRef: requesterRefOf(rt, ctx, actor),
        });
      } catch (err) {
        if (!isServiceError(err) || err.code !== "INVALID") throw err;
        const fields = fieldMessages(err, actor.locale);
        const errors = {
          firmName: fields.firmName,
          message: fields.message,
          general: fields.firmName || fields.message ? undefined : describe(rt, ctx, err),
        };
        return dialog(
          t(actor.locale, "teams.activation.formTitle"),
          activationFormCard(actor.locale, { firmName, message, errors }),
        );
      }
      await sendPrivately(rt, ctx, [cardActivity(messageCard(t(actor.locale, "teams.activation.sent"), "good"))]);
      return undefined;
    }),
  );

  app.taskModules.fetch(
    VERB.clientForm,
    safely(async (_ctx, actor, data) => {
      const { taxId } = parseData(clientTarget, data);
      const client = getClient(rt.deps, actor, { taxId });
      return dialog(t(actor.locale, "teams.clientForm.title"), clientFormCard(actor.locale, client));
    }),
  );

  app.taskModules.submit(
    VERB.clientForm,
    safely(async (ctx, actor, data) => {
      const d = parseData(clientValues, data);
      const selfManaged = d.selfManaged === true || d.selfManaged === "true";
      try {
        const { client, changed } = setSelfManaged(rt.deps, actor, { taxId: d.taxId, selfManaged });
        const name = md(client.name);
        const notes: Notes = !changed
          ? { done: [t(actor.locale, "teams.client.unchanged", { name })] }
          : selfManaged
            ? { done: [t(actor.locale, "teams.client.selfManagedOn", { name })] }
            : { warn: [t(actor.locale, "client.watchAgain", { name })] };
        await sendPrivately(rt, ctx, [cardActivity(clientSavedCard(actor.locale, notes, client))]);
        return undefined;
      } catch (err) {
        if (!isServiceError(err) || err.code === "NOT_FOUND") throw err;
        const client = getClient(rt.deps, actor, { taxId: d.taxId });
        return dialog(
          t(actor.locale, "teams.clientForm.title"),
          clientFormCard(actor.locale, client, { selfManaged, error: describe(rt, ctx, err) }),
        );
      }
    }),
  );
}
