/**
 * One way to drive the bot, whatever the platform: people type words, press
 * the buttons they see and fill in the forms they are shown, and the driver
 * answers with what they now see. The contract scenarios are written against
 * this interface only, so the same journey runs through the Slack simulator
 * and through the Teams harness (see docs/architecture.md, "contract suite").
 */
import type { Actor, Deps, WatchSender } from "../../src/handlers/index.ts";

export type Tone = "good" | "warning" | "attention";

/** What a person sees after an action: a message (or card) or a form (modal, dialog). */
export interface Seen {
  kind: "message" | "form";
  title?: string;
  /** Every visible text, joined by new lines, as the person reads it (entities and markdown escapes undone). */
  text: string;
  /** The labels of the buttons the person can press. */
  buttons: string[];
  /** The labels of the links the person can open (Teams: a button; Slack: a link in the text, as for mailto:). */
  links?: string[];
  /** Where the http(s) links lead, by label (an export link, to download). */
  urls?: Record<string, string>;
  /** Buttons that ask first in a dialog of the client (Slack's confirm), by label: the question asked. */
  confirms?: Record<string, string>;
  /** Texts shown with a tone (Teams: a coloured text; Slack: a sign before it), without the sign. */
  notes?: { text: string; tone: Tone }[];
  /** Form field ids: the use cases' field names. */
  fields?: string[];
  /** Errors shown at the form's fields, by field id. */
  errors?: Record<string, string>;
}

/** Someone using the bot: an advisor of a firm, or a support agent. */
export interface Person {
  readonly name: string;
  /** The firm's id on its platform (Slack team id, Teams tenant id). */
  readonly workspaceId: string;
  readonly locale: string;
}

/** Where a person types: privately, in the support channel, or in a channel of the firm (`avisos`). */
export type Where = "private" | "support" | "channel";

export interface Driver {
  readonly platform: "slack" | "teams";
  /** What comes before a typed command word in help lines and examples ("/licencias " on Slack, nothing on Teams). */
  readonly prefix: string;
  /** The platform's name as the bot writes it (history, support's list of firms). */
  readonly platformName: string;
  start(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
  /** The use cases' dependencies of the running app, to seed data quickly. */
  readonly deps: Deps;
  /** How the running app's daily watch reaches each platform (docs/architecture.md, "The daily watch"). */
  readonly watchSenders: Partial<Record<"slack" | "teams", WatchSender>>;
  /** The client-app API's base URL of the running app. */
  readonly url: string;
  /** An advisor of a new firm (`firmKey` makes its id readable in failures), or of the firm of `sameFirmAs`. */
  advisor(firmKey: string, opts?: { locale?: string; name?: string; sameFirmAs?: Person }): Promise<Person>;
  /** A support agent, member of the support channel. */
  supportAgent(opts?: { name?: string }): Promise<Person>;
  /** Types a command: privately (Slack: /licencias in a channel, Teams: the personal chat) or in the support channel. */
  say(person: Person, text: string, where?: Where): Promise<Seen>;
  /** Presses a visible button (confirming its dialog, if any). */
  click(person: Person, seen: Seen, label: string, opts?: { nth?: number }): Promise<Seen>;
  /**
   * The form a command opened: Slack opens the modal at once; a Teams message
   * cannot open a dialog, so its card has a button (`openLabel`) that does.
   */
  opened(person: Person, seen: Seen, openLabel: string): Promise<Seen>;
  /** Submits a form with values by field id. */
  submit(person: Person, form: Seen, values: Record<string, string | boolean>): Promise<Seen>;
  /** Messages that arrived in the person's private chat since the last call (and not already returned as a result). */
  privateMessages(person: Person): Promise<Seen[]>;
  /** Messages posted in the support channel since the last call. */
  supportChannel(): Promise<Seen[]>;
  /** The person as the adapter sees them (for seeding data through the use cases). */
  actor(person: Person, where?: Where): Actor;
  /** What the platform refused (invalid blocks or cards), to assert none at the end. */
  problems(): string[];
}

/** Joins the texts of several screens, to assert on all of them. */
export function allText(seen: Seen[]): string {
  return seen.map((s) => s.text).join("\n");
}
