import type { ActivationRequest } from "../db/index.ts";
import type { WatchItem } from "./watch.ts";

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

/** Where a watch message goes in a firm's workspace: an advisor's private chat, or the firm's alerts channel. */
export type WatchTarget =
  | { workspaceId: string; userId: string }
  | { workspaceId: string; channel: { channelId: string; ref: string } };

/**
 * Sends the daily watch's message on one platform (docs/architecture.md,
 * "The daily watch"), rendered in the recipient's language. Throws when the
 * person or channel cannot be reached.
 */
export interface WatchSender {
  sendWatch(target: WatchTarget, message: { items: WatchItem[]; more: number }): Promise<void>;
}
