import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { COMMAND } from "../../ids.ts";
import { licenciasCommand } from "./licencias.ts";

export function register(app: App, ctx: SlackContext): void {
  app.command(COMMAND, licenciasCommand(ctx));
}
