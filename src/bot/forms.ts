/**
 * The form table: every form a person fills in (Slack modal, Teams dialog),
 * its fields, the data it carries and what submitting it does. A form
 * submitted with errors comes back with what was typed and each error under
 * its field. See docs/architecture.md, "The command table".
 */
import { z } from "zod";
import { formatLicenceNumber } from "../domain/licence-number.ts";
import { forbidden, invalid, isServiceError } from "../errors.ts";
import {
  type Actor,
  bulkDigest,
  CLIENT_FIELD_MAX,
  createLicence,
  createLicencesBulk,
  decideActivation,
  FIRM_NAME_MAX,
  getActivationRequest,
  getActivationStatus,
  getClient,
  isSupportActor,
  MESSAGE_MAX,
  previewLicencesBulk,
  REASON_MAX,
  requestActivation,
  SEARCH_MAX,
  setSelfManaged,
} from "../handlers/index.ts";
import { t } from "../i18n/index.ts";
import { answering, type BotContext, searchScreen, wordsOf } from "./commands.ts";
import { type FormField, type FormScreen, notice, type Outcome, outcome } from "./screen.ts";
import { requestScreen } from "./screens/activation.ts";
import {
  BULK_FIELD_MAX,
  BULK_FIELDS,
  type BulkValues,
  bulkFormScreen,
  bulkPreviewScreen,
  bulkResultScreen,
  bulkText,
} from "./screens/bulk.ts";
import { clientSavedScreen } from "./screens/clients.ts";
import { clientFacts, describeError, fieldMessages } from "./screens/common.ts";
import { licenceCreatedScreen } from "./screens/licences.ts";

export type FormId = "licence" | "bulk" | "activation" | "client" | "reject" | "search";

/** What a person typed or ticked, by field id, as the platform handed it over. */
export type FormValues = Record<string, string | boolean | undefined>;

type Errors = Record<string, string> & { general?: string };

interface FormSpec<D> {
  who: "advisor" | "support";
  /** The data the form carries (ids), checked again on submit. */
  data: z.ZodType<D, z.ZodTypeDef, unknown>;
  /** The form, with what was typed and the errors when it is shown again. */
  screen(ctx: BotContext, actor: Actor, data: D, values: FormValues, errors: Errors): FormScreen | Promise<FormScreen>;
  /** What opening it shows: the form, or why not (a feature no longer active, a request decided meanwhile). */
  open?(ctx: BotContext, actor: Actor, data: D): Outcome | Promise<Outcome>;
  /** Runs the use case; a ServiceError shows the form again with the errors. */
  submit(ctx: BotContext, actor: Actor, data: D, values: FormValues): Outcome | Promise<Outcome>;
}

const form = <D>(spec: FormSpec<D>): FormSpec<D> => spec;

const text = (values: FormValues, id: string): string => {
  const v = values[id];
  return typeof v === "string" ? v : "";
};

/** Text inputs of a form, with the typed values and the errors put back. */
function field(
  id: string,
  label: string,
  kind: FormField["kind"],
  options: { required?: boolean; maxLength?: number; placeholder?: string; requiredMessage?: string } & {
    values: FormValues;
    errors: Errors;
  },
): FormField {
  const value = options.values[id];
  return {
    id,
    label,
    kind,
    required: options.required ?? false,
    ...(options.maxLength ? { maxLength: options.maxLength } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.requiredMessage ? { requiredMessage: options.requiredMessage } : {}),
    ...(value !== undefined && value !== "" ? { value } : {}),
    ...(options.errors[id] ? { error: options.errors[id] } : {}),
  };
}

/** The bulk form's two paste fields, as typed. */
const pasted = (values: FormValues): BulkValues => ({ lines: text(values, "lines"), more: text(values, "more") });

const LICENCE_FIELDS = [
  { id: "taxId", label: "field.taxId", kind: "text", required: "field.taxId.required" },
  { id: "name", label: "field.name", kind: "text", required: "field.name.required" },
  { id: "contactPerson", label: "field.contactPerson", kind: "text" },
  { id: "email", label: "field.email", kind: "email" },
  { id: "phone", label: "field.phone", kind: "phone" },
  { id: "notes", label: "field.notes", kind: "multiline" },
] as const;

const empty = z
  .object({})
  .passthrough()
  .transform(() => ({}));

async function activationForm(ctx: BotContext, actor: Actor, values: FormValues, errors: Errors): Promise<FormScreen> {
  const locale = actor.locale;
  const { name } = await getActivationStatus(ctx.deps, actor);
  // A firm never named is stored under its workspace id: no name to suggest then.
  const stored = name && name !== actor.workspaceId ? name.slice(0, FIRM_NAME_MAX) : undefined;
  const shown = values.firmName === undefined && stored ? { ...values, firmName: stored } : values;
  return {
    kind: "form",
    form: "activation",
    data: {},
    title: t(locale, "activation.formTitle"),
    intro: t(locale, "activation.formIntro"),
    fields: [
      field("firmName", t(locale, "activation.firmNameLabel"), "text", {
        required: true,
        maxLength: FIRM_NAME_MAX,
        requiredMessage: t(locale, "activation.firmNameRequired"),
        values: shown,
        errors,
      }),
      field("message", t(locale, "activation.messageLabel"), "multiline", {
        required: true,
        maxLength: MESSAGE_MAX,
        placeholder: t(locale, "activation.messagePlaceholder"),
        requiredMessage: t(locale, "activation.messageRequired"),
        values,
        errors,
      }),
    ],
    submit: t(locale, "button.sendRequest"),
    cancel: t(locale, "button.cancel"),
    ...(errors.general ? { error: errors.general } : {}),
    openLabel: t(locale, "button.requestActivation"),
  };
}

/** Where the licence form cannot be used yet: the feature is pending, or to be requested. */
async function unlessActive(ctx: BotContext, actor: Actor): Promise<Outcome | undefined> {
  const { activationState: state } = await getActivationStatus(ctx.deps, actor);
  if (state === "active") return undefined;
  if (state === "pending") return outcome(notice(t(actor.locale, "activation.alreadyPending")));
  return outcome(await activationForm(ctx, actor, {}, {}));
}

export const FORMS = {
  /** "Mantenimiento de Licencias": the client's data ("Datos de la Licencia"). */
  licence: form({
    who: "advisor",
    data: empty,
    screen: (_ctx, actor, _data, values, errors) => {
      const locale = actor.locale;
      return {
        kind: "form",
        form: "licence",
        data: {},
        title: t(locale, "licenceForm.title"),
        heading: t(locale, "licenceForm.heading"),
        intro: t(locale, "licenceForm.intro"),
        fields: LICENCE_FIELDS.map((f) =>
          field(f.id, t(locale, f.label), f.kind, {
            required: "required" in f,
            maxLength: CLIENT_FIELD_MAX[f.id],
            ...("required" in f ? { requiredMessage: t(locale, f.required) } : {}),
            values,
            errors,
          }),
        ),
        submit: t(locale, "button.save"),
        cancel: t(locale, "button.cancel"),
        ...(errors.general ? { error: errors.general } : {}),
        openLabel: t(locale, "button.newLicence"),
      };
    },
    open: async (ctx, actor) => (await unlessActive(ctx, actor)) ?? outcome(await formScreen(ctx, actor, "licence")),
    submit: async (ctx, actor, _data, values) => {
      const licence = await createLicence(ctx.deps, actor, {
        taxId: text(values, "taxId"),
        name: text(values, "name"),
        contactPerson: text(values, "contactPerson"),
        email: text(values, "email"),
        phone: text(values, "phone"),
        notes: text(values, "notes"),
      });
      return outcome(licenceCreatedScreen(actor.locale, licence, formatLicenceNumber(licence.number)));
    },
  }),
  /**
   * *Nuevo en bloque*: the paste, then its preview (the same form with
   * `step: "confirm"` and the digest of the text checked), then the result.
   * Teams' *Corregir* submits `step: "edit"`; Slack's closes the preview.
   */
  bulk: form({
    who: "advisor",
    data: z.object({
      step: z.enum(["confirm", "edit"]).optional(),
      digest: z
        .string()
        .regex(/^[0-9a-f]{16}$/)
        .optional(),
    }),
    screen: (_ctx, actor, _data, values, errors) => bulkFormScreen(actor.locale, pasted(values), errors),
    open: async (ctx, actor) => (await unlessActive(ctx, actor)) ?? outcome(await formScreen(ctx, actor, "bulk")),
    submit: async (ctx, actor, data, values) => {
      const locale = actor.locale;
      const typed = pasted(values);
      if (data.step === "edit") return outcome(bulkFormScreen(locale, typed, {}));
      // Slack's input stops at 3000 characters and Teams' at the same maxLength: a longer value was not typed there.
      const long = BULK_FIELDS.filter((id) => Array.from(typed[id] ?? "").length > BULK_FIELD_MAX);
      if (long.length > 0) {
        throw invalid(long.map((field) => ({ field, message: "field.tooLong", params: { max: BULK_FIELD_MAX } })));
      }
      const text = bulkText(typed);
      if (data.step === "confirm" && data.digest === bulkDigest(text)) {
        return outcome(bulkResultScreen(locale, await createLicencesBulk(ctx.deps, actor, { text })));
      }
      const preview = await previewLicencesBulk(ctx.deps, actor, { text });
      if (preview.accepted === 0) return outcome(bulkFormScreen(locale, typed, {}, preview));
      return outcome(bulkPreviewScreen(locale, preview, typed, data.step === "confirm"));
    },
  }),
  /** "Solicitar activación": the firm's name and the message for support. */
  activation: form({
    who: "advisor",
    data: empty,
    screen: async (ctx, actor, _data, values, errors) => await activationForm(ctx, actor, values, errors),
    open: async (ctx, actor) => {
      const { activationState: state } = await getActivationStatus(ctx.deps, actor);
      if (state === "active") return outcome(notice(t(actor.locale, "activation.alreadyActive")));
      if (state === "pending") return outcome(notice(t(actor.locale, "activation.alreadyPending")));
      return outcome(await activationForm(ctx, actor, {}, {}));
    },
    submit: async (ctx, actor, _data, values) => {
      await requestActivation(ctx.deps, actor, {
        firmName: text(values, "firmName"),
        message: text(values, "message"),
        requesterRef: await ctx.requesterRef?.(),
      });
      return outcome(notice(t(actor.locale, "activation.sent"), "good"));
    },
  }),
  /** The client's configuration: the tick box "Este cliente gestiona sus propias notificaciones". */
  client: form({
    who: "advisor",
    data: z.object({ taxId: z.string().min(1).max(20) }),
    screen: async (ctx, actor, data, values, errors) => {
      const locale = actor.locale;
      const client = await getClient(ctx.deps, actor, { taxId: data.taxId });
      const ticked = typeof values.selfManaged === "boolean" ? values.selfManaged : client.selfManaged;
      return {
        kind: "form",
        form: "client",
        data: { taxId: client.taxId },
        title: t(locale, "clientForm.title"),
        heading: client.name,
        facts: clientFacts(locale, client),
        fields: [
          {
            id: "selfManaged",
            label: t(locale, "clients.selfManaged"),
            option: t(locale, "clientForm.selfManaged"),
            kind: "toggle",
            required: false,
            value: ticked,
            ...(errors.selfManaged ? { error: errors.selfManaged } : {}),
          },
        ],
        submit: t(locale, "button.save"),
        cancel: t(locale, "button.cancel"),
        ...(errors.general ? { error: errors.general } : {}),
        openLabel: t(locale, "button.configure"),
      };
    },
    submit: async (ctx, actor, data, values) => {
      const selfManaged = values.selfManaged === true || values.selfManaged === "true";
      const { client, changed } = await setSelfManaged(ctx.deps, actor, { taxId: data.taxId, selfManaged });
      return outcome(clientSavedScreen(actor.locale, client, changed));
    },
  }),
  /** The dashboard's Buscar: the text to look for in the clients' names, NIFs and e-mails. */
  search: form({
    who: "advisor",
    data: empty,
    screen: (_ctx, actor, _data, values, errors) => {
      const locale = actor.locale;
      return {
        kind: "form",
        form: "search",
        data: {},
        title: t(locale, "searchForm.title"),
        fields: [
          field("text", t(locale, "searchForm.label"), "text", {
            required: true,
            maxLength: SEARCH_MAX,
            placeholder: t(locale, "searchForm.placeholder"),
            requiredMessage: t(locale, "search.tooShort"),
            values,
            errors,
          }),
        ],
        submit: t(locale, "button.search"),
        cancel: t(locale, "button.cancel"),
        ...(errors.general ? { error: errors.general } : {}),
        openLabel: t(locale, "button.search"),
      };
    },
    submit: async (ctx, actor, _data, values) =>
      outcome(await searchScreen(ctx, actor, { text: text(values, "text") })),
  }),
  /** Rechazar: "Motivo del rechazo", for support staff in the support channel. */
  reject: form({
    who: "support",
    data: z.object({ requestId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
    screen: async (ctx, actor, data, values, errors) => {
      const locale = actor.locale;
      const request = await getActivationRequest(ctx.deps, actor, data.requestId);
      return {
        kind: "form",
        form: "reject",
        data: { requestId: request.id },
        title: t(locale, "reject.title"),
        intro: t(locale, "reject.intro", { id: request.id, firm: request.firmName }),
        fields: [
          field("reason", t(locale, "support.reason"), "multiline", {
            required: true,
            maxLength: REASON_MAX,
            placeholder: t(locale, "reject.placeholder"),
            requiredMessage: t(locale, "activation.reasonRequired"),
            values,
            errors,
          }),
        ],
        submit: t(locale, "button.reject"),
        cancel: t(locale, "button.cancel"),
        ...(errors.general ? { error: errors.general } : {}),
        openLabel: t(locale, "button.reject"),
      };
    },
    open: async (ctx, actor, data) => {
      if (!isSupportActor(ctx.deps.support, actor)) throw forbidden("activation.notSupport");
      const request = await getActivationRequest(ctx.deps, actor, data.requestId);
      if (request.status !== "pending") return outcome(requestScreen(actor.locale, request));
      return outcome(await formScreen(ctx, actor, "reject", data));
    },
    submit: async (ctx, actor, data, values) => {
      const request = await decideActivation(ctx.deps, actor, {
        requestId: data.requestId,
        decision: "reject",
        reason: text(values, "reason"),
      });
      return outcome(requestScreen(actor.locale, request), { shownByDesk: true });
    },
  }),
} satisfies Record<FormId, FormSpec<unknown>>;

function specOf(id: FormId): FormSpec<unknown> {
  return FORMS[id] as unknown as FormSpec<unknown>;
}

export const FORM_IDS = Object.keys(FORMS) as FormId[];

export function isFormId(value: unknown): value is FormId {
  return typeof value === "string" && Object.hasOwn(FORMS, value);
}

/** A form as first shown (data already checked by the caller). */
export async function formScreen(ctx: BotContext, actor: Actor, id: FormId, data: unknown = {}): Promise<FormScreen> {
  return await specOf(id).screen(ctx, actor, data, {}, {});
}

function checked(ctx: BotContext, actor: Actor, id: unknown, data: unknown): { id: FormId; data: unknown } | Outcome {
  if (!isFormId(id)) {
    const command = `${ctx.prefix}${wordsOf("list", actor.locale)[0]}`;
    return outcome(notice(t(actor.locale, "action.unknown", { command }), "attention"));
  }
  const parsed = specOf(id).data.safeParse(data ?? {});
  if (!parsed.success) return outcome(notice(t(actor.locale, "error.invalid"), "attention"));
  if (actor.guest) return outcome(notice(t(actor.locale, "error.guest"), "attention"));
  return { id, data: parsed.data };
}

/** A button that opens a form: the form, or what to show instead. */
export function openFormById(ctx: BotContext, actor: Actor, id: unknown, data: unknown): Promise<Outcome> {
  return answering(ctx, actor, async () => {
    const c = checked(ctx, actor, id, data);
    if ("screen" in c) return c;
    const spec = specOf(c.id);
    return spec.open ? await spec.open(ctx, actor, c.data) : outcome(await spec.screen(ctx, actor, c.data, {}, {}));
  });
}

/**
 * A submitted form: the use case's result, or the form again with what was
 * typed and the errors (each under its field; the rest at the top).
 */
export function submitForm(
  ctx: BotContext,
  actor: Actor,
  id: unknown,
  data: unknown,
  values: FormValues,
): Promise<Outcome> {
  return answering(ctx, actor, async () => {
    const c = checked(ctx, actor, id, data);
    if ("screen" in c) return c;
    const spec = specOf(c.id);
    try {
      return await spec.submit(ctx, actor, c.data, values);
    } catch (err) {
      if (!isServiceError(err) || err.code === "FEATURE_NOT_ACTIVE" || err.code === "NOT_FOUND") throw err;
      if (err.code === "ALREADY_DECIDED" && c.id === "reject") {
        const request = await getActivationRequest(ctx.deps, actor, (c.data as { requestId: number }).requestId);
        return outcome(requestScreen(actor.locale, request, describeError(err, actor.locale, ctx.deps.logger)));
      }
      const shown = await spec.screen(ctx, actor, c.data, values, {});
      const ids = new Set(shown.fields.map((f) => f.id));
      const errors: Errors = {};
      for (const [fieldId, message] of Object.entries(fieldMessages(err, actor.locale))) {
        if (ids.has(fieldId)) errors[fieldId] = message;
        else errors.general ??= message;
      }
      if (Object.keys(errors).length === 0) errors.general = describeError(err, actor.locale, ctx.deps.logger);
      return outcome(await spec.screen(ctx, actor, c.data, values, errors));
    }
  });
}

/** Who a form is for (support's forms answer in the support channel). */
export function formAudience(id: FormId): "advisor" | "support" {
  return specOf(id).who;
}
