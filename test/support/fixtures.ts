import { ServiceError } from "../../src/errors.ts";
import {
  type Actor,
  createLicence,
  type Deps,
  decideActivation,
  type LicenceRecord,
  requestActivation,
} from "../../src/handlers/index.ts";
import { supportAgent } from "./app.ts";

/** Takes a firm through request and approval, so its advisors can issue licences. */
export async function activateFirm(deps: Deps, actor: Actor, support: Actor = supportAgent()): Promise<void> {
  const req = await requestActivation(deps, actor, { message: "Queremos la Solución para PYMES" });
  await decideActivation(deps, support, { requestId: req.id, decision: "approve" });
}

let taxSeq = 10_000_000;

/** A valid DNI not used before in this process. */
export function newDni(): string {
  const n = taxSeq++;
  return `${String(n).padStart(8, "0")}${"TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]}`;
}

export async function newLicence(
  deps: Deps,
  actor: Actor,
  extra: Partial<{ name: string; email: string }> = {},
): Promise<LicenceRecord> {
  return await createLicence(deps, actor, {
    taxId: newDni(),
    name: extra.name ?? "Ferretería López S.L.",
    contactPerson: "Ana López",
    email: extra.email ?? "ana@ferreteria.example.com",
    phone: "+34 600 123 456",
  });
}

/** The coded error a use case fails with (the test fails when it succeeds or throws anything else). */
export async function failure(fn: () => unknown): Promise<ServiceError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error("expected a ServiceError");
}
