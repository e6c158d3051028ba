import { createLicence } from "../../../../handlers/index.ts";
import type { SlackContext } from "../../context.ts";
import { licenceCreatedModal } from "../../views/licence-form.ts";
import { submissionListener, textValue } from "./submission.ts";

/** "Mantenimiento de Licencias" saved: the licence is created and the next steps shown in the same modal. */
export const licenceForm = (ctx: SlackContext) =>
  submissionListener(ctx, async (actor, { view }) => {
    const licence = createLicence(ctx.deps, actor, {
      taxId: textValue(view, "taxId") ?? "",
      name: textValue(view, "name") ?? "",
      contactPerson: textValue(view, "contactPerson"),
      email: textValue(view, "email"),
      phone: textValue(view, "phone"),
      notes: textValue(view, "notes"),
    });
    return { response_action: "update", view: licenceCreatedModal(actor.locale, licence) };
  });
