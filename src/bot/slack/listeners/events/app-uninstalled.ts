import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { installationKey } from "../../installation-store.ts";

/** The app was removed from a workspace: its installation (tokens) is deleted. */
export const appUninstalled =
  (ctx: SlackContext) =>
  async ({ context }: SlackEventMiddlewareArgs<"app_uninstalled"> & AllMiddlewareArgs) => {
    if (!ctx.installations) {
      ctx.logger.warn({ teamId: context.teamId }, "the Slack app was uninstalled from its workspace");
      return;
    }
    await ctx.installations.deleteByKey(installationKey(context));
  };
