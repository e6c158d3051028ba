import type { ViewOutput } from "@slack/bolt";
import { notFound } from "../../../../errors.ts";
import { decideActivation } from "../../../../handlers/index.ts";
import type { SlackContext } from "../../context.ts";
import type { RejectMetadata } from "../../views/support.ts";
import { submissionListener, textValue } from "./submission.ts";

function metadata(view: ViewOutput): Partial<RejectMetadata> {
  try {
    const m: unknown = JSON.parse(view.private_metadata);
    // JSON, but maybe not an object ("null", "1"): then it is not ours either.
    return m && typeof m === "object" ? (m as Partial<RejectMetadata>) : {};
  } catch {
    return {};
  }
}

/**
 * "Motivo del rechazo" submitted. The channel is the one where "Rechazar"
 * was clicked (kept by Slack with the view); the handler checks it again.
 */
export const rejectReason = (ctx: SlackContext) =>
  submissionListener(
    ctx,
    async (actor, { view }) => {
      const requestId = metadata(view).requestId;
      if (typeof requestId !== "number") throw notFound("activation.requestNotFound");
      await decideActivation(ctx.deps, actor, {
        requestId,
        decision: "reject",
        reason: textValue(view, "reason") ?? "",
      });
      return { response_action: "clear" };
    },
    (view) => {
      const channel = metadata(view).channelId;
      return typeof channel === "string" ? channel : undefined;
    },
  );
