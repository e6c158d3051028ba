/**
 * Screens (../screen.ts) as Adaptive Cards and Teams dialogs: pure
 * functions, one per screen kind and block type (a new kind or type without
 * a renderer fails the type check). Every text is escaped with `md()`:
 * TextBlocks and facts render a markdown subset in Teams. See
 * docs/architecture.md, "Screens and renderers".
 */
import type { Locale } from "../../config.ts";
import { t, tn } from "../../i18n/index.ts";
import { isVerb } from "../commands.ts";
import type {
  Action,
  Block,
  BlockType,
  CardScreen,
  FieldKind,
  FormField,
  FormScreen,
  NoticeScreen,
  Screen,
  ScreenKind,
  Tone,
} from "../screen.ts";
import {
  type ActionExecute,
  type ActionSubmit,
  type Card,
  type CardAction,
  type CardElement,
  type Color,
  card,
  type InputText,
  md,
  type TextBlock,
} from "./adaptive-card.ts";

/**
 * The Action.Execute verb of a button that asks first (Teams has no confirm
 * dialog): its data is the call, and the answer is the confirmation card.
 */
export const CONFIRM_VERB = "confirm";
if (isVerb(CONFIRM_VERB))
  throw new Error(`"${CONFIRM_VERB}" is a verb of the table: the Teams confirmation needs another`);

/** Teams shows at most five buttons in a row well; more go on further rows. */
export const ACTIONS_PER_ROW = 5;
/**
 * Teams refuses messages over about 100 KB and renders about 28 KB of card
 * reliably: a `lines` block (a history, the firms) keeps its lines within
 * this many bytes and says how many it left out.
 */
export const LINES_MAX_BYTES = 20_000;

/** The routing data of a dialog: the form id (teams-ai routes task modules by `verb`) and the form's own data. */
export interface DialogData {
  verb: string;
  data?: Record<string, string | number>;
}

const TONE = { good: "good", warning: "warning", attention: "attention" } as const satisfies Record<Tone, Color>;

const STYLE = { primary: "positive", danger: "destructive" } as const satisfies Record<
  NonNullable<Action["style"]>,
  NonNullable<ActionExecute["style"]>
>;

function textBlock(value: string, extra: Omit<TextBlock, "type" | "text"> = {}): TextBlock {
  return { type: "TextBlock", text: md(value), wrap: true, ...extra };
}

const tone = (t: Tone | undefined): Partial<TextBlock> => (t ? { color: TONE[t] } : {});

/** Dropped args (undefined) are left out: Teams would send them back as null. */
function argsData(args: Record<string, string | number | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(args)) if (v !== undefined) out[k] = v;
  return out;
}

/** The data of a button that opens a form's dialog. */
export function dialogData(form: string, data: Record<string, string | number> = {}): DialogData {
  return { verb: form, data };
}

export function renderAction(a: Action): CardAction {
  const style = a.style ? { style: STYLE[a.style] } : {};
  const target = a.target;
  if ("url" in target) return { type: "Action.OpenUrl", title: a.label, url: target.url };
  if ("form" in target) {
    return {
      type: "Action.Submit",
      title: a.label,
      data: { msteams: { type: "task/fetch" }, ...dialogData(target.form, target.data) },
      associatedInputs: "none",
      ...style,
    };
  }
  const call = { verb: target.run.verb, args: argsData(target.run.args) };
  return {
    type: "Action.Execute",
    title: a.label,
    ...(a.confirm ? { verb: CONFIRM_VERB, data: call } : { verb: call.verb, data: call.args }),
    associatedInputs: "none",
    ...style,
  };
}

/** Buttons in rows of at most five. */
function actionRows(actions: Action[]): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < actions.length; i += ACTIONS_PER_ROW) {
    rows.push({ type: "ActionSet", actions: actions.slice(i, i + ACTIONS_PER_ROW).map(renderAction) });
  }
  return rows;
}

function facts(fields: { label: string; value: string }[]): CardElement {
  return { type: "FactSet", facts: fields.map((f) => ({ title: md(f.label), value: md(f.value) })) };
}

type BlockOf<T extends BlockType> = Extract<Block, { type: T }>;

const BLOCKS = {
  text: (b: BlockOf<"text">) => [
    textBlock(b.text, {
      ...tone(b.tone),
      ...(b.subtle ? { isSubtle: true } : {}),
      ...(b.strong ? { weight: "bolder" as const } : {}),
    }),
  ],
  heading: (b: BlockOf<"heading">) => [textBlock(b.text, { weight: "bolder", spacing: "medium" })],
  fields: (b: BlockOf<"fields">) => [facts(b.fields)],
  code: (b: BlockOf<"code">) => [
    textBlock(b.label, { weight: "bolder", spacing: "medium" }),
    textBlock(b.value, { fontType: "monospace", size: "large", spacing: "none" }),
  ],
  lines: (b: BlockOf<"lines">, locale: Locale) => {
    const out: CardElement[] = [];
    let bytes = 0;
    for (const line of b.items) {
      const block = textBlock(line, { spacing: "none" });
      bytes += Buffer.byteLength(JSON.stringify(block));
      if (bytes > LINES_MAX_BYTES) break;
      out.push(block);
    }
    const left = b.items.length - out.length;
    if (left > 0) out.push(textBlock(tn(locale, "lines.more", left), { color: "warning", spacing: "medium" }));
    return out;
  },
  usages: (b: BlockOf<"usages">) =>
    b.items.map((u) => ({
      type: "TextBlock" as const,
      text: `- **${md(u.usage)}**: ${md(u.text)}`,
      wrap: true,
      spacing: "none" as const,
    })),
  item: (b: BlockOf<"item">) => [
    {
      type: "Container" as const,
      separator: true,
      spacing: "medium" as const,
      items: [
        textBlock(b.title, { weight: "bolder" }),
        ...(b.text ? [textBlock(b.text, { isSubtle: true, spacing: "none" })] : []),
        ...(b.fields && b.fields.length > 0 ? [facts(b.fields)] : []),
        ...actionRows(b.actions),
      ],
    },
  ],
} satisfies { [T in BlockType]: (b: BlockOf<T>, locale: Locale) => CardElement[] };

function renderBlock(b: Block, locale: Locale): CardElement[] {
  return (BLOCKS[b.type] as (b: Block, locale: Locale) => CardElement[])(b, locale);
}

/** A card's own buttons: below the card, or in rows of five when there are more. */
function withActions(body: CardElement[], actions: Action[] = []): Card {
  if (actions.length <= ACTIONS_PER_ROW) return card(body, actions.map(renderAction));
  return card([...body, ...actionRows(actions)]);
}

function renderCard(s: CardScreen, locale: Locale): Card {
  const body: CardElement[] = [
    ...(s.notes ?? []).map((n) => textBlock(n.text, { ...tone(n.tone), weight: "bolder" })),
    ...(s.title ? [textBlock(s.title, { weight: "bolder", size: "medium" })] : []),
    ...(s.subtitle ? [textBlock(s.subtitle, { isSubtle: true, spacing: "none" })] : []),
    ...s.blocks.flatMap((b) => renderBlock(b, locale)),
    // Command words (the help): in a Teams channel the bot hears only when mentioned.
    ...(s.blocks.some((b) => b.type === "usages")
      ? [textBlock(t(locale, "teams.help.mention"), { isSubtle: true, spacing: "medium" })]
      : []),
  ];
  return withActions(body.length > 0 ? body : [textBlock(" ")], s.actions);
}

function renderNotice(s: NoticeScreen): Card {
  return card([textBlock(s.text, tone(s.tone))]);
}

/** The form's heading, intro, facts and general error: above its inputs in a dialog, or alone on a message card. */
function formHeader(s: FormScreen): CardElement[] {
  return [
    textBlock(s.heading ?? s.title, { weight: "bolder", size: "medium" }),
    ...(s.intro ? [textBlock(s.intro, { isSubtle: true, spacing: "none" })] : []),
    ...(s.facts && s.facts.length > 0 ? [facts(s.facts)] : []),
    ...(s.error ? [textBlock(s.error, { color: "attention", weight: "bolder" })] : []),
  ];
}

/** A form shown as a message (a typed "nuevo", "cliente <NIF>"): what it is, and the button that opens its dialog. */
function renderFormMessage(s: FormScreen): Card {
  return card(formHeader(s), [renderAction({ label: s.openLabel, target: { form: s.form, data: s.data } })]);
}

const SCREENS = {
  card: (s: CardScreen, locale: Locale) => renderCard(s, locale),
  notice: (s: NoticeScreen) => renderNotice(s),
  form: (s: FormScreen) => renderFormMessage(s),
} satisfies { [K in ScreenKind]: (s: Extract<Screen, { kind: K }>, locale: Locale) => Card };

/** A screen as a message card. `prefix` goes before the command words of the help (nothing on Teams). */
export function renderScreen(screen: Screen, locale: Locale): Card {
  return (SCREENS[screen.kind] as (s: Screen, locale: Locale) => Card)(screen, locale);
}

const INPUT_STYLE = {
  text: {},
  multiline: { isMultiline: true },
  email: { style: "email" },
  phone: { style: "tel" },
  toggle: {},
} as const satisfies Record<FieldKind, Partial<InputText>>;

function renderField(f: FormField): CardElement[] {
  const error = f.error ? [textBlock(f.error, { color: "attention", size: "small", spacing: "none" })] : [];
  if (f.kind === "toggle") {
    return [
      {
        type: "Input.Toggle",
        id: f.id,
        title: f.option ?? f.label,
        ...(f.option ? { label: f.label } : {}),
        value: f.value === true ? "true" : "false",
        valueOn: "true",
        valueOff: "false",
        wrap: true,
      },
      ...error,
    ];
  }
  const value = typeof f.value === "string" ? f.value.slice(0, f.maxLength ?? f.value.length) : undefined;
  return [
    {
      type: "Input.Text",
      id: f.id,
      label: f.label,
      ...INPUT_STYLE[f.kind],
      ...(f.maxLength ? { maxLength: f.maxLength } : {}),
      ...(f.placeholder ? { placeholder: f.placeholder } : {}),
      ...(f.required ? { isRequired: true, ...(f.requiredMessage ? { errorMessage: f.requiredMessage } : {}) } : {}),
      ...(value ? { value } : {}),
    },
    ...error,
  ];
}

/** A form as a dialog's card: its inputs (ids = field ids), each server error right under its input, and Submit. */
export function renderFormDialog(s: FormScreen): Card {
  const submit: ActionSubmit = {
    type: "Action.Submit",
    title: s.submit,
    data: { ...dialogData(s.form, s.data) },
    style: "positive",
  };
  // A way back (a preview's Corregir): a second submit that sends the inputs with its own data.
  const back: ActionSubmit[] = s.back
    ? [{ type: "Action.Submit", title: s.back.label, data: { ...dialogData(s.form, s.back.data) } }]
    : [];
  return card([...formHeader(s), ...s.fields.flatMap(renderField)], [submit, ...back]);
}
