import type { IncomingMessage, ServerResponse } from "node:http";
import { type RequestHandler, type Response, Router } from "express";
import proxyaddr from "proxy-addr";
import { z } from "zod";
import type { TrustProxy } from "../config.ts";
import {
  type AttemptSubject,
  activateInstallation,
  activateInstallationInput,
  checkAttempt,
  DEFAULT_RATE_LIMITS,
  type Deps,
  type RateLimits,
  recordFailedAttempt,
  reportNotifications,
  reportNotificationsInput,
  validateInstallation,
} from "../handlers/index.ts";
import type { Logger } from "../logger.ts";
import {
  type ApiRequest,
  type ApiResponse,
  answerError,
  answeredCode,
  errorHandler,
  hasBody,
  jsonBody,
  parseBody,
  sendError,
  sendJson,
} from "./http.ts";
import { openApiDocument } from "./openapi.ts";

export interface ApiOptions {
  logger: Logger;
  /** Failed-attempt limits; tests shorten them. */
  rateLimits?: Partial<RateLimits>;
  /** Largest request bodies accepted, in bytes. */
  bodyLimits?: Partial<BodyLimits>;
  /** TRUST_PROXY: which proxies' X-Forwarded-For is believed for the caller's address (as Express's `trust proxy`). */
  trustProxy?: TrustProxy | undefined;
}

/** The full path of the busiest route, served before Express when a request names it exactly (see ClientApi). */
export const VALIDATIONS_PATH = "/api/v1/validations";

/**
 * The client API: its router (mounted at /api/v1), the validations route on
 * Node's own request and response, and what ends it: the summary of the
 * validations not yet logged.
 */
export interface ClientApi {
  router: Router;
  /**
   * POST /validations without Express (docs/architecture.md, "Client app
   * API"): the server hands it a POST to exactly VALIDATIONS_PATH; the router
   * serves every other spelling Express matches with the same function.
   */
  validations(req: IncomingMessage, res: ServerResponse): Promise<void>;
  flushSummary(): void;
}

/** VALID validations are logged as one line a minute (see minuteSummary). */
const SUMMARY_EVERY_MS = 60_000;

/**
 * Successful validations are the bulk of the client API's traffic (each
 * app, at each start and every few minutes): one line each would make most
 * of the log and a tenth of the request's time. They are counted instead,
 * and logged as one line per period with the count, the mean and the
 * slowest time; refusals, errors and the other routes keep a line each. At
 * LOG_LEVEL=debug every VALID answer has its own line as well.
 */
function minuteSummary(logger: Logger, everyMs: number) {
  let count = 0;
  let totalMs = 0;
  let maxMs = 0;
  let since = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (count === 0) return;
    logger.info(
      {
        method: "POST",
        path: "/validations",
        status: 200,
        code: "VALID",
        count,
        meanMs: Math.round((totalMs / count) * 10) / 10,
        maxMs: Math.round(maxMs),
        seconds: Math.round((performance.now() - since) / 1000),
      },
      "client api validations",
    );
    count = 0;
    totalMs = 0;
    maxMs = 0;
  };
  return {
    count(ms: number) {
      if (count === 0) since = performance.now();
      count++;
      totalMs += ms;
      if (ms > maxMs) maxMs = ms;
      if (!timer) {
        timer = setTimeout(flush, everyMs);
        // A quiet server is not kept alive by its summary: close() flushes it.
        timer.unref();
      }
    },
    flush,
  };
}

export interface BodyLimits {
  activations: number;
  validations: number;
  notifications: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  activations: 64 * 1024,
  validations: 64 * 1024,
  // 500 notifications of the largest size fit.
  notifications: 1024 * 1024,
};

/** A token as RFC 6750 allows it; ours are 43 base64url characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]{16,512}=*$/;

/** validations takes no input: an empty object (or no body at all). */
const emptyInput = z.object({}).strict();

/** What the notifications route's middleware leaves for its handler. */
interface Locals {
  token?: string;
  subject?: AttemptSubject;
}

/** Every client API answer: never cached, never sniffed. */
function secureHeaders(res: ServerResponse): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
}

/** `{}`, as JSON or as jsonBody's stand-in for no body (not an array, not null). */
function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

/** What the bearer middleware left for the route. */
function authenticated(res: Response): { token: string; subject: AttemptSubject } {
  const { token, subject } = locals(res);
  if (token === undefined || subject === undefined) throw new Error("route mounted without addressGate and bearer");
  return { token, subject };
}

/** The well-formed bearer token of the request, if it has one. */
function bearerToken(req: IncomingMessage): string | undefined {
  const token = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? "")?.[1];
  return token && TOKEN_PATTERN.test(token) ? token : undefined;
}

/**
 * The caller's address: the connection's, or with TRUST_PROXY (hops or
 * addresses) the one the last trusted proxy saw, as Express's `req.ip`
 * computes it with the same setting (proxy-addr, which Express uses).
 */
function addressFinder(trust: TrustProxy): (req: IncomingMessage) => string {
  if (trust === false) return (req) => req.socket.remoteAddress ?? "unknown";
  const trusted = typeof trust === "number" ? (_addr: string, hop: number) => hop < trust : proxyaddr.compile(trust);
  return (req) => proxyaddr(req, trusted);
}

/**
 * The client app's HTTP API (mounted at /api/v1): activate, validate,
 * report notifications, and the OpenAPI description. Domain outcomes are
 * 200 with a `code`; see docs/api.md.
 */
export function createClientApi(deps: Deps, options: ApiOptions): ClientApi {
  const { logger } = options;
  const addressOf = addressFinder(options.trustProxy ?? false);
  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const bodyLimits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
  const router = Router();

  const answer = (res: ServerResponse, body: { code: string } & Record<string, unknown>) => sendJson(res, 200, body);

  /** 429 when the subject used up its failed attempts; true when it may go on. */
  const admit = async (subject: AttemptSubject, res: ServerResponse): Promise<boolean> => {
    const check = await checkAttempt(deps, rateLimits, subject);
    if (check.allowed) return true;
    res.setHeader("Retry-After", String(check.retryAfterSeconds));
    sendError(res, 429, "RATE_LIMITED", "Too many failed attempts. Try again later.");
    return false;
  };

  const failed = async (subject: AttemptSubject) => await recordFailedAttempt(deps, rateLimits, subject);

  /** The address's own limit, checked before anything is read. */
  const addressGate: RequestHandler = async (req, res, next) => {
    const subject = { address: addressOf(req) };
    locals(res).subject = subject;
    if (await admit(subject, res)) next();
  };

  /** A missing or malformed bearer token: a failed attempt, and 401. */
  const refuseBearer = async (subject: AttemptSubject, res: ServerResponse) => {
    await failed(subject);
    res.setHeader("WWW-Authenticate", 'Bearer realm="licencias-pymes"');
    sendError(res, 401, "UNAUTHORIZED", "Send the installation token as Authorization: Bearer <token>.");
  };

  /** `Authorization: Bearer <installation token>`; a missing or malformed one is a failed attempt. */
  const bearer: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req);
    if (!token) {
      await refuseBearer(locals(res).subject ?? { address: addressOf(req) }, res);
      return;
    }
    locals(res).token = token;
    next();
  };

  /** The request's line: only the route, the status and the code, never a body, a token or an address. */
  const logRequest = (
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    level: "info" | "debug" = "info",
  ) => {
    logger[level](
      {
        method: req.method,
        path,
        status: res.statusCode,
        code: answeredCode(res),
        ms: Math.round(performance.now() - started),
      },
      "client api request",
    );
  };
  const validSummary = minuteSummary(logger, SUMMARY_EVERY_MS);
  const debug = logger.isLevelEnabled("debug");

  const validationsBody = jsonBody(bodyLimits.validations, { optional: true });
  /** Any answer but VALID gets its line, once: each path below calls this once it has answered. */
  const logged = new WeakSet<ServerResponse>();
  const logValidation = (req: IncomingMessage, res: ServerResponse, started: number) => {
    if (answeredCode(res) === "VALID" || logged.has(res)) return;
    logged.add(res);
    logRequest("/validations", req, res, started);
  };
  /** After the body (none, the usual case, or `{}`): the use case and its answer. */
  const validate = async (
    req: ApiRequest,
    res: ApiResponse,
    subject: AttemptSubject,
    token: string,
    started: number,
  ) => {
    try {
      if (!isEmptyObject(req.body) && !parseBody(emptyInput, req, res)) return;
      const result = await validateInstallation(deps, rateLimits, subject, token);
      if (result.code === "VALID") {
        answer(res, { code: "VALID" });
        validSummary.count(performance.now() - started);
        if (debug) logRequest("/validations", req, res, started, "debug");
        return;
      }
      if (result.code === "RATE_LIMITED") {
        res.setHeader("Retry-After", String(result.retryAfterSeconds));
        sendError(res, 429, "RATE_LIMITED", "Too many failed attempts. Try again later.");
        return;
      }
      // Only the code: the internal ids stay inside.
      answer(res, { code: result.code });
    } catch (caught) {
      answerError(logger, caught, res);
    } finally {
      logValidation(req, res, started);
    }
  };
  /**
   * POST /validations, the busiest route (every client app, at each start and
   * every few minutes): one handler, matched before the others, doing what
   * the shared middleware does for the rest (docs/architecture.md, "Client
   * app API"). It reads the limits only to decide a failure: a malformed
   * token here, an unknown one in the use case (which also refuses a known
   * token from a locked-out address, from the lookup's own row). A VALID
   * answer is counted in the minute's summary, not logged on its own line.
   */
  const validations = async (req: ApiRequest, res: ApiResponse): Promise<void> => {
    const started = performance.now();
    try {
      secureHeaders(res);
      const subject = { address: addressOf(req) };
      const token = bearerToken(req);
      if (!token) {
        if (await admit(subject, res)) await refuseBearer(subject, res);
        logValidation(req, res, started);
        return;
      }
      // No body at all is the usual case: nothing to read or parse.
      if (!hasBody(req)) {
        req.body = {};
        return await validate(req, res, subject, token, started);
      }
      validationsBody(req, res, (err?: unknown) => {
        if (!err) return void validate(req, res, subject, token, started);
        answerError(logger, err, res);
        logValidation(req, res, started);
      });
      // A body it refuses before reading (not JSON) is answered by the parser itself.
      if (res.headersSent) logValidation(req, res, started);
    } catch (caught) {
      answerError(logger, caught, res);
      logValidation(req, res, started);
    }
  };
  router.post("/validations", (req, res) => void validations(req, res));

  router.use((req, res, next) => {
    secureHeaders(res);
    const started = performance.now();
    res.on("finish", () => logRequest(req.path, req, res, started));
    next();
  });

  router.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument);
  });

  router.post("/activations", jsonBody(bodyLimits.activations), async (req, res) => {
    const input = parseBody(activateInstallationInput, req, res);
    if (!input) return;
    const subject = { address: addressOf(req), licenceNumber: input.licenceNumber };
    if (!(await admit(subject, res))) return;
    const result = await activateInstallation(deps, input);
    if (result.code === "NOT_FOUND") await failed(subject);
    answer(res, result);
  });

  router.post("/notifications", addressGate, bearer, jsonBody(bodyLimits.notifications), async (req, res) => {
    const input = parseBody(reportNotificationsInput, req, res);
    if (!input) return;
    const { token, subject } = authenticated(res);
    const result = await reportNotifications(deps, token, input);
    if (result.code === "NOT_FOUND") await failed(subject);
    answer(
      res,
      result.code === "ACCEPTED"
        ? { code: "ACCEPTED", received: input.notifications.length, created: result.created, updated: result.updated }
        : { code: result.code },
    );
  });

  const methodNotAllowed =
    (allow: string): RequestHandler =>
    (_req, res) => {
      res.setHeader("Allow", allow);
      sendError(res, 405, "METHOD_NOT_ALLOWED", `Use ${allow}.`);
    };
  router.all(["/activations", "/validations", "/notifications"], methodNotAllowed("POST"));
  router.all("/openapi.json", methodNotAllowed("GET, HEAD"));

  router.use(errorHandler(logger));
  return { router, validations, flushSummary: validSummary.flush };
}
