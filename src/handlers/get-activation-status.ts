import type { Firm } from "../db/index.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";

/** The acting firm and whether its SME feature is active ("Nuevo" asks first). */
export function getActivationStatus(deps: Deps, actor: Actor): Firm {
  return firmOf(deps, actor);
}
