import type { IncomingMessage, ServerResponse } from "node:http";
import { type App, HTTPModuleFunctions, HTTPResponseAck, type Logger as SlackLogger } from "@slack/bolt";

/**
 * What Bolt's ExpressReceiver does with a request on its events path, for a
 * body the request guard has already read, verified and parsed
 * (docs/architecture.md, Slack edge): Slack's ssl_check and url_verification
 * answered, anything else handed to the App with Bolt's own acknowledgement
 * (HTTPResponseAck: the answer in the HTTP response, its 3-second timer, the
 * answer held until the listeners finish with processBeforeResponse) and
 * Bolt's own error handling. The receiver reads and parses every body a
 * second time; served here, each one is read once.
 */
export function slackEvents(
  app: () => App,
  options: { logger: SlackLogger; processBeforeResponse: boolean },
): (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => Promise<void> {
  const { logger, processBeforeResponse } = options;
  return async (req, res, body) => {
    if (body.ssl_check) {
      res.writeHead(200);
      res.end();
      return;
    }
    if (body.type === "url_verification") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await app().processEvent({
        body,
        ack: ack.bind(),
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
        customProperties: {},
      });
      if (ack.storedResponse !== undefined) HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
    } catch (error) {
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (acknowledged) ack.ack();
    }
  };
}
