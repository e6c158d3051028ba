import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type ErrorRequestHandler } from "express";
import type { z } from "zod";
import { ServiceError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/**
 * The HTTP plumbing of the client API: JSON bodies, error answers. Every
 * answer is JSON with a `code`; a refusal of malformed input is a 4xx with a
 * `message` for the app's developers, never a stack trace. Everything here
 * works on Node's own request and response (Express's extend them): the
 * validations route is also served without Express (docs/architecture.md,
 * "Client app API").
 */

/** A request as the API's handlers read it: Node's, with the parsed JSON body once read. */
export type ApiRequest = IncomingMessage & { body?: unknown };
export type ApiResponse = ServerResponse;
/** A connect-style step: Express's middleware signature, on Node's own types. */
export type ApiHandler = (req: ApiRequest, res: ApiResponse, next: (err?: unknown) => void) => void;

export type ErrorCode =
  | "INVALID_JSON"
  | "INVALID_INPUT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNAUTHORIZED"
  | "RATE_LIMITED"
  | "METHOD_NOT_ALLOWED"
  | "BAD_REQUEST"
  | "UNAVAILABLE"
  | "INTERNAL";

export interface FieldProblem {
  /** Dotted path into the body, e.g. "notifications.0.fechaPuestaDisposicion"; "" is the body itself. */
  field: string;
  message: string;
}

/** The code each response answered, for the request log. */
const answered = new WeakMap<ServerResponse, string>();

/** The code `res` was answered with, if it was answered through sendJson. */
export function answeredCode(res: ServerResponse): string | undefined {
  return answered.get(res);
}

/** A JSON answer (as Express's res.json writes it) with its `code` kept for the request log. */
export function sendJson(res: ServerResponse, status: number, body: { code: string } & Record<string, unknown>): void {
  answered.set(res, body.code);
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  fields?: FieldProblem[],
): void {
  sendJson(res, status, fields ? { code, message, fields } : { code, message });
}

/** The request's media type is JSON (`application/json` or `application/<something>+json`), whatever its parameters. */
function isJson(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[!#$%&'*.^`|~\w-]+\+json$/.test(type);
}

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Parses a JSON body of at most `limit` bytes. Anything not declared as JSON
 * is refused (415) before it is read; a missing body is an empty object when
 * `optional`, else INVALID_JSON.
 */
export function jsonBody(limit: number, options: { optional?: boolean } = {}): ApiHandler {
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req, res, next) => {
    if (!hasBody(req)) {
      if (options.optional) {
        req.body = {};
        next();
      } else {
        sendError(res, 400, "INVALID_JSON", "A JSON body is required.");
      }
      return;
    }
    if (!isJson(req)) {
      sendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");
      return;
    }
    parse(req, res, next);
  };
}

/** Zod issues as field problems; unknown fields are named one by one. */
export function fieldProblems(issues: z.ZodIssue[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const i of issues) {
    const path = i.path.join(".");
    if (i.code === "unrecognized_keys") {
      for (const key of i.keys) out.push({ field: path ? `${path}.${key}` : key, message: "Unknown field." });
    } else {
      out.push({ field: path, message: i.message });
    }
  }
  return out.slice(0, 20);
}

/** The zod-parsed body, or undefined after answering 400 INVALID_INPUT. */
export function parseBody<S extends z.ZodTypeAny>(
  schema: S,
  req: ApiRequest,
  res: ApiResponse,
): z.output<S> | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  sendError(res, 400, "INVALID_INPUT", "The request body is not valid.", fieldProblems(parsed.error.issues));
  return undefined;
}

/** Seconds the app is told to wait when the database does not answer (docs/architecture.md, "Health and failures"). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** Errors of the body parser and of the use cases, as coded answers. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => answerError(logger, err, res);
}

/** An error of the body parser or of a use case, answered with its code (never a stack trace). */
export function answerError(logger: Logger, err: unknown, res: ApiResponse): void {
  const fields = (err ?? {}) as { type?: unknown; status?: unknown };
  const type = typeof fields.type === "string" ? fields.type : "";
  const status = typeof fields.status === "number" ? fields.status : 500;
  if (res.headersSent) {
    logger.error({ err }, "client api: error after the answer was sent");
    return;
  }
  if (type === "entity.too.large") {
    sendError(res, 413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
  } else if (type === "entity.parse.failed") {
    sendError(res, 400, "INVALID_JSON", "The request body is not valid JSON.");
  } else if (type === "charset.unsupported" || type === "encoding.unsupported") {
    sendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as UTF-8 JSON.");
  } else if (status >= 400 && status < 500) {
    sendError(res, status, "BAD_REQUEST", "The request could not be read.");
  } else if (err instanceof ServiceError && err.code === "UNAVAILABLE") {
    // The store has logged it (at warn, without a stack); nothing was changed, or the unit's rules hold anyway.
    res.setHeader("Retry-After", String(UNAVAILABLE_RETRY_AFTER_S));
    sendError(res, 503, "UNAVAILABLE", "The service cannot reach its database just now; try again shortly.");
  } else {
    logger.error({ err }, "client api: unexpected error");
    sendError(res, 500, "INTERNAL", "Something went wrong.");
  }
}
