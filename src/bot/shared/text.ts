import type { Locale } from "../../config.ts";
import { t } from "../../i18n/index.ts";

/** "Sí" / "No" (columns Autogestiona, Autogestionada). */
export function yesNo(locale: Locale, value: boolean): string {
  return t(locale, value ? "yes" : "no");
}
