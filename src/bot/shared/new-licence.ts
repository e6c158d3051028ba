import { type ActivationState, type Actor, type Deps, getActivationStatus } from "../../handlers/index.ts";

/**
 * What "Nuevo" leads to (DESIGN steps 2 and 3): the licence form once the
 * feature is active; a notice while a request is pending; else the question
 * whether to request the activation (again, after a rejection or revocation).
 */
export type NewLicenceStep =
  | { step: "form" }
  | { step: "pending" }
  | { step: "ask"; state: Exclude<ActivationState, "active" | "pending"> };

/** The question's text: a firm that was rejected or revoked asks "again" ("not yet" would be wrong for it). */
export function activationQuestionText(state: ActivationState): "activation.ask" | "activation.askAgain" {
  return state === "rejected" || state === "revoked" ? "activation.askAgain" : "activation.ask";
}

export function newLicenceStep(deps: Deps, actor: Actor): NewLicenceStep {
  const { activationState: state } = getActivationStatus(deps, actor);
  if (state === "active") return { step: "form" };
  if (state === "pending") return { step: "pending" };
  return { step: "ask", state };
}
