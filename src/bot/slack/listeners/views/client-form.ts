import { notFound } from "../../../../errors.ts";
import { setSelfManaged } from "../../../../handlers/index.ts";
import { t } from "../../../../i18n/index.ts";
import type { SlackContext } from "../../context.ts";
import type { ClientFormMetadata } from "../../views/client-form.ts";
import { infoModal } from "../../views/info.ts";
import { isChecked, submissionListener } from "./submission.ts";

function metadata(raw: string): ClientFormMetadata {
  try {
    const m = JSON.parse(raw) as Partial<ClientFormMetadata>;
    if (typeof m.taxId === "string") return { taxId: m.taxId };
  } catch {
    // fall through: not ours
  }
  throw notFound("client.notFound");
}

/** The client form saved: "Este cliente gestiona sus propias notificaciones" set or cleared. */
export const clientForm = (ctx: SlackContext) =>
  submissionListener(ctx, async (actor, { view }) => {
    const selfManaged = isChecked(view, "selfManaged", "self_managed");
    const { client } = setSelfManaged(ctx.deps, actor, { taxId: metadata(view.private_metadata).taxId, selfManaged });
    const text = t(actor.locale, client.selfManaged ? "slack.client.savedOn" : "slack.client.savedOff", {
      name: client.name,
    });
    return { response_action: "update", view: infoModal(actor.locale, t(actor.locale, "slack.client.title"), text) };
  });
