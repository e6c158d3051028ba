import type { Messages } from "../index.ts";

/** Texts of the api surface. */
export const api: Messages = {
  es: {},
  en: {},
};
