import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from "@slack/types";

/**
 * Block Kit's building blocks for the renderer (render/index.ts), with
 * Slack's documented limits (tested in test/slack/limits.test.ts).
 */
export const LIMITS = {
  modalTitle: 24,
  modalButton: 24,
  modalBlocks: 100,
  homeBlocks: 100,
  messageBlocks: 50,
  buttonText: 75,
  buttonValue: 2000,
  privateMetadata: 3000,
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  contextElements: 10,
  messageText: 4000,
  sectionFields: 10,
  actionsElements: 25,
  inputPlaceholder: 150,
  inputError: 300,
} as const;

/** A message for chat.postMessage / respond(): the fallback text (notifications) and the blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/**
 * How many characters (code points) a text has, for comparing with a limit:
 * exact above `atMost`; at or below it, the text's length, which is never
 * less than its count (a string has at least as many UTF-16 units as code
 * points), so `charCount(t, max) <= max` is exact without counting.
 */
export function charCount(text: string, atMost: number): number {
  return text.length <= atMost ? text.length : Array.from(text).length;
}

/** Cuts a text to `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  // A string has at least as many UTF-16 units as code points: most texts need no counting.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * Escapes the three characters Slack's mrkdwn gives meaning to, so that a
 * text someone typed cannot become a link or a mention (`<!channel>`).
 * Formatting characters (`*`, `_`, `~`) are not escapable: texts people typed
 * go in plain_text objects instead, which Slack shows literally.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A plain_text object: shown literally, no emoji codes, never empty. */
export function plain(text: string, max: number = LIMITS.sectionText): PlainTextElement {
  return { type: "plain_text", text: truncate(text.trim() === "" ? "-" : text, max), emoji: false };
}

/** A mrkdwn object for texts of ours (catalogue texts, ids); anything typed by a person must be escaped first. */
export function mrkdwn(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: "mrkdwn", text: truncate(text, max) };
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: plain(text, LIMITS.headerText) };
}

/** A section whose text is shown literally (safe for names, messages, reasons). */
export function plainSection(text: string, blockId?: string): SectionBlock {
  return { type: "section", ...(blockId ? { block_id: blockId } : {}), text: plain(text) };
}

export function mrkdwnSection(text: string, blockId?: string): SectionBlock {
  return { type: "section", ...(blockId ? { block_id: blockId } : {}), text: mrkdwn(text) };
}

export function context(texts: (PlainTextElement | MrkdwnElement)[]): ContextBlock {
  return { type: "context", elements: texts.slice(0, LIMITS.contextElements) };
}

export function actions(elements: Button[], blockId?: string): ActionsBlock {
  return { type: "actions", ...(blockId ? { block_id: blockId } : {}), elements };
}

export function button(options: {
  text: string;
  actionId: string;
  value?: string;
  style?: "primary" | "danger";
  confirm?: ConfirmationDialog;
}): Button {
  return {
    type: "button",
    text: plain(options.text, LIMITS.buttonText),
    action_id: options.actionId,
    ...(options.value !== undefined ? { value: truncate(options.value, LIMITS.buttonValue) } : {}),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

/** Slack's own "Are you sure?" dialog, shown before a destructive button acts. */
export function confirmDialog(options: {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  style?: "primary" | "danger";
}): ConfirmationDialog {
  return {
    title: plain(options.title, LIMITS.confirmTitle),
    text: plain(options.text, LIMITS.confirmText),
    confirm: plain(options.confirm, LIMITS.confirmButton),
    deny: plain(options.deny, LIMITS.confirmButton),
    ...(options.style ? { style: options.style } : {}),
  };
}

export function modal(options: {
  callbackId?: string;
  title: string;
  blocks: KnownBlock[];
  submit?: string;
  close: string;
  privateMetadata?: string;
}): ModalView {
  return {
    type: "modal",
    ...(options.callbackId ? { callback_id: options.callbackId } : {}),
    title: plain(options.title, LIMITS.modalTitle),
    blocks: options.blocks.slice(0, LIMITS.modalBlocks),
    ...(options.submit ? { submit: plain(options.submit, LIMITS.modalButton) } : {}),
    close: plain(options.close, LIMITS.modalButton),
    ...(options.privateMetadata ? { private_metadata: options.privateMetadata } : {}),
  };
}

/** A message whose fallback text (notifications show it) is escaped: it may name a client or a firm. */
export function message(text: string, blocks: KnownBlock[]): SlackMessage {
  return { text: truncate(escapeMrkdwn(text), LIMITS.messageText), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
