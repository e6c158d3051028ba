import type { Firm } from "../db/index.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";

/** The acting firm and whether its SME feature is active ("Nuevo" asks first). */
export async function getActivationStatus(deps: Deps, actor: Actor): Promise<Firm> {
  return await firmOf(deps, actor);
}
