/**
 * The small set of coded errors the use cases raise. Adapters (Slack, Teams,
 * the client API) translate them into an answer for the user; nothing else
 * should escape to a user.
 */
import type { TextId } from "./i18n/index.ts";

export type ErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "INVALID"
  | "CONFLICT"
  | "FEATURE_NOT_ACTIVE"
  | "ALREADY_DECIDED"
  /** The database does not answer, or is busy for too long: nothing was changed, try again. */
  | "UNAVAILABLE";

export interface FieldError {
  /** The input field the message belongs to (e.g. "taxId"). */
  field: string;
  /** A message id of the text catalogue. */
  message: TextId;
  /** Values for the message's placeholders (e.g. { max: 200 }). */
  params?: Record<string, string | number>;
}

export class ServiceError extends Error {
  readonly code: ErrorCode;
  /** A message id of the text catalogue, for the user's answer. */
  readonly messageId: TextId;
  readonly fields: FieldError[];
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    messageId: TextId,
    options: { fields?: FieldError[]; details?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${messageId}`);
    this.name = "ServiceError";
    this.code = code;
    this.messageId = messageId;
    this.fields = options.fields ?? [];
    this.details = options.details ?? {};
  }
}

export const notFound = (messageId: TextId = "error.notFound", details?: Record<string, unknown>) =>
  new ServiceError("NOT_FOUND", messageId, details ? { details } : {});
export const forbidden = (messageId: TextId = "error.forbidden") => new ServiceError("FORBIDDEN", messageId);
export const conflict = (messageId: TextId, details?: Record<string, unknown>) =>
  new ServiceError("CONFLICT", messageId, details ? { details } : {});
export const unavailable = () => new ServiceError("UNAVAILABLE", "error.unexpected");
export const invalid = (fields: FieldError[]) =>
  new ServiceError("INVALID", fields[0]?.message ?? "error.invalid", { fields });

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}
