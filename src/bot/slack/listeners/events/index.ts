import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { appHomeOpened } from "./app-home-opened.ts";
import { appUninstalled } from "./app-uninstalled.ts";
import { tokensRevoked } from "./tokens-revoked.ts";

export function register(app: App, ctx: SlackContext): void {
  app.event("app_home_opened", appHomeOpened(ctx));
  app.event("app_uninstalled", appUninstalled(ctx));
  app.event("tokens_revoked", tokensRevoked(ctx));
}
