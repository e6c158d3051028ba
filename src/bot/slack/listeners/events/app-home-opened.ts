import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { homeOpened } from "../../home.ts";

/** The person opened the app's Home tab: their firm's dashboard (src/bot/slack/home.ts). The Messages tab needs nothing. */
export const appHomeOpened =
  (ctx: SlackContext) =>
  async ({ event, client, context }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab !== "home") return;
    await homeOpened(ctx, { client, context, userId: event.user, channelId: event.channel });
  };
