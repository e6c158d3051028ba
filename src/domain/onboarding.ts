/**
 * The handover of a client's mailboxes from the firm to the client, as the
 * database records it: created → details sent → app activated on an
 * installation → "gestiona sus propias notificaciones" ticked → the app's
 * last contact → notifications reported. A pure function of those dates and
 * the clock. See docs/architecture.md, "The handover".
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** What the database knows of a licence's handover (milliseconds since the epoch, null when it never happened). */
export interface HandoverFacts {
  state: "active" | "deactivated";
  createdAt: number;
  /** When "Enviar datos de licencia" last ran. */
  detailsSentAt: number | null;
  /** When the app activated the licence on its current installation; null while unlinked. */
  linkedAt: number | null;
  /** When "gestiona sus propias notificaciones" was ticked; null while it is not. */
  selfManagedAt: number | null;
  /** The current installation's last validation or report. */
  lastContactAt: number | null;
  /** Notifications the client's app reported (the ficha only: a list does not count them per row). */
  notifications?: { count: number; latestAt: number | null } | undefined;
}

export type StepId = "created" | "detailsSent" | "activated" | "selfManaged" | "lastContact" | "notifications";

export interface Step {
  id: StepId;
  done: boolean;
  at: number | null;
  /** The notifications reported (the step "notifications" only). */
  count?: number;
}

/**
 * The short state a list row shows: "desactivada", "pendiente de enviar",
 * "pendiente de instalar", "instalada, sin autogestión", "autogestiona",
 * "sin contacto desde el …".
 */
export type HandoverState = "deactivated" | "toSend" | "toInstall" | "installed" | "selfManaged" | "silent";

/** What the advisor should do next. */
export type NextStep = "reactivate" | "send" | "install" | "selfManage" | "checkApp" | "none";

export interface Onboarding {
  state: HandoverState;
  /** For "silent": since when nothing was heard (the last contact, or the tick when there never was one). */
  silentSince?: number;
  next: NextStep;
  steps: Step[];
}

/**
 * Silent: the client manages its own notifications but its app has not been
 * in contact for `silentDays` (counted from the last contact, else from the
 * activation, else from the tick), which is when a notification can lapse
 * unseen while the firm believes the client watches its mailboxes.
 */
export function onboarding(facts: HandoverFacts, opts: { now: number; silentDays: number }): Onboarding {
  const linked = facts.linkedAt !== null;
  const contactAt = facts.lastContactAt ?? facts.linkedAt;
  const steps: Step[] = [
    { id: "created", done: true, at: facts.createdAt },
    { id: "detailsSent", done: facts.detailsSentAt !== null, at: facts.detailsSentAt },
    { id: "activated", done: linked, at: facts.linkedAt },
    { id: "selfManaged", done: facts.selfManagedAt !== null, at: facts.selfManagedAt },
    { id: "lastContact", done: contactAt !== null, at: contactAt },
  ];
  if (facts.notifications) {
    const { count, latestAt } = facts.notifications;
    steps.push({ id: "notifications", done: count > 0, at: latestAt, count });
  }
  if (facts.state === "deactivated") return { state: "deactivated", next: "reactivate", steps };
  if (facts.selfManagedAt !== null) {
    const since = contactAt ?? facts.selfManagedAt;
    if (opts.now - since >= opts.silentDays * DAY_MS) {
      return { state: "silent", silentSince: since, next: "checkApp", steps };
    }
  }
  if (!linked) {
    return facts.detailsSentAt === null
      ? { state: "toSend", next: "send", steps }
      : { state: "toInstall", next: "install", steps };
  }
  if (facts.selfManagedAt === null) return { state: "installed", next: "selfManage", steps };
  return { state: "selfManaged", next: "none", steps };
}
