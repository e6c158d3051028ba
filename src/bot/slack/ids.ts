import { isVerb, type Verb } from "../commands.ts";
import { type FormId, isFormId } from "../forms.ts";

/** The slash command, as declared in manifests/slack/manifest.json. */
export const COMMAND = "/licencias";

/** The action_id of the one element of every input block (block ids are the form's field ids). */
export const INPUT_ACTION = "value";

/** The callback_id of a modal that only shows a screen: nothing to submit. */
export const SCREEN_VIEW = "screen";

/**
 * What a button's action_id says, derived from the command and form tables:
 * `run:<verb>` (its arguments as JSON in the value), `form:<id>` (its data as
 * JSON in the value), `link` (a link button: Slack still tells the app).
 * A suffix `:<n>` keeps two buttons of one block apart (Slack wants them unique).
 */
export type ButtonId =
  | { kind: "run"; verb: Verb }
  | { kind: "form"; form: FormId }
  | { kind: "link" }
  /** A button of ours whose verb or form no longer exists (an older release's message): answered, not ignored. */
  | { kind: "stale" };

/** A button the app shows (a stale one is only ever parsed). */
export type ShownButton = Exclude<ButtonId, { kind: "stale" }>;

export function buttonActionId(id: ShownButton, index = 0): string {
  const base = id.kind === "run" ? `run:${id.verb}` : id.kind === "form" ? `form:${id.form}` : "link";
  return index > 0 ? `${base}:${index}` : base;
}

const ACTION_ID = /^(run|form):([A-Za-z]{1,40})(?::\d{1,2})?$|^link(?::\d{1,2})?$/;

/** The button an action_id names, or undefined when it names nothing the app shows. */
export function parseActionId(actionId: string): ButtonId | undefined {
  const m = ACTION_ID.exec(actionId);
  if (!m) return undefined;
  if (!m[1]) return { kind: "link" };
  const name = m[2] ?? "";
  if (m[1] === "run") return isVerb(name) ? { kind: "run", verb: name } : { kind: "stale" };
  return isFormId(name) ? { kind: "form", form: name } : { kind: "stale" };
}

/** The action_ids Bolt listens to (listeners/actions): anything parseActionId knows. */
export const BUTTON_ACTIONS = /^(?:run|form):[A-Za-z]{1,40}(?::\d{1,2})?$|^link(?::\d{1,2})?$/;

/** Every modal that can be submitted is a form of the form table, its callback_id the form's id. */
export const isFormCallback = (callbackId: string): callbackId is FormId => isFormId(callbackId);
