import type { BlockAction, Context, RespondFn } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { Locale } from "../../config.ts";
import type { Actor } from "../../handlers/index.ts";
import { describeError } from "../describe-error.ts";
import type { ActorSource } from "./actor.ts";
import type { SlackContext } from "./context.ts";
import { installationKey } from "./installation-store.ts";
import { notice, type SlackMessage } from "./views/blocks.ts";
import { messageModal } from "./views/info.ts";

/** Where the answers to one interaction go: always to the person who acted, and only to them. */
export interface Surface {
  client: WebClient;
  /** An ephemeral message (or, inside a modal, a pushed modal). `replace` replaces the message clicked on. */
  reply(msg: SlackMessage, options?: { replace?: boolean }): Promise<void>;
  /** Opens a form; a trigger opens one view. */
  openModal(view: ModalView): Promise<void>;
}

/** A slash command: ephemeral answers through its response_url, forms through its trigger. */
export function commandSurface(client: WebClient, respond: RespondFn, triggerId: string): Surface {
  return {
    client,
    reply: async (msg) => {
      await respond({ response_type: "ephemeral", text: msg.text, blocks: msg.blocks });
    },
    openModal: async (view) => {
      await client.views.open({ trigger_id: triggerId, view });
    },
  };
}

/** A button: in a message, ephemeral answers through its response_url; in a modal, pushed modals. */
export function actionSurface(client: WebClient, respond: RespondFn, body: BlockAction, locale: Locale): Surface {
  if (body.view) {
    return {
      client,
      reply: async (msg) => {
        await client.views.push({ trigger_id: body.trigger_id, view: messageModal(locale, msg) });
      },
      openModal: async (view) => {
        await client.views.push({ trigger_id: body.trigger_id, view });
      },
    };
  }
  return {
    client,
    reply: async (msg, options) => {
      await respond({
        response_type: "ephemeral",
        replace_original: Boolean(options?.replace),
        text: msg.text,
        blocks: msg.blocks,
      });
    },
    openModal: async (view) => {
      await client.views.open({ trigger_id: body.trigger_id, view });
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

/**
 * Resolves the actor, runs the work and turns any failure into a translated
 * answer to the person who acted (never silence, never a stack trace).
 */
export async function withActor(
  ctx: SlackContext,
  source: ActorSource,
  surfaceFor: (locale: Locale) => Surface,
  work: (actor: Actor, surface: Surface) => Promise<void>,
): Promise<void> {
  let locale = ctx.defaultLocale;
  let surface: Surface | undefined;
  try {
    const actor = await ctx.actors.resolve(source);
    locale = actor.locale;
    surface = surfaceFor(locale);
    await work(actor, surface);
  } catch (err) {
    const text = describeError(err, locale, ctx.logger);
    try {
      await (surface ?? surfaceFor(locale)).reply(notice(text));
    } catch (replyErr) {
      ctx.logger.error({ err: replyErr }, "could not tell the user about a failure");
    }
  }
}

/** How the notifier finds the requester again: the installation and the user. */
export function requesterRef(context: Context, userId: string): string {
  return JSON.stringify({ key: installationKey(context), userId });
}
