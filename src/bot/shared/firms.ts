import { type Actor, type Deps, listFirms } from "../../handlers/index.ts";

/** A firm as support sees it: state, workspaces and live licences. */
export type FirmRow = ReturnType<typeof listFirms>[number];

/** The firm id typed after "revocar" (digits only); undefined when it is not one. */
export function parseFirmId(text: string): number | undefined {
  const id = text.trim();
  if (!/^\d{1,15}$/.test(id)) return undefined;
  const n = Number(id);
  return n > 0 ? n : undefined;
}

/** One firm of support's list (listFirms checks that the actor is support). */
export function findFirmRow(deps: Deps, actor: Actor, firmId: number): FirmRow | undefined {
  return listFirms(deps, actor).find((f) => f.id === firmId);
}
