import { z } from "zod";
import type { ClientRow, Page } from "../db/index.ts";
import { type Actor, type Deps, fieldErrors, firmOf } from "./context.ts";
import { PAGE_SIZE } from "./list-licences.ts";

/** The text "search.tooShort" says two. */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 100;

export const searchClientsInput = z.object({
  text: z
    .string({ required_error: "search.tooShort", invalid_type_error: "search.tooShort" })
    .trim()
    .min(SEARCH_MIN, "search.tooShort")
    .max(SEARCH_MAX, "field.tooLong"),
  after: z.string().max(500).optional(),
});

/**
 * "buscar <texto>": the firm's clients whose razón social, NIF or contact
 * e-mail contains the text (accents and case ignored), by name, paged, with
 * the columns of the client list. Only the acting firm's clients.
 */
export async function searchClients(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof searchClientsInput>,
): Promise<Page<ClientRow> & { text: string }> {
  const firm = await firmOf(deps, actor);
  const parsed = searchClientsInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const { text, after } = parsed.data;
  return { ...(await deps.store.searchClients(firm.id, text, { after, limit: PAGE_SIZE })), text };
}
