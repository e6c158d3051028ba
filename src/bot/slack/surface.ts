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
import { slackAlertsChannel } from "./watch.ts";

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
    // A modal holds at most 3 views: the first answer is pushed over it (Back returns to it); a click in
    // a pushed view replaces that view instead, so a walk through the screens never reaches the limit.
    const viewId = body.view.id;
    const pushed = Boolean((body.view as { previous_view_id?: string | null }).previous_view_id);
    const place = async (view: ReturnType<typeof renderModal>) => {
      if (pushed) await client.views.update({ view_id: viewId, view });
      else await client.views.push({ trigger_id: body.trigger_id, view });
    };
    return {
      client,
      show: async (screen) => {
        await place(renderModal(locale, screen));
      },
      openForm: async (screen) => {
        await place(renderModal(locale, screen, channel));
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
  return {
    deps: ctx.deps,
    prefix: `${COMMAND} `,
    requesterRef: async () => requesterRef(context, userId),
    alertsChannel: (actor) => slackAlertsChannel(context, actor),
  };
}

/** The screens of an outcome meant for the person's DM with the bot (licence details to copy or forward). */
export async function sendPrivately(client: WebClient, actor: Actor, screens: CardScreen[] = []): Promise<void> {
  if (screens.length === 0) return;
  const im = await client.conversations.open({ users: actor.userId });
  const channel = im.channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  for (const screen of screens) await client.chat.postMessage({ channel, ...renderMessage(actor.locale, screen) });
}

/** Why a Slack call failed, when Slack said it was rate limited (HTTP 429), and after how long to retry. */
function rateLimited(err: unknown): { retryAfterMs: number } | undefined {
  const e = err as { code?: unknown; retryAfter?: unknown; message?: unknown } | undefined;
  if (e?.code === "slack_webapi_rate_limited_error") {
    return { retryAfterMs: typeof e.retryAfter === "number" ? e.retryAfter * 1000 : 1000 };
  }
  // With retries off, the WebClient waits the Retry-After itself, then fails with this message: retry at once.
  if (typeof e?.message === "string" && /rate limit was exceeded/i.test(e.message)) return { retryAfterMs: 0 };
  return undefined;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Attempts per queued message: a 429 is retried after its Retry-After. */
const QUEUED_ATTEMPTS = 4;

/**
 * Queued private messages (a bulk send), one after another with a pause
 * between them (chat.postMessage allows about one a second per channel),
 * each retried after a 429's Retry-After. Runs off the request; a message
 * that still fails is logged (ids only) and the rest go on.
 */
export async function sendQueued(
  ctx: Pick<SlackContext, "logger" | "paceMs">,
  client: WebClient,
  actor: Actor,
  screens: CardScreen[],
): Promise<void> {
  const im = await client.conversations.open({ users: actor.userId });
  const channel = im.channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  let failed = 0;
  for (const [i, screen] of screens.entries()) {
    if (i > 0) await pause(ctx.paceMs);
    for (let attempt = 1; ; attempt++) {
      try {
        await client.chat.postMessage({ channel, ...renderMessage(actor.locale, screen) });
        break;
      } catch (err) {
        const limited = rateLimited(err);
        if (!limited || attempt >= QUEUED_ATTEMPTS) {
          failed++;
          ctx.logger.warn({ err, index: i }, "a queued private message could not be sent");
          break;
        }
        await pause(limited.retryAfterMs);
      }
    }
  }
  ctx.logger.info({ sent: screens.length - failed, failed }, "queued private messages sent");
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
    const result = await work(actor);
    await deliver(surface, actor, result);
    const queued = result.queued ?? [];
    if (queued.length > 0) {
      // Off the request: Slack's 3 seconds are long over before 45 paced messages are.
      const client = surface.client;
      void sendQueued(ctx, client, actor, queued).catch((err: unknown) =>
        ctx.logger.error({ err }, "could not send the queued private messages"),
      );
    }
  } catch (err) {
    const text = describeError(err, locale, ctx.logger);
    try {
      await (surface ?? surfaceFor(locale)).show(notice(text, "attention"));
    } catch (replyErr) {
      ctx.logger.error({ err: replyErr }, "could not tell the user about a failure");
    }
  }
}
