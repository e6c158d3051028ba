import { z } from "zod";
import { notFound } from "../errors.ts";
import { type Actor, auditActor, type Deps, fieldErrors, firmOf } from "./context.ts";

/** An item of the watch, as its button carries it ("unactivated:12"). */
export const muteWatchInput = z.object({
  item: z.string().regex(/^(unactivated|silent|deadline):[1-9]\d{0,15}$/, "error.invalid"),
});

/**
 * Mutes one item of the firm's watch: it is left out of the daily message
 * and the dashboard until it changes (a new sending, a new contact; a
 * notification's deadline stays muted), audited. The item must be the acting
 * firm's (a licence or a notification of its own), else NOT_FOUND.
 */
export async function muteWatchItem(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof muteWatchInput>,
): Promise<{ kind: string }> {
  const parsed = muteWatchInput.safeParse(input);
  if (!parsed.success) throw fieldErrors(parsed.error.issues);
  const firm = await firmOf(deps, actor);
  const [kind = "", rawId = ""] = parsed.data.item.split(":");
  const id = Number(rawId);
  let subject: { licenceId?: number; clientId: number; signature: string } | undefined;
  if (kind === "deadline") {
    const n = await deps.store.findNotification(firm.id, id);
    subject = n ? { clientId: n.clientId, signature: "" } : undefined;
  } else {
    const l = await deps.store.findLicence(firm.id, { licenceId: id });
    // The instant the item counts from, as the watch's queries read it (src/db/watch.ts).
    const since =
      kind === "unactivated" ? l?.detailsSentAt : (l?.lastContactAt ?? l?.linkedAt ?? l?.client.selfManagedAt);
    subject = l ? { licenceId: l.id, clientId: l.client.id, signature: String(since ?? "") } : undefined;
  }
  if (!subject) throw notFound();
  const { licenceId, clientId, signature } = subject;
  const now = deps.now();
  await deps.store.unit("muteWatchItem", async (tx) => {
    await tx.muteWatchItem({ firmId: firm.id, key: parsed.data.item, signature, mutedBy: actor.userId, now });
    await tx.audit({
      firmId: firm.id,
      action: "watch.muted",
      actor: auditActor(actor),
      ...(licenceId !== undefined ? { licenceId } : {}),
      clientId,
      details: { item: kind },
      now,
    });
  });
  return { kind };
}
