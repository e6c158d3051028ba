import type { Locale } from "../../../config.ts";
import { CLIENT_FIELD_MAX } from "../../../handlers/index.ts";
import { t } from "../../../i18n/index.ts";
import {
  type Card,
  type CardElement,
  card,
  fieldError,
  type InputText,
  notice,
  submitDialog,
  text,
  title,
} from "./ui.ts";
import { VERB } from "./verbs.ts";

export const LICENCE_FIELDS = ["taxId", "name", "contactPerson", "email", "phone", "notes"] as const;
export type LicenceField = (typeof LICENCE_FIELDS)[number];
export type LicenceFormValues = Partial<Record<LicenceField, string>>;

const STYLE: Partial<Record<LicenceField, InputText["style"]>> = { email: "email", phone: "tel" };

/**
 * "Mantenimiento de Licencias" / "Datos de la Licencia": the dialog, with
 * the user's values kept and each error under its field.
 */
export function licenceFormCard(
  locale: Locale,
  values: LicenceFormValues = {},
  errors: Partial<Record<LicenceField, string>> & { general?: string } = {},
): Card {
  const body: CardElement[] = [
    title(t(locale, "teams.licenceForm.section")),
    text(t(locale, "teams.licenceForm.intro"), { isSubtle: true, spacing: "none" }),
  ];
  if (errors.general) body.push(notice(errors.general, "attention"));
  for (const field of LICENCE_FIELDS) {
    const required = field === "taxId" || field === "name";
    const value = values[field];
    body.push({
      type: "Input.Text",
      id: field,
      label: t(locale, `teams.field.${field}`),
      maxLength: CLIENT_FIELD_MAX[field],
      ...(required
        ? {
            isRequired: true,
            errorMessage: t(locale, field === "taxId" ? "field.taxId.required" : "field.name.required"),
          }
        : {}),
      ...(field === "notes" ? { isMultiline: true } : {}),
      ...(STYLE[field] ? { style: STYLE[field] } : {}),
      ...(value ? { value } : {}),
    });
    body.push(...fieldError(errors[field]));
  }
  return card(body, [submitDialog(t(locale, "teams.licenceForm.save"), VERB.licenceForm)]);
}
