import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.ts";
import * as actions from "./actions/index.ts";
import * as commands from "./commands/index.ts";
import * as events from "./events/index.ts";
import * as views from "./views/index.ts";

/** Every listener of the app; manifests/slack/manifest.json declares exactly these. */
export function registerListeners(app: App, ctx: SlackContext): void {
  commands.register(app, ctx);
  actions.register(app, ctx);
  views.register(app, ctx);
  events.register(app, ctx);
}
