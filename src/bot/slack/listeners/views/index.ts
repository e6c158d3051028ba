import type { App } from "@slack/bolt";
import { FORM_IDS } from "../../../forms.ts";
import type { SlackContext } from "../../context.ts";
import { submissionListener } from "./submission.ts";

/** One listener for every form of the form table (a modal's callback_id is its form's id). */
export function register(app: App, ctx: SlackContext): void {
  app.view(new RegExp(`^(?:${FORM_IDS.join("|")})$`), submissionListener(ctx));
}
