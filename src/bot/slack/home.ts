/**
 * The App Home tab: the dashboard (the `summary` verb's screen) published
 * for one person with views.publish, when they open the tab and again after
 * each change they make, so it never shows yesterday's counts. Publishing is
 * off the response path: a failure is logged, never shown (the person's
 * answer already went). See docs/architecture.md, "The handover".
 */
import type { Context } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Actor } from "../../handlers/index.ts";
import { audienceOf, runCall, type Verb } from "../commands.ts";
import type { FormId } from "../forms.ts";
import type { ActorSource } from "./actor.ts";
import type { SlackContext } from "./context.ts";
import { renderHome } from "./render/index.ts";
import { botContext } from "./surface.ts";

/** Verbs that only read: the Home tab has nothing new to show after them. */
const READS: ReadonlySet<Verb> = new Set<Verb>([
  "list",
  "licence",
  "summary",
  "clients",
  "client",
  "notifications",
  "search",
  "history",
  "help",
  "declineActivation",
]);

/** Forms whose submission changes nothing the Home tab shows. */
const READ_FORMS: ReadonlySet<FormId> = new Set<FormId>(["search"]);

/** Whether an advisor's verb may have changed what the dashboard counts (support's verbs change other firms). */
export function changesHome(verb: Verb): boolean {
  return audienceOf(verb) === "advisor" && !READS.has(verb);
}

export function formChangesHome(form: FormId): boolean {
  return !READ_FORMS.has(form);
}

/** Publishes the person's Home tab: the dashboard, or what the command layer answers instead (a guest's refusal). */
export async function publishHome(ctx: SlackContext, client: WebClient, context: Context, actor: Actor): Promise<void> {
  const outcome = await runCall(botContext(ctx, context, actor.userId), actor, { verb: "summary", args: {} });
  await client.views.publish({ user_id: actor.userId, view: renderHome(actor.locale, outcome.screen) });
}

/** The Home tab published again after a change, without holding up the answer; errors are logged. */
export function refreshHome(ctx: SlackContext, client: WebClient, context: Context, actor: Actor): void {
  publishHome(ctx, client, context, actor).catch((err: unknown) =>
    ctx.logger.warn({ err }, "could not publish the Slack App Home after a change"),
  );
}

/** `app_home_opened` on the Home tab: who opened it, as the verified event says, and their dashboard. */
export async function homeOpened(ctx: SlackContext, source: ActorSource): Promise<void> {
  try {
    const actor = await ctx.actors.resolve(source);
    await publishHome(ctx, source.client, source.context, actor);
  } catch (err) {
    ctx.logger.warn({ err }, "could not publish the Slack App Home");
  }
}
