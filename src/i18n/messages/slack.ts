import type { Messages } from "../index.ts";

/** Texts of the slack surface. */
export const slack: Messages = {
  es: {},
  en: {},
};
