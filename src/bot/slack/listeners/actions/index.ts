import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { BUTTON_ACTIONS } from "../../ids.ts";
import { buttonListener } from "./button.ts";

/** One listener for every button: its action_id names a verb of the command table or a form (ids.ts). */
export function register(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(BUTTON_ACTIONS, buttonListener(ctx));
}
