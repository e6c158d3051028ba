import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../logger.ts";
import { checkSlackPayload, parseSlackBody } from "./payloads.ts";

/**
 * Slack's request bodies are usually a few KB; the largest this app can cause
 * (a click on a 50-block message, a submitted form with its blocks and typed
 * values, bounded by the views' limits) stay well below this. 256 KB leaves
 * room and still stops anyone from making the server buffer megabytes.
 */
export const SLACK_BODY_LIMIT = 256 * 1024;

/** Slack signs each request with its time; one older or newer than this is refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/** Slack retries an event three times within a few minutes: its id is remembered well beyond. */
const EVENT_ID_TTL_MS = 60 * 60_000;

export interface RequestGuardOptions {
  signingSecret: string;
  now: () => number;
  logger: Logger;
  /** True the first time a key is seen by any instance (stored in the database). */
  remember: (key: string, ttlMs: number) => Promise<boolean>;
  /**
   * What a slash command is answered (ephemeral) when the replay check cannot
   * reach the database: the usual "try again", not Slack's own error.
   */
  unavailableText?: string | undefined;
  bodyLimit?: number | undefined;
  /** What passed: the request and its body, read, verified and parsed once (src/bot/slack/events.ts). */
  dispatch: (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => Promise<void>;
}

type Refusal =
  | "missing_signature"
  | "stale_timestamp"
  | "too_large"
  | "unreadable"
  | "bad_signature"
  | "replayed"
  | "malformed";

const STATUS: Record<Refusal, number> = {
  missing_signature: 401,
  stale_timestamp: 401,
  too_large: 413,
  unreadable: 400,
  bad_signature: 401,
  replayed: 401,
  malformed: 400,
};

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
}

/** Reads at most `limit` bytes: a larger body stops being read at the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too_large" | "unreadable"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | "too_large" | "unreadable") => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done("too_large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks, size));
    const onError = () => done("unreadable");
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}

/** `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<body>`, compared in constant time. */
export function isValidSlackSignature(secret: string, timestamp: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POST /slack/events (see docs/architecture.md, Slack edge): the signature
 * headers and the timestamp's freshness (either way) before any byte of the
 * body is read, a size cap, the signature itself, a request seen before
 * (same signature, or an event id already handled), and the payload's
 * shape. Refusals carry no body. What passes is dispatched with the body
 * parsed here: this guard is the only way into Bolt.
 */
export function createRequestGuard(options: RequestGuardOptions) {
  const limit = options.bodyLimit ?? SLACK_BODY_LIMIT;
  const { logger } = options;

  const refuse = (res: ServerResponse, reason: Refusal, early = false) => {
    logger.info({ reason }, "Slack request refused");
    // Refused before the body was read: closing the connection stops the client from sending the rest.
    res.writeHead(STATUS[reason], early ? { connection: "close" } : {});
    res.end();
  };
  const acknowledge = (res: ServerResponse) => {
    res.writeHead(200);
    res.end();
  };
  /**
   * The database did not answer the replay check (docs/architecture.md,
   * "Health and failures"): nothing is processed. A command gets the usual
   * "try again" as its ephemeral answer; anything else a 503, which Slack
   * shows on the button or form (and retries, for an event).
   */
  const unavailable = (res: ServerResponse, body: Buffer, contentType: string | undefined) => {
    logger.warn("Slack request not processed: the database did not answer");
    let command = false;
    try {
      const parsed = parseSlackBody(body.toString("utf8"), contentType) as { command?: unknown };
      command = typeof parsed?.command === "string";
    } catch {
      // Not even parseable: the 503 below.
    }
    if (command && options.unavailableText) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ response_type: "ephemeral", text: options.unavailableText }));
      return;
    }
    res.writeHead(503, { "retry-after": "5" });
    res.end();
  };
  /** remember(), or "unavailable" when the database did not answer. */
  const firstTime = async (key: string, ttlMs: number): Promise<boolean | "unavailable"> => {
    try {
      return await options.remember(key, ttlMs);
    } catch {
      return "unavailable";
    }
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const signature = header(req, "x-slack-signature");
    const timestamp = header(req, "x-slack-request-timestamp");
    if (!signature || !timestamp) return refuse(res, "missing_signature", true);
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!Number.isSafeInteger(seconds) || Math.abs(options.now() - seconds * 1000) > SIGNATURE_WINDOW_MS) {
      return refuse(res, "stale_timestamp", true);
    }
    const declared = header(req, "content-length");
    if (declared !== undefined && !(Number(declared) <= limit)) return refuse(res, "too_large", true);

    const body = await readBody(req, limit);
    if (typeof body === "string") return refuse(res, body, true);
    if (!isValidSlackSignature(options.signingSecret, timestamp, body, signature)) {
      return refuse(res, "bad_signature");
    }
    // Signed bytes are valid for the whole window: the same ones twice are a replay.
    const fresh = await firstTime(`slack:sig:${signature}`, SIGNATURE_WINDOW_MS * 2);
    if (fresh === "unavailable") return unavailable(res, body, header(req, "content-type"));
    if (!fresh) return refuse(res, "replayed");

    let parsed: unknown;
    try {
      parsed = parseSlackBody(body.toString("utf8"), header(req, "content-type"));
    } catch {
      return refuse(res, "malformed");
    }
    const verdict = checkSlackPayload(parsed);
    if (verdict.kind === "invalid") return refuse(res, "malformed");
    if (verdict.kind === "ignore") return acknowledge(res);

    const retry = header(req, "x-slack-retry-num") !== undefined;
    if (verdict.eventId !== undefined) {
      // An event is handled once, whether Slack retries it or not; a retry of one never seen is handled.
      const first = await firstTime(`slack:event:${verdict.eventId}`, EVENT_ID_TTL_MS);
      if (first === "unavailable") return unavailable(res, body, header(req, "content-type"));
      if (!first) return acknowledge(res);
    } else if (retry) {
      // Commands and clicks are not retried by Slack: the first delivery was handled.
      return acknowledge(res);
    }
    await options.dispatch(req, res, parsed as Record<string, unknown>);
  };
}
