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
 * Headers a reverse proxy, load balancer or CDN adds: the standard ones and
 * the families vendors use (`X-Forwarded-*`, `*-Client-IP`, `*-Real-IP`,
 * `*-Connecting-IP`, `*-Via`, CDN and platform prefixes). A local Bot
 * Framework client (Emulator, Agents Playground) sends none of them.
 */
const PROXY_HEADER =
  /^(forwarded|via|x-forwarded.*|forwarded-.*|x-original-.*|x-rewrite-url|x-host|x-real-.*|x-remote-.*|x-originating-ip|x-proxy.*|proxy-.*|x-envoy-.*|x-azure-.*|x-arr-.*|x-ms-forwarded-.*|x-amzn?-.*|x-appengine-.*|x-vercel-.*|x-nf-.*|fly-.*|x-varnish|x-cache.*|cdn-loop|front-end-https|true-client-ip|cf-.*|fastly-.*|akamai-.*|x-akamai-.*|.*client-?ip.*|.*real-?ip|.*true-?ip|.*connecting-ip.*|.*-via|.*-from-ip|.*-edge-.*)$/;

/** The name of the first proxy header present, if any. */
export function proxyHeaderOf(headers: IncomingHttpHeaders): string | undefined {
  return Object.keys(headers).find((name) => PROXY_HEADER.test(name.toLowerCase()));
}

/**
 * Whether the Host header names this machine by a loopback name or address
 * (`localhost`, `127.x.x.x`, `[::1]`, with any port). A same-host proxy that
 * keeps the public Host, and a web page that rebinds its own name to
 * 127.0.0.1 (DNS rebinding), both send another name.
 */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const name = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(host)?.[1] ?? /^([^:]+)(?::\d{1,5})?$/.exec(host)?.[1];
  if (!name) return false;
  const lower = name.toLowerCase();
  return lower === "localhost" || lower === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower);
}

/** Whether the TCP peer is this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** What botbuilder accepts (AuthenticationConstants.AllowedSigningAlgorithms). */
const SIGNING_ALGORITHMS = new Set(["RS256", "RS384", "RS512"]);

/**
 * Whether an Authorization header can hold a Bot Framework token: a JWT
 * whose header names an RSA algorithm and a signing key. Anything else
 * (`alg: none`, HS256, no key id, not a JWT) cannot verify, so it is refused
 * before botbuilder fetches signing keys for it or prints its failure.
 */
export function isBotFrameworkBearer(authorization: string | undefined): boolean {
  const match = /^Bearer ([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/i.exec(authorization ?? "");
  if (!match?.[1]) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(match[1], "base64url").toString("utf8"));
    if (!header || typeof header !== "object") return false;
    const { alg, kid } = header as { alg?: unknown; kid?: unknown };
    return typeof alg === "string" && SIGNING_ALGORITHMS.has(alg) && typeof kid === "string" && kid.length > 0;
  } catch {
    return false;
  }
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
