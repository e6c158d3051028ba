/**
 * A small typed subset of Adaptive Cards 1.5 (what Teams renders), and the
 * escape every text goes through. Cards are built by render.ts only.
 */

export const CARD_VERSION = "1.5";

export type Color = "default" | "accent" | "good" | "warning" | "attention";

export interface TextBlock {
  type: "TextBlock";
  text: string;
  wrap?: boolean;
  weight?: "default" | "bolder" | "lighter";
  size?: "small" | "default" | "medium" | "large" | "extraLarge";
  color?: Color;
  isSubtle?: boolean;
  spacing?: "none" | "small" | "default" | "medium" | "large";
  fontType?: "default" | "monospace";
  separator?: boolean;
}

export interface FactSet {
  type: "FactSet";
  facts: { title: string; value: string }[];
}

export interface Container {
  type: "Container";
  items: CardElement[];
  separator?: boolean;
  spacing?: "none" | "small" | "default" | "medium" | "large";
  style?: "default" | "emphasis" | "good" | "attention" | "warning" | "accent";
}

export interface ActionSet {
  type: "ActionSet";
  actions: CardAction[];
}

export interface InputText {
  type: "Input.Text";
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  isRequired?: boolean;
  errorMessage?: string;
  style?: "text" | "email" | "tel" | "url";
}

export interface InputToggle {
  type: "Input.Toggle";
  id: string;
  title: string;
  label?: string;
  value?: "true" | "false";
  valueOn?: "true";
  valueOff?: "false";
  wrap?: boolean;
}

export type CardElement = TextBlock | FactSet | Container | ActionSet | InputText | InputToggle;

export type ActionData = Record<string, unknown>;

export interface ActionExecute {
  type: "Action.Execute";
  title: string;
  verb: string;
  data?: ActionData;
  style?: "default" | "positive" | "destructive";
  associatedInputs?: "auto" | "none";
}

/** Action.Submit: here only to open dialogs (task/fetch) and to submit them. */
export interface ActionSubmit {
  type: "Action.Submit";
  title: string;
  data: Record<string, unknown>;
  style?: "default" | "positive" | "destructive";
  associatedInputs?: "auto" | "none";
}

export interface ActionOpenUrl {
  type: "Action.OpenUrl";
  title: string;
  url: string;
}

export type CardAction = ActionExecute | ActionSubmit | ActionOpenUrl;

export interface Card {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
}

export function card(body: CardElement[], actions: CardAction[] = []): Card {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/**
 * Escapes what a person typed before it goes into a TextBlock or a fact
 * (both render a markdown subset in Teams), and Adaptive Card functions
 * such as {{DATE(…)}}, and tag-like text such as <at>…</at> (a mention
 * in Teams), so it is shown as typed.
 */
export function md(text: string): string {
  return text
    .replace(/([\\*_[\]])/g, "\\$1")
    .replace(/^(\s*)([-+])(\s)/gm, "$1\\$2$3")
    .replace(/^(\s*\d+)\.(\s)/gm, "$1\\.$2")
    .replace(/\{\{/g, "{\u200b{")
    .replace(/<(?=[a-z/!])/gi, "<\u200b")
    .replace(/\r?\n/g, "\n\n");
}
