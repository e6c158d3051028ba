/**
 * The Slack renderer: a screen (src/bot/screen.ts) as Block Kit, a message
 * or a modal. Pure functions; every text of a screen is literal, so texts go
 * in plain_text objects, and the few in mrkdwn (bold labels, code, the help's
 * command words, a mailto link) are escaped. Slack's limits are kept here
 * (render/blocks.ts). See docs/architecture.md, "Screens and renderers".
 */
import type {
  Button,
  HomeView,
  InputBlock,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  PlainTextElement,
} from "@slack/types";
import type { Locale } from "../../../config.ts";
import { t } from "../../../i18n/index.ts";
import type { FormId } from "../../forms.ts";
import type {
  Action,
  Block,
  BlockType,
  CardScreen,
  Field,
  FieldKind,
  FormField,
  FormScreen,
  NoticeScreen,
  Screen,
  ScreenKind,
  Tone,
} from "../../screen.ts";
import { buttonActionId, INPUT_ACTION, SCREEN_VIEW, type ShownButton } from "../ids.ts";
import {
  actions,
  button,
  charCount,
  confirmDialog,
  context,
  escapeMrkdwn,
  header,
  LIMITS,
  message,
  mrkdwn,
  mrkdwnSection,
  plain,
  plainSection,
  type SlackMessage,
  truncate,
} from "./blocks.ts";

export type { SlackMessage };

/** Slack blocks have no colours: a note's tone is a sign before its text. */
const TONE_SIGN = { good: "✅ ", warning: "⚠️ ", attention: "⛔ " } as const satisfies Record<Tone, string>;

const toned = (text: string, tone?: Tone): string => (tone ? `${TONE_SIGN[tone]}${text}` : text);

/** Texts longer than a section holds are split (at line ends where possible), never lost. */
export function chunks(text: string, max: number = LIMITS.sectionText): string[] {
  const out: string[] = [];
  let current = "";
  const push = (line: string) => {
    let rest = line;
    while (charCount(rest, max) > max) {
      const chars = Array.from(rest);
      out.push(chars.slice(0, max).join(""));
      rest = chars.slice(max).join("");
    }
    current = rest;
  };
  for (const line of text.split("\n")) {
    const next = current === "" ? line : `${current}\n${line}`;
    if (charCount(next, max) <= max) current = next;
    else {
      if (current !== "") out.push(current);
      push(line);
    }
  }
  if (current !== "" || out.length === 0) out.push(current);
  return out;
}

/** Lines packed into as few sections as the section text limit allows. */
export function packLines(lines: string[], max: number = LIMITS.sectionText): string[] {
  return lines.length === 0 ? [] : chunks(lines.join("\n"), max);
}

/** Characters mrkdwn reads as formatting and cannot escape: a text holding them stays plain_text. */
const FORMATTING = /[*_~`]/;

/** A label in bold: mrkdwn when that is safe, else the same words shown literally. */
function bold(text: string, max: number = LIMITS.sectionText): PlainTextElement | MrkdwnElement {
  const escaped = escapeMrkdwn(text);
  if (FORMATTING.test(text) || charCount(escaped, max - 2) + 2 > max) return plain(text, max);
  return mrkdwn(`*${escaped}*`, max);
}

const fieldText = (f: Field) => `${f.label}: ${f.value}`;

function fieldSections(fields: Field[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.sectionFields) {
    const group = fields.slice(i, i + LIMITS.sectionFields);
    out.push({ type: "section", fields: group.map((f) => plain(fieldText(f), LIMITS.fieldText)) });
  }
  return out;
}

/** A mailto: URL as a mrkdwn link target: entities escaped, markup characters percent-encoded (same meaning). */
function linkTarget(url: string): string {
  return escapeMrkdwn(url).replace(
    /[*_~`|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** The button's id and value: the call or the form it carries, as JSON (re-checked on click). */
function carried(action: Action): { id: ShownButton; value: string } | undefined {
  const target = action.target;
  if ("run" in target) return { id: { kind: "run", verb: target.run.verb }, value: JSON.stringify(target.run.args) };
  if ("form" in target) return { id: { kind: "form", form: target.form }, value: JSON.stringify(target.data ?? {}) };
  return undefined;
}

/**
 * Buttons (each action_id unique in its block), and links: an http(s) link
 * is a button with its url; any other (mailto:, which buttons may refuse) a
 * mrkdwn link.
 */
export function renderActions(list: Action[]): KnownBlock[] {
  const seen = new Map<string, number>();
  const index = (base: string) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n;
  };
  const buttons: Button[] = [];
  const links: string[] = [];
  for (const action of list) {
    const target = action.target;
    if ("url" in target) {
      if (/^https?:\/\//.test(target.url) && target.url.length <= 3000) {
        const b = button({ text: action.label, actionId: buttonActionId({ kind: "link" }, index("link")) });
        buttons.push({ ...b, url: target.url });
      } else {
        links.push(`<${linkTarget(target.url)}|${escapeMrkdwn(action.label)}>`);
      }
      continue;
    }
    const c = carried(action);
    if (!c) continue;
    const base = buttonActionId(c.id);
    const confirm = action.confirm;
    buttons.push(
      button({
        text: action.label,
        actionId: buttonActionId(c.id, index(base)),
        value: c.value,
        ...(action.style ? { style: action.style } : {}),
        ...(confirm
          ? {
              confirm: confirmDialog({
                title: confirm.title,
                text: confirm.text,
                confirm: confirm.confirm,
                deny: confirm.deny,
                ...(action.style === "danger" ? { style: "danger" as const } : {}),
              }),
            }
          : {}),
      }),
    );
  }
  const out: KnownBlock[] = [];
  if (links.length > 0) out.push(mrkdwnSection(links.join("\n")));
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    out.push(actions(buttons.slice(i, i + LIMITS.actionsElements)));
  }
  return out;
}

type BlockOf<K extends BlockType> = Extract<Block, { type: K }>;

/** Every block type of a screen, as Block Kit: a new type without a renderer fails the type check. */
const BLOCKS = {
  text: (b) =>
    b.subtle
      ? chunks(toned(b.text, b.tone), LIMITS.fieldText).map((c) => context([plain(c)]))
      : chunks(toned(b.text, b.tone)).map((c) => plainSection(c)),
  heading: (b) => [{ type: "section", text: bold(b.text) }],
  fields: (b) => fieldSections(b.fields),
  code: (b) =>
    FORMATTING.test(b.label) || b.value.includes("`")
      ? [plainSection(`${b.label}\n${b.value}`)]
      : [mrkdwnSection(`*${escapeMrkdwn(b.label)}*\n\`${escapeMrkdwn(b.value)}\``)],
  lines: (b) => packLines(b.items).map((c) => plainSection(c)),
  usages: (b) =>
    b.items.some((u) => FORMATTING.test(u.usage) || FORMATTING.test(u.text))
      ? packLines(b.items.map((u) => `${u.usage}  ${u.text}`)).map((c) => plainSection(c))
      : packLines(b.items.map((u) => `\`${escapeMrkdwn(u.usage)}\` ${escapeMrkdwn(u.text)}`)).map((c) =>
          mrkdwnSection(c),
        ),
  item: (b) => [
    plainSection([b.title, b.text, ...(b.fields ?? []).map(fieldText)].filter((x) => x !== undefined).join("\n")),
    ...renderActions(b.actions),
  ],
} satisfies { [K in BlockType]: (block: BlockOf<K>) => KnownBlock[] };

export function renderBlock(block: Block): KnownBlock[] {
  return (BLOCKS[block.type] as (b: Block) => KnownBlock[])(block);
}

/** Whole groups of blocks while they fit (a list item is never cut from its buttons); the tail always fits. */
function fitBlocks(head: KnownBlock[], groups: KnownBlock[][], tail: KnownBlock[], max: number): KnownBlock[] {
  const out = [...head];
  for (const group of groups) {
    if (out.length + group.length + tail.length > max) break;
    out.push(...group);
  }
  return [...out, ...tail].slice(0, max);
}

function cardBlocks(screen: CardScreen, max: number, withTitle: boolean): KnownBlock[] {
  const head: KnownBlock[] = [];
  if (withTitle && screen.title) head.push(header(screen.title));
  if (screen.subtitle) head.push(context([plain(screen.subtitle, LIMITS.fieldText)]));
  for (const note of screen.notes ?? []) head.push(...chunks(toned(note.text, note.tone)).map((c) => plainSection(c)));
  return fitBlocks(head, screen.blocks.map(renderBlock), renderActions(screen.actions ?? []), max);
}

const noticeBlocks = (screen: NoticeScreen): KnownBlock[] =>
  chunks(toned(screen.text, screen.tone)).map((c) => plainSection(c));

/** What a screen says first: the fallback text of its message (escaped by `message`). */
function summary(locale: Locale, screen: Screen): string {
  if (screen.kind === "notice") return screen.text;
  if (screen.title) return screen.title;
  if (screen.kind === "card") {
    const first = screen.notes?.[0]?.text ?? screen.blocks.find((b) => b.type === "text")?.text;
    if (first) return first;
  }
  return t(locale, "slack.appName");
}

/** Every kind of screen as a message (a form, where no trigger can open it, is the button that does). */
const MESSAGES = {
  card: (_locale, screen) => cardBlocks(screen, LIMITS.messageBlocks, true),
  notice: (_locale, screen) => noticeBlocks(screen),
  form: (_locale, screen) => [
    plainSection(screen.intro ?? screen.title),
    ...renderActions([{ label: screen.openLabel, target: { form: screen.form, data: screen.data } }]),
  ],
} satisfies { [K in ScreenKind]: (locale: Locale, screen: Extract<Screen, { kind: K }>) => KnownBlock[] };

export function renderMessage(locale: Locale, screen: Screen): SlackMessage {
  const blocks = (MESSAGES[screen.kind] as (l: Locale, s: Screen) => KnownBlock[])(locale, screen);
  return message(summary(locale, screen), blocks);
}

/** What a modal carries back on submit: the form, its data, and the channel it was opened in. */
export interface FormMetadata {
  form: FormId;
  data: Record<string, string | number>;
  /** Where the form was opened (the reject form re-checks the support channel on submit). */
  channel?: string | undefined;
  /** Pushed over the form it came from (a preview with `back`): its close button goes back there. */
  over?: true;
}

/** A modal's title must fit in 24 characters: a longer one becomes a header inside it. */
function titled(locale: Locale, title: string | undefined): { title: string; header?: string } {
  if (title && Array.from(title).length <= LIMITS.modalTitle) return { title };
  return { title: t(locale, "slack.appName"), ...(title ? { header: title } : {}) };
}

const FIELD_ELEMENTS = {
  text: (f) => textInput(f, false),
  multiline: (f) => textInput(f, true),
  email: (f) => textInput(f, false),
  phone: (f) => textInput(f, false),
  toggle: (f) => {
    const option = { text: plain(f.option ?? f.label, LIMITS.optionText), value: "true" };
    return {
      type: "checkboxes",
      action_id: INPUT_ACTION,
      options: [option],
      ...(f.value === true ? { initial_options: [option] } : {}),
    };
  },
} satisfies Record<FieldKind, (f: FormField) => InputBlock["element"]>;

function textInput(f: FormField, multiline: boolean): InputBlock["element"] {
  const value = typeof f.value === "string" ? f.value : undefined;
  return {
    type: "plain_text_input",
    action_id: INPUT_ACTION,
    ...(multiline ? { multiline: true } : {}),
    ...(f.maxLength ? { max_length: f.maxLength } : {}),
    ...(value ? { initial_value: f.maxLength ? Array.from(value).slice(0, f.maxLength).join("") : value } : {}),
    ...(f.placeholder ? { placeholder: plain(f.placeholder, LIMITS.inputPlaceholder) } : {}),
  };
}

function formModal(locale: Locale, screen: FormScreen, channel: string | undefined): ModalView {
  const { title, header: heading } = titled(locale, screen.title);
  const blocks: KnownBlock[] = [];
  if (screen.error) blocks.push(...chunks(toned(screen.error, "attention")).map((c) => plainSection(c)));
  for (const h of [heading, screen.heading]) if (h) blocks.push(header(h));
  if (screen.intro) blocks.push(...chunks(screen.intro).map((c) => plainSection(c)));
  if (screen.facts) blocks.push(...fieldSections(screen.facts));
  for (const f of screen.fields) {
    blocks.push({
      type: "input",
      block_id: f.id,
      optional: !f.required,
      label: plain(f.label, LIMITS.fieldText),
      element: FIELD_ELEMENTS[f.kind](f),
    });
    if (f.error) blocks.push(context([plain(toned(f.error, "attention"), LIMITS.fieldText)]));
  }
  const metadata: FormMetadata = {
    form: screen.form,
    data: screen.data,
    ...(channel ? { channel } : {}),
    ...(screen.back ? { over: true as const } : {}),
  };
  return {
    type: "modal",
    callback_id: screen.form,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(screen.submit, LIMITS.modalButton),
    // Over the form it came from, closing goes back to it (Slack keeps the view stack): that is `back`.
    close: plain(screen.back?.label ?? screen.cancel, LIMITS.modalButton),
    private_metadata: JSON.stringify(metadata),
    blocks: blocks.slice(0, LIMITS.modalBlocks),
  };
}

function screenModal(locale: Locale, screen: CardScreen | NoticeScreen): ModalView {
  const { title, header: heading } = titled(locale, screen.kind === "card" ? screen.title : undefined);
  const body = screen.kind === "card" ? cardBlocks(screen, LIMITS.modalBlocks - 1, false) : noticeBlocks(screen);
  return {
    type: "modal",
    callback_id: SCREEN_VIEW,
    title: plain(title, LIMITS.modalTitle),
    close: plain(t(locale, "slack.close"), LIMITS.modalButton),
    blocks: [...(heading ? [header(heading)] : []), ...body].slice(0, LIMITS.modalBlocks),
  };
}

/** Every kind of screen as a modal: a form to fill in, or a screen to read (and act on). */
const MODALS = {
  card: (locale, screen) => screenModal(locale, screen),
  notice: (locale, screen) => screenModal(locale, screen),
  form: (locale, screen, channel) => formModal(locale, screen, channel),
} satisfies {
  [K in ScreenKind]: (locale: Locale, screen: Extract<Screen, { kind: K }>, channel: string | undefined) => ModalView;
};

export function renderModal(locale: Locale, screen: Screen, channel?: string): ModalView {
  return (MODALS[screen.kind] as (l: Locale, s: Screen, c: string | undefined) => ModalView)(locale, screen, channel);
}

/**
 * A card or a notice as the App Home tab (views.publish): a Home view takes
 * blocks like a modal (up to 100), with the card's title as its header. A
 * form cannot live there: its button, as in a message.
 */
export function renderHome(locale: Locale, screen: Screen): HomeView {
  const blocks =
    screen.kind === "card"
      ? cardBlocks(screen, LIMITS.homeBlocks, true)
      : (MESSAGES[screen.kind] as (l: Locale, s: Screen) => KnownBlock[])(locale, screen);
  return { type: "home", blocks: blocks.slice(0, LIMITS.homeBlocks) };
}

/** A form's field errors as Slack's `response_action: "errors"` wants them (300 characters each). */
export function fieldErrors(screen: FormScreen): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of screen.fields) if (f.error) errors[f.id] = truncate(f.error, LIMITS.inputError);
  return errors;
}
