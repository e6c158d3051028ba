/**
 * The command table: every verb a person can type or a button can carry, in
 * one place, for Slack and Teams alike. For each verb: its words in Spanish
 * and English, its argument, who may use it, and the function that runs the
 * use case and returns a screen (screen.ts). The platforms parse, verify and
 * render; they never decide what a verb does. See docs/architecture.md,
 * "The command table".
 */
import { z } from "zod";
import { type ErrorCode, invalid, isServiceError } from "../errors.ts";
import {
  type Actor,
  type AlertsChannel,
  createExportLink,
  type Deps,
  deactivateLicence,
  decideActivation,
  deleteLicence,
  type FirmRow,
  getActivationRequest,
  getActivationStatus,
  getFirm,
  getHistory,
  getLicence,
  getLicenceStatus,
  getSummary,
  type LicenceChange,
  type LicenceTarget,
  listClients,
  listFirms,
  listLicences,
  listNotifications,
  listPendingRequests,
  muteWatchInput,
  muteWatchItem,
  reactivateLicence,
  revokeActivation,
  searchClients,
  sendLicenceDetails,
  setAlertsChannel,
  unlinkLicence,
  watchFromFirm,
} from "../handlers/index.ts";
import { type TextId, t } from "../i18n/index.ts";
import { type FormId, formScreen } from "./forms.ts";
import { type Call, type CardScreen, notice, type Outcome, outcome } from "./screen.ts";
import { activationQuestionScreen, requestScreen } from "./screens/activation.ts";
import { bulkSendingScreen } from "./screens/bulk.ts";
import { clientsScreen, historyScreen, notificationsScreen } from "./screens/clients.ts";
import { describeError, knownNames } from "./screens/common.ts";
import { exportScreen } from "./screens/export.ts";
import { helpScreen } from "./screens/help.ts";
import {
  changeNotes,
  changePromptScreen,
  detailsScreen,
  type LicenceChangeKind,
  licenceScreen,
  licencesScreen,
  type Notes,
} from "./screens/licences.ts";
import { summaryScreen } from "./screens/summary.ts";
import {
  firmsScreen,
  pendingScreen,
  revokedScreen,
  revokeNotActiveScreen,
  revokePromptScreen,
} from "./screens/support.ts";
import { alertsScreen } from "./screens/watch.ts";

/**
 * Every verb: what people type and what buttons carry. A verb missing from
 * the table below, or one there that is not here, fails the type check.
 */
export type Verb =
  | "list"
  | "licence"
  | "summary"
  | "new"
  | "bulkNew"
  | "bulkSend"
  | "declineActivation"
  | "clients"
  | "client"
  | "send"
  | "deactivate"
  | "reactivate"
  | "unlink"
  | "delete"
  | "notifications"
  | "search"
  | "export"
  | "history"
  | "help"
  | "pending"
  | "firms"
  | "revoke"
  | "approve"
  | "alerts"
  | "watchFromFirm"
  | "muteWatch";

/** What the command layer needs from the platform for one request. */
export interface BotContext {
  deps: Deps;
  /** What comes before a command word on this platform: "/licencias " on Slack, nothing on Teams. */
  prefix: string;
  /** How to tell this person later (an activation decision): the platform's reference to their private chat. */
  requesterRef?: (() => Promise<string | undefined>) | undefined;
  /**
   * The shared channel this request came from, for the daily watch to post
   * in later (`avisos`): its id and the platform's reference; undefined in a
   * private chat with the bot.
   */
  alertsChannel?: ((actor: Actor) => AlertsChannel | undefined) | undefined;
}

/** What a typed argument is: a licence number or NIF, a NIF, a firm id, free text. */
export type ArgumentKind = "ref" | "taxId" | "firmId" | "text";

const ARGUMENT = {
  ref: { placeholder: "arg.ref", what: "arg.ref.what", example: "B12345674" },
  taxId: { placeholder: "arg.taxId", what: "arg.taxId.what", example: "B12345674" },
  firmId: { placeholder: "arg.firmId", what: "arg.firmId.what", example: "12" },
  text: { placeholder: "arg.text", what: "arg.text.what", example: "garcia" },
} as const satisfies Record<ArgumentKind, { placeholder: TextId; what: TextId; example: string }>;

/** Who may use a verb: an advisor of a firm, or support staff from the support channel. */
export type Audience = "advisor" | "support";

interface VerbSpec<I> {
  /** The words that type it (whole words, accents and case ignored); none for a verb only buttons carry. */
  words: { es: readonly string[]; en: readonly string[] };
  /** Its typed argument: none, or one that may or must follow the word. */
  argument?: { kind: ArgumentKind; required: boolean };
  who: Audience;
  /** Its answers carry no client data (the help): a platform may show them where they were asked, in a shared channel too. */
  shared?: true;
  /** Its line in the help; a verb without one is not listed. */
  help?: TextId;
  /** A button's arguments, checked on every click (the use case re-checks the ids against the acting firm). */
  input: z.ZodType<I, z.ZodTypeDef, unknown>;
  /** The typed argument as the input (verbs with words only). */
  typed?(arg: string): NoInfer<I>;
  run(ctx: BotContext, actor: Actor, input: NoInfer<I>): Outcome | Promise<Outcome>;
  /** Typed, or clicked on a platform without confirm dialogs: the question asked before it acts. */
  confirm?(ctx: BotContext, actor: Actor, input: NoInfer<I>): CardScreen | Promise<CardScreen>;
}

/** A verb's spec, with its input type inferred (the table below holds many). */
const verb = <I>(spec: VerbSpec<I>): VerbSpec<I> => spec;

/** A page cursor (src/db/cursor.ts): a client name of 200 characters makes one of about 600. */
const after = z.string().min(1).max(2048).optional();
const page = z.object({ after }).strict();
const licenceId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const licenceInput = z.object({
  licenceId: licenceId.optional(),
  ref: z.string().max(100).optional(),
  after,
  list: z.literal(1).optional(),
});
type LicenceInput = z.infer<typeof licenceInput>;
const none = z.object({}).strict();
const noArgs = () => ({});

function target(input: LicenceInput): LicenceTarget {
  if (input.licenceId !== undefined) return { licenceId: input.licenceId };
  return { text: input.ref ?? "" };
}

const CHANGE_USE_CASE: Record<
  LicenceChangeKind,
  (deps: Deps, actor: Actor, t: LicenceTarget) => Promise<LicenceChange>
> = {
  deactivate: deactivateLicence,
  reactivate: reactivateLicence,
  unlink: unlinkLicence,
  delete: deleteLicence,
};

/** The licence list page, with notes of what was just done. */
async function licencesPage(ctx: BotContext, actor: Actor, pageAfter?: string, notes?: Notes): Promise<CardScreen> {
  return licencesScreen(actor.locale, await listLicences(ctx.deps, actor, { after: pageAfter }), pageAfter, notes);
}

/** Desactivar, Reactivar, Desvincular, Eliminar: the use case, then the list page with what happened. */
function licenceChange(kind: LicenceChangeKind, help: TextId, words: VerbSpec<LicenceInput>["words"]) {
  return verb({
    words,
    argument: { kind: "ref", required: true },
    who: "advisor",
    help,
    input: licenceInput,
    typed: (ref) => ({ ref }),
    run: async (ctx, actor, input) => {
      const change = await CHANGE_USE_CASE[kind](ctx.deps, actor, target(input));
      return outcome(await licencesPage(ctx, actor, input.after, changeNotes(actor.locale, kind, change)));
    },
    ...(kind === "reactivate"
      ? {}
      : {
          confirm: async (ctx: BotContext, actor: Actor, input: LicenceInput) =>
            changePromptScreen(actor.locale, kind, await getLicence(ctx.deps, actor, target(input)), input.after),
        }),
  });
}

/** "nuevo", "nuevo varios": the form, or the activation question while the feature is not active. */
async function newForm(ctx: BotContext, actor: Actor, form: FormId): Promise<Outcome> {
  const { activationState: state } = await getActivationStatus(ctx.deps, actor);
  if (state === "active") return outcome(await formScreen(ctx, actor, form));
  if (state === "pending") return outcome(notice(t(actor.locale, "activation.alreadyPending")));
  return outcome(activationQuestionScreen(actor.locale, state));
}

/** "Clientes con «…»": a page of the clients a search found (typed, or from the dashboard's Buscar form). */
export async function searchScreen(ctx: BotContext, actor: Actor, input: { text: string; after?: string | undefined }) {
  const found = await searchClients(ctx.deps, actor, input);
  return clientsScreen(actor.locale, found, input.after, {
    title: t(actor.locale, "search.title", { text: found.text }),
    empty: t(actor.locale, "search.empty", { text: found.text }),
    pages: { verb: "search", args: { text: found.text } },
  });
}

/** What may follow "avisos": nothing (this channel), or a word that switches the channel off. */
const ALERTS_OFF = new Set(["no", "off", "desactivar", "quitar", "parar", "ninguno", "stop", "none"]);

function alertsWord(arg: string): { off?: 1 } {
  const word = arg.trim().toLowerCase();
  if (word === "") return {};
  if (ALERTS_OFF.has(word)) return { off: 1 };
  throw invalid([{ field: "text", message: "alerts.badWord" }]);
}

async function findFirm(deps: Deps, actor: Actor, firmId: number): Promise<FirmRow | undefined> {
  return await getFirm(deps, actor, { firmId });
}

function parseFirmId(text: string): number {
  const id = text.trim();
  if (!/^\d{1,15}$/.test(id) || Number(id) <= 0) throw invalid([{ field: "firmId", message: "revoke.badId" }]);
  return Number(id);
}

export const COMMANDS = {
  list: verb({
    words: { es: ["lista", "listar", "licencias"], en: ["list", "licences", "licenses"] },
    who: "advisor",
    help: "help.list",
    input: page,
    typed: noArgs,
    run: async (ctx, actor, input) => outcome(await licencesPage(ctx, actor, input.after)),
  }),
  licence: verb({
    words: { es: ["licencia", "ficha"], en: ["licence", "license"] },
    argument: { kind: "ref", required: true },
    who: "advisor",
    help: "help.licence",
    input: licenceInput,
    typed: (ref) => ({ ref }),
    run: async (ctx, actor, input) =>
      outcome(licenceScreen(actor.locale, await getLicenceStatus(ctx.deps, actor, target(input)))),
  }),
  summary: verb({
    words: { es: ["resumen", "inicio"], en: ["summary", "home"] },
    who: "advisor",
    help: "help.summary",
    input: none,
    typed: noArgs,
    run: async (ctx, actor) => outcome(summaryScreen(actor.locale, await getSummary(ctx.deps, actor))),
  }),
  new: verb({
    words: { es: ["nuevo", "nueva", "alta"], en: ["new"] },
    who: "advisor",
    help: "help.new",
    input: none,
    typed: (rest) => {
      // "nuevo varios" is a verb of its own (parseCommand); any other word after "nuevo" is answered.
      if (rest) throw invalid([{ field: "word", message: "bulk.unknownWord", params: { word: rest } }]);
      return {};
    },
    run: async (ctx, actor) => await newForm(ctx, actor, "licence"),
  }),
  /** *Nuevo en bloque*: "nuevo varios" (parseCommand reads two words), "varios", "bloque". */
  bulkNew: verb({
    words: { es: ["nuevo varios", "nueva varios", "varios", "bloque"], en: ["new bulk", "bulk"] },
    who: "advisor",
    help: "help.bulkNew",
    input: none,
    typed: noArgs,
    run: async (ctx, actor) => await newForm(ctx, actor, "bulk"),
  }),
  /** *Enviar datos de licencia* for every licence a bulk issue created: one private message per client, queued. */
  bulkSend: verb({
    words: { es: [], en: [] },
    who: "advisor",
    input: z
      .object({
        ids: z
          .string()
          .max(1000)
          .regex(/^\d{1,15}(?:\.\d{1,15}){0,49}$/),
      })
      .strict(),
    run: async (ctx, actor, input) => {
      const screens: CardScreen[] = [];
      let missing = 0;
      for (const id of new Set(input.ids.split(".").map(Number))) {
        try {
          screens.push(detailsScreen(actor.locale, await sendLicenceDetails(ctx.deps, actor, { licenceId: id })));
        } catch (err) {
          // Deleted meanwhile (or another firm's id): counted, never shown.
          if (!isCode(err, "NOT_FOUND")) throw err;
          missing++;
        }
      }
      return outcome(bulkSendingScreen(actor.locale, screens.length, missing), { queued: screens });
    },
  }),
  declineActivation: verb({
    words: { es: [], en: [] },
    who: "advisor",
    input: none,
    run: (_ctx, actor) => outcome(notice(t(actor.locale, "activation.declined"))),
  }),
  clients: verb({
    words: { es: ["clientes"], en: ["clients"] },
    who: "advisor",
    help: "help.clients",
    input: page,
    typed: noArgs,
    run: async (ctx, actor, input) =>
      outcome(clientsScreen(actor.locale, await listClients(ctx.deps, actor, { after: input.after }), input.after)),
  }),
  client: verb({
    words: { es: ["cliente"], en: ["client"] },
    argument: { kind: "taxId", required: true },
    who: "advisor",
    help: "help.client",
    input: z.object({ taxId: z.string().min(1).max(20) }).strict(),
    typed: (taxId) => ({ taxId }),
    run: async (ctx, actor, input) => outcome(await formScreen(ctx, actor, "client", input)),
  }),
  send: verb({
    words: { es: ["enviar"], en: ["send"] },
    argument: { kind: "ref", required: true },
    who: "advisor",
    help: "help.send",
    input: licenceInput,
    typed: (ref) => ({ ref }),
    run: async (ctx, actor, input) => {
      const details = await sendLicenceDetails(ctx.deps, actor, target(input));
      const sent = t(actor.locale, "details.sent", { name: details.licence.client.name });
      const screen =
        input.list === 1
          ? await licencesPage(ctx, actor, input.after, [{ text: sent, tone: "good" }])
          : notice(sent, "good");
      return outcome(screen, { privately: [detailsScreen(actor.locale, details)] });
    },
  }),
  deactivate: licenceChange("deactivate", "help.deactivate", { es: ["desactivar"], en: ["deactivate"] }),
  reactivate: licenceChange("reactivate", "help.reactivate", { es: ["reactivar"], en: ["reactivate"] }),
  unlink: licenceChange("unlink", "help.unlink", { es: ["desvincular"], en: ["unlink"] }),
  delete: licenceChange("delete", "help.delete", { es: ["eliminar", "borrar"], en: ["delete"] }),
  notifications: verb({
    words: { es: ["notificaciones"], en: ["notifications"] },
    argument: { kind: "taxId", required: false },
    who: "advisor",
    help: "help.notifications",
    input: z.object({ taxId: z.string().min(1).max(20).optional(), after }).strict(),
    typed: (taxId) => (taxId ? { taxId } : {}),
    run: async (ctx, actor, input) =>
      outcome(notificationsScreen(actor.locale, await listNotifications(ctx.deps, actor, input), input)),
  }),
  search: verb({
    words: { es: ["buscar"], en: ["search", "find"] },
    argument: { kind: "text", required: true },
    who: "advisor",
    help: "help.search",
    input: z.object({ text: z.string().min(1).max(200), after }).strict(),
    typed: (text) => ({ text }),
    run: async (ctx, actor, input) => outcome(await searchScreen(ctx, actor, input)),
  }),
  export: verb({
    words: { es: ["exportar"], en: ["export"] },
    who: "advisor",
    help: "help.export",
    input: none,
    typed: noArgs,
    // The link opens the firm's data: like every advisor answer, it is shown to the person who asked only.
    run: async (ctx, actor) => outcome(exportScreen(actor.locale, await createExportLink(ctx.deps, actor))),
  }),
  history: verb({
    words: { es: ["historial"], en: ["history"] },
    argument: { kind: "ref", required: true },
    who: "advisor",
    help: "help.history",
    input: z.object({ taxId: z.string().min(1).max(100) }).strict(),
    typed: (taxId) => ({ taxId }),
    run: async (ctx, actor, input) =>
      outcome(historyScreen(actor.locale, await getHistory(ctx.deps, actor, { text: input.taxId }), knownNames(actor))),
  }),
  help: verb({
    words: { es: ["ayuda"], en: ["help"] },
    who: "advisor",
    shared: true,
    help: "help.help",
    input: none,
    typed: noArgs,
    run: (ctx, actor) => outcome(helpScreen(ctx, actor)),
  }),
  pending: verb({
    words: { es: ["pendientes"], en: ["pending"] },
    who: "support",
    help: "help.pending",
    input: none,
    typed: noArgs,
    run: async (ctx, actor) => outcome(pendingScreen(actor.locale, await listPendingRequests(ctx.deps, actor))),
  }),
  firms: verb({
    words: { es: ["despachos"], en: ["firms"] },
    who: "support",
    help: "help.firms",
    input: page,
    typed: noArgs,
    run: async (ctx, actor, input) =>
      outcome(
        firmsScreen(actor.locale, await listFirms(ctx.deps, actor, { after: input.after }), input.after, {
          revoke: `${ctx.prefix}${wordsOf("revoke", actor.locale)[0]}`,
        }),
      ),
  }),
  revoke: verb({
    words: { es: ["revocar"], en: ["revoke"] },
    argument: { kind: "firmId", required: true },
    who: "support",
    help: "help.revoke",
    input: z.object({ firmId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict(),
    typed: (text) => ({ firmId: parseFirmId(text) }),
    confirm: async (ctx, actor, input) => {
      const firm = await findFirm(ctx.deps, actor, input.firmId);
      if (!firm) throw invalid([{ field: "firmId", message: "activation.firmNotFound" }]);
      // Only an active firm can be revoked: nothing to ask otherwise.
      if (firm.activationState !== "active") return revokeNotActiveScreen(actor.locale, firm);
      return revokePromptScreen(actor.locale, firm);
    },
    run: async (ctx, actor, input) => {
      try {
        const firm = await revokeActivation(ctx.deps, actor, { firmId: input.firmId });
        const by = actor.userName ?? actor.userId;
        const screen = revokedScreen(actor.locale, firm, by, ctx.deps.now(), firm.selfManagedCleared);
        return outcome(screen, { forEveryone: true });
      } catch (err) {
        // Revoked meanwhile (a second click): the firm as it is now.
        const current = isCode(err, "CONFLICT") ? await findFirm(ctx.deps, actor, input.firmId) : undefined;
        if (!current) throw err;
        return outcome(revokeNotActiveScreen(actor.locale, current), { forEveryone: true });
      }
    },
  }),
  approve: verb({
    words: { es: [], en: [] },
    who: "support",
    input: z.object({ requestId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict(),
    run: async (ctx, actor, input) => {
      try {
        const request = await decideActivation(ctx.deps, actor, { requestId: input.requestId, decision: "approve" });
        return outcome(requestScreen(actor.locale, request), { shownByDesk: true });
      } catch (err) {
        if (!isCode(err, "ALREADY_DECIDED")) throw err;
        const request = await getActivationRequest(ctx.deps, actor, input.requestId);
        return outcome(requestScreen(actor.locale, request, describeError(err, actor.locale, ctx.deps.logger)));
      }
    },
  }),
  alerts: verb({
    words: { es: ["avisos"], en: ["alerts"] },
    who: "advisor",
    // Its answers carry no client data: shown where it was typed (the channel it is about).
    shared: true,
    help: "help.alerts",
    input: z.object({ off: z.literal(1).optional() }).strict(),
    typed: alertsWord,
    run: async (ctx, actor, input) => {
      const result = await setAlertsChannel(ctx.deps, actor, ctx.alertsChannel?.(actor), { off: input.off === 1 });
      return outcome(
        alertsScreen(actor.locale, result, {
          command: `${ctx.prefix}${wordsOf("alerts", actor.locale)[0]}`,
          hour: ctx.deps.watch.hour,
        }),
      );
    },
  }),
  watchFromFirm: verb({
    words: { es: [], en: [] },
    who: "advisor",
    input: z.object({ licenceId }).strict(),
    run: async (ctx, actor, input) => {
      const { client, changed } = await watchFromFirm(ctx.deps, actor, input);
      const text = t(actor.locale, changed ? "watch.fromFirm" : "watch.fromFirm.already", { name: client.name });
      return outcome(notice(text, changed ? "good" : undefined));
    },
  }),
  muteWatch: verb({
    words: { es: [], en: [] },
    who: "advisor",
    input: muteWatchInput.strict(),
    run: async (ctx, actor, input) => {
      await muteWatchItem(ctx.deps, actor, input);
      return outcome(notice(t(actor.locale, "watch.muted"), "good"));
    },
  }),
  /** The watch's "Enviar de nuevo": the details again, privately, as `send` does. */
} satisfies Record<Verb, VerbSpec<unknown>>;

function isCode(err: unknown, code: ErrorCode): boolean {
  return isServiceError(err) && err.code === code;
}

/** The spec of a verb, with its input type erased (the table's entries each have their own). */
function specOf(v: Verb): VerbSpec<unknown> {
  return COMMANDS[v] as unknown as VerbSpec<unknown>;
}

export const VERBS = Object.keys(COMMANDS) as Verb[];

export function isVerb(value: unknown): value is Verb {
  return typeof value === "string" && Object.hasOwn(COMMANDS, value);
}

/** Who a verb is for: an advisor's answers carry client data; support's stay in the support channel. */
export function audienceOf(v: Verb): Audience {
  return specOf(v).who;
}

/** Whether a verb's answers may be shown where it was asked, in a shared channel: support's, and those without client data. */
export function answersInPlace(v: Verb): boolean {
  const spec = specOf(v);
  return spec.who === "support" || spec.shared === true;
}

/** The words of a verb in a language (the first is the one the help shows). */
export function wordsOf(v: Verb, locale: "es" | "en"): readonly string[] {
  return COMMANDS[v].words[locale];
}

function normalise(word: string): string {
  return word
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
}

const WORDS = new Map<string, Verb>();
for (const v of VERBS) {
  for (const word of [...COMMANDS[v].words.es, ...COMMANDS[v].words.en]) {
    const key = normalise(word);
    if (WORDS.has(key)) throw new Error(`the command word ${word} is in the table twice`);
    WORDS.set(key, v);
  }
}

export interface ParsedCommand {
  verb: Verb;
  /** The word as typed. */
  word: string;
  /** The rest of the text (a licence number, a tax id, a firm id), trimmed. */
  arg: string;
  /** The word was not known: the help is shown. */
  unknown?: string;
}

/** Parses the text after the command (Slack) or the message without the @mention (Teams). Whole words only. */
export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === "") return { verb: "list", word: "", arg: "" };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  // A verb of two words ("nuevo varios") before one of one ("nuevo").
  const [second, ...after] = rest;
  const two = second === undefined ? undefined : WORDS.get(normalise(`${first} ${second}`));
  if (two) return { verb: two, word: `${first} ${second}`, arg: after.join(" ") };
  const found = WORDS.get(normalise(first));
  if (!found) return { verb: "help", word: first, arg: "", unknown: first };
  return { verb: found, word: first, arg: rest.join(" ") };
}

/** The help lines of a verb: how it is typed, in the person's language, and what it does. */
export function usageOf(ctx: Pick<BotContext, "prefix">, v: Verb, locale: "es" | "en"): string {
  const spec = specOf(v);
  const word = COMMANDS[v].words[locale][0] ?? "";
  if (!spec.argument) return `${ctx.prefix}${word}`;
  const placeholder = t(locale, ARGUMENT[spec.argument.kind].placeholder);
  return `${ctx.prefix}${word} ${spec.argument.required ? placeholder : `[${placeholder}]`}`;
}

export function helpOf(v: Verb): TextId | undefined {
  return specOf(v).help;
}

/** Whether the person is where support works: the configured support channel of their platform. */
export function inSupportChannel(deps: Deps, actor: Actor): boolean {
  const channel = actor.platform === "slack" ? deps.support.slackChannelId : deps.support.teamsChannelId;
  return Boolean(channel) && actor.channelId === channel;
}

/** Runs `work`; a refusal or a failure becomes a translated notice (never silence, never a stack trace). */
export async function answering(
  ctx: BotContext,
  actor: Actor,
  work: () => Outcome | Promise<Outcome>,
): Promise<Outcome> {
  try {
    return await work();
  } catch (err) {
    return outcome(notice(describeError(err, actor.locale, ctx.deps.logger), "attention"));
  }
}

/** A refusal before anything runs: guests, and support's words outside the support channel. */
function refusal(ctx: BotContext, actor: Actor, v: Verb): Outcome | undefined {
  if (actor.guest) return outcome(notice(t(actor.locale, "error.guest"), "attention"));
  if (specOf(v).who === "support" && !inSupportChannel(ctx.deps, actor)) {
    return outcome(notice(t(actor.locale, "support.onlyThere"), "attention"));
  }
  return undefined;
}

/** A typed command: the word's use case, or its confirmation first, or the help. */
export function runCommand(ctx: BotContext, actor: Actor, text: string): Promise<Outcome> {
  return answering(ctx, actor, async () => {
    const command = parseCommand(text);
    if (command.unknown !== undefined) return outcome(helpScreen(ctx, actor, command.unknown));
    const refused = refusal(ctx, actor, command.verb);
    if (refused) return refused;
    const spec = specOf(command.verb);
    if (spec.argument?.required && !command.arg) {
      const kind = ARGUMENT[spec.argument.kind];
      return outcome(
        notice(
          t(actor.locale, "arg.missing", {
            what: t(actor.locale, kind.what),
            example: `${ctx.prefix}${command.word.toLowerCase()} ${kind.example}`,
          }),
        ),
      );
    }
    const input = spec.typed ? spec.typed(command.arg) : {};
    if (spec.confirm) return outcome(await spec.confirm(ctx, actor, input));
    return spec.run(ctx, actor, input);
  });
}

/** The call a button carries, checked: a known verb and arguments of the right shape. */
function checkedCall(ctx: BotContext, actor: Actor, call: unknown): { verb: Verb; input: unknown } | Outcome {
  const c = call as Partial<Call> | null | undefined;
  if (!c || typeof c !== "object" || !isVerb(c.verb)) {
    return outcome(
      notice(
        t(actor.locale, "action.unknown", { command: `${ctx.prefix}${wordsOf("list", actor.locale)[0]}` }),
        "attention",
      ),
    );
  }
  const parsed = specOf(c.verb).input.safeParse(c.args ?? {});
  if (!parsed.success) return outcome(notice(t(actor.locale, "error.invalid"), "attention"));
  return { verb: c.verb, input: parsed.data };
}

/** A button: the verb it carries, with its arguments checked again. */
export function runCall(ctx: BotContext, actor: Actor, call: unknown): Promise<Outcome> {
  return answering(ctx, actor, () => {
    const checked = checkedCall(ctx, actor, call);
    if ("screen" in checked) return checked;
    return refusal(ctx, actor, checked.verb) ?? specOf(checked.verb).run(ctx, actor, checked.input);
  });
}

/**
 * A destructive button on a platform without confirm dialogs (Teams): the
 * confirmation card, whose button then runs the call. A verb that asks
 * nothing runs at once.
 */
export function confirmCall(ctx: BotContext, actor: Actor, call: unknown): Promise<Outcome> {
  return answering(ctx, actor, async () => {
    const checked = checkedCall(ctx, actor, call);
    if ("screen" in checked) return checked;
    const refused = refusal(ctx, actor, checked.verb);
    if (refused) return refused;
    const spec = specOf(checked.verb);
    return spec.confirm ? outcome(await spec.confirm(ctx, actor, checked.input)) : spec.run(ctx, actor, checked.input);
  });
}
