/**
 * Screens: what a person sees and can do, as data, in their language,
 * whatever the platform. The command layer (commands.ts, forms.ts and
 * screens/) builds them; `src/bot/slack/render.ts` turns them into Block Kit
 * and `src/bot/teams/render.ts` into Adaptive Cards. See
 * docs/architecture.md, "Screens and renderers".
 *
 * Every string in a screen is literal text: a renderer shows it exactly as
 * written (escaping what its platform would read as markup, mentions or
 * links), so a name someone typed can never become a link or a mention.
 * Emphasis and layout are structure (a title, a label, a code value), never
 * markup inside a text.
 */
import type { z } from "zod";
import type { Verb } from "./commands.ts";
import type { FormId } from "./forms.ts";

/** The colour of a note or a text: good news, a warning, a failure. */
export type Tone = "good" | "warning" | "attention";

/** A label and its value (a NIF, a state, a date). */
export interface Field {
  label: string;
  value: string;
}

/** A person's command to the bot, as a button carries it: a verb of the command table and its arguments. */
export interface Call {
  verb: Verb;
  /** Ids and page cursors; an undefined value is left out. */
  args: Record<string, string | number | undefined>;
}

/** Asked before a destructive button acts (Slack: its confirm dialog; Teams: a confirmation card). */
export interface Confirmation {
  title: string;
  text: string;
  /** The confirm button's label ("Desactivar"). */
  confirm: string;
  /** The cancel button's label ("Cancelar"). */
  deny: string;
  /** Where "Cancelar" leads back to (Teams, where the confirmation is a card of its own). */
  back: Call;
}

/** Where a button leads. */
export type Target =
  /** Runs a verb of the command table with these arguments (ids are re-checked against the acting firm). */
  | { run: Call }
  /** Opens a form (Slack: a modal; Teams: a dialog), with the data it carries (ids, re-checked on submit). */
  | { form: FormId; data?: Record<string, string | number> }
  /** Opens a link (a mailto: draft). */
  | { url: string };

export interface Action {
  label: string;
  target: Target;
  style?: "primary" | "danger";
  /** Asked first; only for `run` targets. */
  confirm?: Confirmation;
}

/** One line of the help: how to type it ("cliente <NIF>") and what it does. */
export interface Usage {
  /** The command word and its argument placeholder, without the platform's prefix. */
  usage: string;
  text: string;
}

/** The parts a card is made of, top to bottom. */
export type Block =
  | { type: "text"; text: string; tone?: Tone; subtle?: boolean; strong?: boolean }
  | { type: "heading"; text: string }
  | { type: "fields"; fields: Field[] }
  /** A value to copy exactly (a licence number), shown in monospace under its label. */
  | { type: "code"; label: string; value: string }
  /** Short lines of the same kind (a history), packed as the platform allows. */
  | { type: "lines"; items: string[] }
  /** Command words (the help): the renderer adds the platform's prefix ("/licencias "). */
  | { type: "usages"; items: Usage[] }
  /** One row of a list: its title, its details and its own buttons. */
  | { type: "item"; title: string; text?: string; fields?: Field[]; actions: Action[] };

export type BlockType = Block["type"];

/** A message to read and act on: a list, a licence, a notice with next steps. */
export interface CardScreen {
  kind: "card";
  title?: string;
  /** Under the title, in small print (a count). */
  subtitle?: string;
  /** Results of what the person just did, above everything else. */
  notes?: { text: string; tone: Tone }[];
  blocks: Block[];
  /** The card's own buttons (pages, "Nuevo", "Ver clientes"). */
  actions?: Action[];
}

/** A short answer: one text. */
export interface NoticeScreen {
  kind: "notice";
  text: string;
  tone?: Tone;
}

export type FieldKind = "text" | "multiline" | "email" | "phone" | "toggle";

/** One input of a form; its id is the use case's field name, so the use case's field errors map one to one. */
export interface FormField {
  id: string;
  label: string;
  /** A toggle's own text beside its box (the label names the column: "Autogestiona"). */
  option?: string;
  kind: FieldKind;
  required: boolean;
  maxLength?: number;
  placeholder?: string;
  /** The value shown (what the person typed, on a form shown again with errors). */
  value?: string | boolean;
  /** The message shown under the field. */
  error?: string;
  /** Shown when a required field is left empty, before anything is sent (Teams checks it on the client). */
  requiredMessage?: string;
}

/** A form (Slack modal, Teams dialog) for a form of forms.ts. */
export interface FormScreen {
  kind: "form";
  form: FormId;
  /** The data carried with the form and handed back on submit (ids; re-checked then). */
  data: Record<string, string | number>;
  /** The window's title (Slack allows 24 characters). */
  title: string;
  heading?: string;
  intro?: string;
  /** Read-only facts above the inputs (the client's NIF and licence). */
  facts?: Field[];
  fields: FormField[];
  submit: string;
  cancel: string;
  /** An error that belongs to no field, at the top. */
  error?: string;
  /** Where a platform cannot open a form by itself (a Teams message), the button that opens it. */
  openLabel: string;
  /**
   * A form shown over the form it came from (a preview): this button goes
   * back to that form with what was typed. Slack pushes the modal over the
   * form, and its close button, so labelled, goes back; Teams adds a second
   * submit button that sends the inputs with this data.
   */
  back?: { label: string; data: Record<string, string | number> };
}

export type Screen = CardScreen | NoticeScreen | FormScreen;
export type ScreenKind = Screen["kind"];

/**
 * What a command, a button or a form leads to: the screen to show the
 * person, and messages of their own for the person's private chat with the
 * bot (the licence details, kept there to copy or forward).
 */
export interface Outcome {
  screen: Screen;
  privately?: CardScreen[];
  /**
   * The screen was already shown to everyone where the button was (the
   * support desk updated the approval message): nothing else is sent there;
   * a platform that must answer the click (Teams) answers with the screen.
   */
  shownByDesk?: boolean;
  /**
   * The screen replaces the message clicked on for everyone who sees it
   * (support's revoke card in a channel: nobody clicks it again); otherwise
   * a click's answer is for the person who clicked.
   */
  forEveryone?: boolean;
  /**
   * Many messages for the person's private chat (a bulk send): the screen
   * comes first (it says they are on their way), then these, paced to the
   * platform's rate limit and off the request.
   */
  queued?: CardScreen[];
}

export const notice = (text: string, tone?: Tone): NoticeScreen => ({
  kind: "notice",
  text,
  ...(tone ? { tone } : {}),
});

export const outcome = (screen: Screen, extra: Omit<Outcome, "screen"> = {}): Outcome => ({ screen, ...extra });

/** A button that runs a verb. */
export function run(label: string, verb: Verb, args: Call["args"] = {}, extra: Partial<Action> = {}): Action {
  return { label, target: { run: { verb, args } }, ...extra };
}

/** A button that opens a form. */
export function openForm(
  label: string,
  form: FormId,
  data: Record<string, string | number> = {},
  extra: Partial<Action> = {},
): Action {
  return { label, target: { form, ...(Object.keys(data).length > 0 ? { data } : {}) }, ...extra };
}

/** Schema of a button's arguments, for the command table (re-validated on every click). */
export type ArgsSchema<I> = z.ZodType<I, z.ZodTypeDef, unknown>;
