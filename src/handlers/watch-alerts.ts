import type { AlertsChannel } from "../db/index.ts";
import { type Actor, auditActor, type Deps, firmOf } from "./context.ts";

/** What `avisos` did: where the firm's daily watch of this platform goes now. */
export type AlertsOutcome =
  /** Typed in a private chat: it must be typed in the channel that should receive the watch. */
  | { kind: "private" }
  /** This channel receives the watch now; `moved` when another channel did before. */
  | { kind: "set"; moved: boolean }
  /** This channel already receives it (it can be switched off). */
  | { kind: "already" }
  /** Switched off: the advisors get the watch in their private chats again. */
  | { kind: "cleared" }
  /** Nothing to switch off. */
  | { kind: "none" };

/**
 * `avisos` (docs/architecture.md, "The daily watch"): the firm's alerts
 * channel on the actor's platform. `where` is the channel it was typed in
 * (its id and the platform's reference to post there later), undefined in a
 * private chat; `off` switches it off. Setting and clearing are audited, in
 * the unit that reads the channel it replaces.
 */
export async function setAlertsChannel(
  deps: Deps,
  actor: Actor,
  where: AlertsChannel | undefined,
  opts: { off?: boolean } = {},
): Promise<AlertsOutcome> {
  const firm = await firmOf(deps, actor);
  if (!opts.off && !where) return { kind: "private" };
  const now = deps.now();
  return await deps.store.unit("setAlertsChannel", async (tx): Promise<AlertsOutcome> => {
    const current = await tx.alertsChannelForUpdate(firm.id, actor.platform);
    const change = async (channel: AlertsChannel | null) => {
      await tx.putAlertsChannel(firm.id, actor.platform, channel, now);
      await tx.audit({
        firmId: firm.id,
        action: channel ? "watch.alertsSet" : "watch.alertsCleared",
        actor: auditActor(actor),
        details: { platform: actor.platform },
        now,
      });
    };
    if (opts.off || !where) {
      if (!current) return { kind: "none" };
      await change(null);
      return { kind: "cleared" };
    }
    if (current?.channelId === where.channelId) return { kind: "already" };
    await change(where);
    return { kind: "set", moved: current !== undefined };
  });
}
