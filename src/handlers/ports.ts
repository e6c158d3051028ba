import type { ActivationRequest } from "../db/index.ts";

/**
 * Shows activation requests to support staff (a Slack channel, a Teams
 * channel). Returns an opaque reference to find the message again, or
 * undefined when the channel cannot be reached yet (it is retried later).
 */
export interface SupportDesk {
  postRequest(request: ActivationRequest): Promise<string | undefined>;
  /** Replaces the request's message with its outcome (no buttons left). */
  showDecision(ref: string, request: ActivationRequest): Promise<void>;
}

/** Tells a requester, on their platform and where they asked, about a decision. */
export interface Notifier {
  notifyDecision(request: ActivationRequest): Promise<void>;
  /**
   * Tells the requester of the firm's approved request that support revoked
   * the feature (and how many clients stopped counting as self-managed).
   */
  notifyRevocation(request: ActivationRequest, selfManagedCleared: number): Promise<void>;
}
