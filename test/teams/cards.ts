import { createRequire } from "node:module";
import type * as AdaptiveCards from "adaptivecards";

// The package's ESM build has extensionless imports Node cannot load; its UMD bundle loads fine (no DOM needed to parse).
const require = createRequire(import.meta.url);
const ac = require("adaptivecards/dist/adaptivecards.js") as typeof AdaptiveCards;

export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
/** Teams refuses bot messages over about 100 KB (approximately 28 KB of card is the documented safe size per card). */
export const MAX_MESSAGE_BYTES = 100 * 1024;

type Json = Record<string, unknown>;

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
  } else if (node && typeof node === "object") {
    visit(node as Json);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

/**
 * Why Teams would not render this card, as far as the adaptivecards SDK
 * and the Teams limits tell: parsed against schema 1.5 (newer elements or
 * actions are reported), validated, size-checked, and every input labelled.
 */
export function cardProblems(json: unknown): string[] {
  const problems: string[] = [];
  const card = json as Json;
  if (card?.type !== "AdaptiveCard") return ["not an AdaptiveCard"];
  const version = Number(card.version);
  if (!(version >= 1.0 && version <= 1.5)) problems.push(`version ${String(card.version)} is not ≤ 1.5`);
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > MAX_MESSAGE_BYTES) problems.push(`card is ${size} bytes`);

  const context = new ac.SerializationContext(ac.Versions.v1_5);
  const parsed = new ac.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);

  walk(card, (n) => {
    const type = typeof n.type === "string" ? n.type : "";
    if (type.startsWith("Input.") && type !== "Input.Toggle" && !n.label)
      problems.push(`${type} ${String(n.id)} has no label`);
    if (type === "Input.Toggle" && !n.title) problems.push(`Input.Toggle ${String(n.id)} has no title`);
    if (type === "TextBlock" && (typeof n.text !== "string" || n.text === "")) problems.push("empty TextBlock");
    if (type === "Action.Execute" && !n.verb) problems.push("Action.Execute without verb");
  });
  return problems;
}

/** Every Adaptive Card attached to an activity. */
export function cardsOf(activity: { attachments?: { contentType?: string; content?: unknown }[] } | undefined): Json[] {
  return (activity?.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD).map((a) => a.content as Json);
}

/** All the text a person would read on a card (TextBlocks, facts, button and input titles). */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  walk(card, (n) => {
    for (const key of ["text", "title", "label", "value"] as const) {
      if (typeof n[key] === "string") parts.push(n[key] as string);
    }
  });
  return parts.join("\n");
}

export interface FoundAction {
  type: string;
  title: string;
  verb?: string;
  url?: string;
  data: Record<string, unknown>;
}

/** Every action of a card, wherever it sits (card actions, ActionSets). */
export function actionsOf(card: unknown): FoundAction[] {
  const found: FoundAction[] = [];
  walk(card, (n) => {
    if (typeof n.type === "string" && n.type.startsWith("Action.")) {
      found.push({
        type: n.type,
        title: String(n.title ?? ""),
        ...(typeof n.verb === "string" ? { verb: n.verb } : {}),
        ...(typeof n.url === "string" ? { url: n.url } : {}),
        data: (n.data as Record<string, unknown>) ?? {},
      });
    }
  });
  return found;
}

/** The action with this title (exactly one), or a failure naming what there is. */
export function action(card: unknown, title: string, nth = 0): FoundAction {
  const all = actionsOf(card);
  const matches = all.filter((a) => a.title === title);
  const found = matches[nth];
  if (!found) throw new Error(`no action "${title}" on the card; it has: ${all.map((a) => a.title).join(", ")}`);
  return found;
}

/** The inputs of a card by id, with their values. */
export function inputsOf(card: unknown): Record<string, Json> {
  const inputs: Record<string, Json> = {};
  walk(card, (n) => {
    if (typeof n.type === "string" && n.type.startsWith("Input.") && typeof n.id === "string") inputs[n.id] = n;
  });
  return inputs;
}
