import type { ActivationState } from "../db/index.ts";
import { DAY_MS } from "../domain/onboarding.ts";
import { type Actor, type Deps, firmOf } from "./context.ts";
import { openWatchItems, type WatchList } from "./watch.ts";

/** How many open watch items the dashboard lists; the rest are counted ("y 40 más"). */
export const SUMMARY_ITEMS = 10;

/** The firm's licences by where their handover stands (docs/architecture.md, "The handover"). */
export interface HandoverCounts {
  live: number;
  active: number;
  deactivated: number;
  /** Active, not activated on an installation, details never sent. */
  toSend: number;
  /** Active, details sent, not activated on an installation yet. */
  toInstall: number;
  selfManaged: number;
  /** Self-managed and its app silent for `deps.watch.silentDays`. */
  silent: number;
}

export interface Summary {
  firmName: string;
  activationState: ActivationState;
  /** Only while the firm's Solución para PYMES is active. */
  counts?: HandoverCounts;
  watch?: WatchList;
}

/** The dashboard: the firm's counts and the watch's open items, each read over an index (no licence is loaded). */
export async function getSummary(deps: Deps, actor: Actor, opts: { items?: number } = {}): Promise<Summary> {
  const firm = await firmOf(deps, actor);
  if (firm.activationState !== "active") return { firmName: firm.name, activationState: firm.activationState };
  const counts = await deps.store.handoverCounts(firm.id, deps.now() - deps.watch.silentDays * DAY_MS);
  const watch = await openWatchItems(deps, firm.id, { limit: opts.items ?? SUMMARY_ITEMS });
  return { firmName: firm.name, activationState: firm.activationState, counts, watch };
}
