import type { IncomingHttpHeaders } from "node:http";
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "../../logger.ts";
import { activityProblems } from "./activity.ts";

/**
 * The HTTP edge of /api/messages, in front of botbuilder: who may call,
 * what body is read, and which activities reach the adapter. Every refusal is
 * a short JSON answer ({ code, message }) without detail.
 * See docs/architecture.md (Teams edge).
 */

/** What Bot Framework sends is at most about 256 KB per activity. */
export const ACTIVITY_LIMIT_BYTES = 256 * 1024;

/**
 * Headers a reverse proxy, load balancer or CDN adds. A local Bot Framework
 * client (Emulator, Agents Playground) sends none of them.
 */
const PROXY_HEADER =
  /^(forwarded|via|x-forwarded.*|x-original-.*|x-real-ip|x-client-ip|x-cluster-client-ip|x-remote-.*|x-originating-ip|x-proxy.*|x-envoy-.*|x-azure-.*|x-arr-.*|x-amzn-.*|true-client-ip|client-ip|cf-.*|fastly-.*|akamai-.*)$/;

/** The name of the first proxy header present, if any. */
export function proxyHeaderOf(headers: IncomingHttpHeaders): string | undefined {
  return Object.keys(headers).find((name) => PROXY_HEADER.test(name.toLowerCase()));
}

/** Whether the TCP peer is this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ code, message });
}

function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Reads the activity: JSON only (415 otherwise), at most `limit` bytes (413),
 * well-formed (400). Body-parser's errors never reach the app's error handler.
 */
export function readActivity(limit = ACTIVITY_LIMIT_BYTES): RequestHandler {
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req, res, next) => {
    if (!hasBody(req)) {
      refuse(res, 400, "BAD_REQUEST", "A Bot Framework activity is required.");
      return;
    }
    if (!req.is(["application/json", "application/*+json"])) {
      refuse(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the activity as JSON (Content-Type: application/json).");
      return;
    }
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        next();
        return;
      }
      const e = err as { type?: unknown; status?: unknown };
      if (e.type === "entity.too.large") {
        refuse(res, 413, "PAYLOAD_TOO_LARGE", "The activity is too large.");
      } else if (e.type === "charset.unsupported" || e.type === "encoding.unsupported") {
        refuse(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the activity as UTF-8 JSON.");
      } else if (typeof e.status === "number" && e.status >= 400 && e.status < 500) {
        refuse(res, 400, "BAD_REQUEST", "The activity is not valid JSON.");
      } else {
        next(err);
      }
    });
  };
}

/** Refuses (400) what is not shaped like an activity before botbuilder or a route dereferences it. */
export function checkActivity(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const problems = activityProblems(req.body);
    if (problems) {
      logger.warn({ problems }, "refused a malformed Teams activity");
      refuse(res, 400, "BAD_REQUEST", "Not a Bot Framework activity.");
      return;
    }
    next();
  };
}
