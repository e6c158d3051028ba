import type { BlockAction, Context, RespondArguments, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Locale } from "../../config.ts";
import type { Actor } from "../../handlers/index.ts";
import type { BotContext } from "../commands.ts";
import { type CardScreen, type FormScreen, type NoticeScreen, notice, type Outcome } from "../screen.ts";
import { describeError } from "../screens/common.ts";
import type { ActorSource } from "./actor.ts";
import type { SlackContext } from "./context.ts";
import { COMMAND } from "./ids.ts";
import { installationKey } from "./installation-store.ts";
import { renderMessage, renderModal } from "./render/index.ts";

/** Where the answers to one interaction go: always to the person who acted, and only to them. */
export interface Surface {
  client: WebClient;
  /** A screen to read: an ephemeral message, or inside a modal a pushed modal. */
  show(screen: CardScreen | NoticeScreen, options?: { forEveryone?: boolean | undefined }): Promise<void>;
  /** A form: a modal opened with the interaction's trigger (pushed inside a modal). */
  openForm(screen: FormScreen): Promise<void>;
}

/**
 * A slash command: the answer in the command's own HTTP response when it is
 * ready in time (`acknowledge` says whether it still could), else through its
 * response_url; forms through its trigger.
 */
export function commandSurface(
  client: WebClient,
  respond: RespondFn,
  command: { trigger_id: string; channel_id: string },
  locale: Locale,
  acknowledge: (answer: RespondArguments) => Promise<boolean> = async () => false,
): Surface {
  return {
    client,
    show: async (screen) => {
      const answer: RespondArguments = { response_type: "ephemeral", ...renderMessage(locale, screen) };
      if (await acknowledge(answer)) return;
      await respond(answer);
    },
    openForm: async (screen) => {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: renderModal(locale, screen, command.channel_id),
      });
    },
  };
}

/**
 * A button. In a modal: pushed modals. On a message: the answer replaces an
 * ephemeral message clicked on (it was the person's own); on a message
 * everyone sees (the support desk's), it is a new ephemeral answer, unless the
 * outcome is for everyone.
 */
export function actionSurface(client: WebClient, respond: RespondFn, body: BlockAction, locale: Locale): Surface {
  const channel = body.channel?.id ?? (body.container?.channel_id as string | undefined);
  // The App Home tab is a view, but no modal is open there to push onto: its buttons open one.
  if (body.view?.type === "home") {
    const open = (view: ReturnType<typeof renderModal>) => client.views.open({ trigger_id: body.trigger_id, view });
    return {
      client,
      show: async (screen) => {
        await open(renderModal(locale, screen));
      },
      openForm: async (screen) => {
        await open(renderModal(locale, screen, channel));
      },
    };
  }
  if (body.view) {
    return {
      client,
      show: async (screen) => {
        await client.views.push({ trigger_id: body.trigger_id, view: renderModal(locale, screen) });
      },
      openForm: async (screen) => {
        await client.views.push({ trigger_id: body.trigger_id, view: renderModal(locale, screen, channel) });
      },
    };
  }
  const ephemeral = body.container?.is_ephemeral !== false;
  return {
    client,
    show: async (screen, options) => {
      const shared = !ephemeral && Boolean(options?.forEveryone);
      await respond({
        response_type: shared ? "in_channel" : "ephemeral",
        replace_original: ephemeral || shared,
        ...renderMessage(locale, screen),
      });
    },
    openForm: async (screen) => {
      await client.views.open({ trigger_id: body.trigger_id, view: renderModal(locale, screen, channel) });
    },
  };
}

/** The actor source of a button click. */
export function actionSource(client: WebClient, context: Context, body: BlockAction): ActorSource {
  const channelId = body.channel?.id ?? (body.container?.channel_id as string | undefined);
  return {
    client,
    context,
    userId: body.user.id,
    userTeamId: body.user.team_id,
    channelId,
    enterpriseName: body.enterprise?.name ?? body.team?.enterprise_name,
  };
}

/** How the notifier finds the requester again: the installation and the user. */
export function requesterRef(context: Context, userId: string): string {
  return JSON.stringify({ key: installationKey(context), userId });
}

/** The command layer's context for one Slack request. */
export function botContext(ctx: SlackContext, context: Context, userId: string): BotContext {
  return { deps: ctx.deps, prefix: `${COMMAND} `, requesterRef: () => requesterRef(context, userId) };
}

/** The screens of an outcome meant for the person's DM with the bot (licence details to copy or forward). */
export async function sendPrivately(client: WebClient, actor: Actor, screens: CardScreen[] = []): Promise<void> {
  if (screens.length === 0) return;
  const im = await client.conversations.open({ users: actor.userId });
  const channel = im.channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  for (const screen of screens) await client.chat.postMessage({ channel, ...renderMessage(actor.locale, screen) });
}

/** An outcome, the Slack way: the DM first, then the screen (nothing when the support desk already showed it). */
export async function deliver(surface: Surface, actor: Actor, outcome: Outcome): Promise<void> {
  await sendPrivately(surface.client, actor, outcome.privately);
  if (outcome.shownByDesk) return;
  const screen = outcome.screen;
  if (screen.kind === "form") await surface.openForm(screen);
  else await surface.show(screen, { forEveryone: outcome.forEveryone });
}

/**
 * Resolves the actor, runs the command layer and delivers its outcome; a
 * failure outside it (the actor, Slack's API) is answered too, translated
 * (never silence, never a stack trace).
 */
export async function withActor(
  ctx: SlackContext,
  source: ActorSource,
  surfaceFor: (locale: Locale) => Surface,
  work: (actor: Actor) => Promise<Outcome>,
): Promise<void> {
  let locale = ctx.defaultLocale;
  let surface: Surface | undefined;
  try {
    const actor = await ctx.actors.resolve(source);
    locale = actor.locale;
    surface = surfaceFor(locale);
    await deliver(surface, actor, await work(actor));
  } catch (err) {
    const text = describeError(err, locale, ctx.logger);
    try {
      await (surface ?? surfaceFor(locale)).show(notice(text, "attention"));
    } catch (replyErr) {
      ctx.logger.error({ err: replyErr }, "could not tell the user about a failure");
    }
  }
}
