import type { Firm, Platform } from "../db/index.ts";
import { conflict, notFound } from "../errors.ts";
import type { Deps } from "./context.ts";

const PLATFORMS: Platform[] = ["slack", "teams"];

/**
 * Read-only: the firm of a workspace id as an operator types it (a Slack team
 * or Enterprise Grid id, or a Teams tenant id), on whichever platform knows
 * it. Never registers a firm.
 */
export async function findFirmByWorkspace(deps: Deps, workspaceId: string): Promise<Firm> {
  const id = workspaceId.trim();
  const found = new Map<number, Firm>();
  if (id) {
    for (const platform of PLATFORMS) {
      // Slack ids are upper case, Teams tenant ids (GUIDs) lower case; accept either as typed.
      for (const candidate of new Set([id, platform === "slack" ? id.toUpperCase() : id.toLowerCase()])) {
        const firm = await deps.store.findFirm(platform, candidate);
        if (firm) found.set(firm.id, firm);
      }
    }
  }
  const [first, ...rest] = found.values();
  if (!first) throw notFound("import.firmUnknown");
  // The same id on both platforms for two firms: refuse to guess.
  if (rest.length > 0) throw conflict("import.firmAmbiguous");
  return first;
}
