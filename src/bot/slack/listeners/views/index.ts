import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { VIEW } from "../../ids.ts";
import { activationRequest } from "./activation-request.ts";
import { clientForm } from "./client-form.ts";
import { licenceForm } from "./licence-form.ts";
import { rejectReason } from "./reject-reason.ts";

export function register(app: App, ctx: SlackContext): void {
  app.view(VIEW.activationRequest, activationRequest(ctx));
  app.view(VIEW.licenceForm, licenceForm(ctx));
  app.view(VIEW.clientForm, clientForm(ctx));
  app.view(VIEW.rejectReason, rejectReason(ctx));
}
