// Not teams-ai's index, which loads the OpenAI client (see index.ts).
import { TeamsAdapter } from "@microsoft/teams-ai/lib/TeamsAdapter.js";
import type { Activity, TurnContext } from "botbuilder";
import type { Request, Response } from "express";
import type { Logger } from "../../logger.ts";

/**
 * jsonwebtoken's errors, which botbuilder rethrows as they are when a token
 * names a real signing key but its signature, algorithm or dates are wrong.
 */
const TOKEN_ERRORS = new Set(["JsonWebTokenError", "NotBeforeError", "TokenExpiredError"]);

/** The errors botbuilder throws for a token that does not verify (their classes are not dependencies of ours). */
function isAuthenticationError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { statusCode?: unknown }).statusCode;
  return err.name === "AuthenticationError" || TOKEN_ERRORS.has(err.name) || status === 401 || status === 403;
}

/** Bot Framework's timestamps, as botbuilder's own request handling turns them into dates. */
function withDates(activity: Record<string, unknown>): Activity {
  for (const key of ["timestamp", "expiration", "localTimestamp"]) {
    const value = activity[key];
    if (typeof value === "string") {
      activity[`raw${key[0]?.toUpperCase()}${key.slice(1)}`] = value;
      activity[key] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/**
 * A TeamsAdapter whose HTTP handling goes through our logger. CloudAdapter's
 * own `process` prints every failure to stderr with `console.error(err)` (a
 * whole stack for each request with a bad token: anyone could fill the disk)
 * and answers a body without a type with a 500. Here the same steps are taken
 * (verify the token, run the turn, answer the invoke response) and a refusal
 * is one warn line and a 401. See docs/architecture.md (Logs).
 */
export class LoggedTeamsAdapter extends TeamsAdapter {
  async handle(
    req: Request,
    res: Response,
    logic: (context: TurnContext) => Promise<void>,
    logger: Logger,
  ): Promise<void> {
    const body: unknown = req.body;
    if (
      !body ||
      typeof body !== "object" ||
      Array.isArray(body) ||
      typeof (body as { type?: unknown }).type !== "string"
    ) {
      logger.warn("refused a Teams request that is not a Bot Framework activity");
      res.status(400).json({ code: "BAD_REQUEST", message: "Not a Bot Framework activity." });
      return;
    }
    // As the Slack SDK's debug output does: the whole payload, for the operator chasing a problem (redacted).
    if (logger.isLevelEnabled("trace")) logger.trace({ body: JSON.stringify(body) }, "Teams activity received");
    const activity = withDates(body as Record<string, unknown>);
    let invoke: { status: number; body?: unknown } | undefined;
    try {
      invoke = await this.processActivity(req.headers.authorization ?? "", activity, logic);
    } catch (err) {
      if (isAuthenticationError(err)) {
        logger.warn({ reason: (err as Error).message }, "refused a Teams activity whose token does not verify");
        res.status(401).json({ code: "UNAUTHORIZED", message: "The Bot Framework token does not verify." });
        return;
      }
      // Turn errors are handled by the app's error handler: what is left is verification that could not run.
      logger.error(
        { reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) },
        "could not verify or process a Teams activity",
      );
      res.status(500).json({ code: "INTERNAL", message: "Something went wrong." });
      return;
    }
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.send(invoke.body);
    else res.end();
  }
}
