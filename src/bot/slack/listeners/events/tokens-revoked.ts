import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { installationKey } from "../../installation-store.ts";

/**
 * Tokens were revoked. The app stores only the bot token of each
 * installation (no user tokens), so a revoked bot token removes it.
 */
export const tokensRevoked =
  (ctx: SlackContext) =>
  async ({ event, context }: SlackEventMiddlewareArgs<"tokens_revoked"> & AllMiddlewareArgs) => {
    if (!ctx.installations) {
      ctx.logger.warn({ teamId: context.teamId }, "the Slack bot token was revoked");
      return;
    }
    if ((event.tokens.bot ?? []).length > 0) await ctx.installations.deleteByKey(installationKey(context));
  };
