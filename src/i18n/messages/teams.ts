import type { Messages } from "../index.ts";

/** Texts of the teams surface. */
export const teams: Messages = {
  es: {},
  en: {},
};
