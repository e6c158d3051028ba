import { AsyncLocalStorage } from "node:async_hooks";
import type { TeamsAdapter } from "@microsoft/teams-ai";

/**
 * Every outgoing call to a Teams connector (an activity's serviceUrl:
 * sending, updating, member lookups, new conversations, proactive messages)
 * goes through this HTTP client, given to the adapter as
 * `ConnectorClientOptions.httpClient`, which botbuilder's ConnectorFactory
 * passes on to every ConnectorClient it builds (it overwrites
 * requestPolicyFactories, so a policy could not). botbuilder sets no timeout, so a
 * silent serviceUrl held a request for over a minute; Teams wants an invoke
 * answered within 5 s. Here each call has its own limit, and the calls made
 * for one inbound activity share a budget: once one of them timed out, the
 * rest of that turn fails at once instead of waiting again. Within a turn, an
 * answer the pipeline would retry (5xx, 408, 429) ends the call at once too:
 * its retry delays (about 1, 2 and 4 s) do not fit in an invoke's 5 s.
 * See docs/architecture.md (Teams edge).
 */

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof TeamsAdapter>[3]>;
type HttpClient = NonNullable<ConnectorClientOptions["httpClient"]>;
type HttpRequest = Parameters<HttpClient["sendRequest"]>[0];
type HttpResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;

/** A connector call that ran out of time or was refused for now; the routes answer it like any unexpected error. */
export class ConnectorUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectorUnavailableError";
  }
}

/** Statuses core-client's retry policies retry (exponential: 408 and 5xx but 501/505; throttling: 429). */
function isRetried(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** The budget of the inbound activity being handled, if any (proactive calls outside a turn have none). */
const turnBudget = new AsyncLocalStorage<AbortController>();

/** Runs the handling of one inbound activity: the connector calls it makes end within `ms`. */
export async function withinTurnBudget<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), ms);
  timer.unref();
  try {
    return await turnBudget.run(budget, work);
  } finally {
    clearTimeout(timer);
  }
}

function bodyOf(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // The connector's operations only send JSON text; a stream would need more than this client does.
  throw new Error("unsupported request body for the Teams connector");
}

function signalOf(request: HttpRequest): AbortSignal | undefined {
  const like = request.abortSignal;
  if (!like) return undefined;
  if (like instanceof AbortSignal) return like;
  const controller = new AbortController();
  if (like.aborted) controller.abort();
  else like.addEventListener("abort", () => controller.abort());
  return controller.signal;
}

/** The response headers in the pipeline's own collection type (a cleared copy of the request's). */
function headersOf(request: HttpRequest, headers: Headers): HttpResponse["headers"] {
  const out = request.headers.clone();
  for (const { name } of out.headersArray()) out.remove(name);
  headers.forEach((value, name) => {
    out.set(name, value);
  });
  return out;
}

/** An HTTP client for the connector whose every call ends within `callMs` (and within its turn's budget). */
export function boundedConnectorHttpClient(callMs: number): HttpClient {
  return {
    async sendRequest(request: HttpRequest): Promise<HttpResponse> {
      const turn = turnBudget.getStore();
      if (turn?.signal.aborted) {
        throw new ConnectorUnavailableError("the Teams connector call was not made: this turn ran out of time");
      }
      const limitMs = request.timeout > 0 ? Math.min(request.timeout, callMs) : callMs;
      const timeout = AbortSignal.timeout(limitMs);
      const signals = [timeout, turn?.signal, signalOf(request)].filter((s): s is AbortSignal => s !== undefined);
      const signal = AbortSignal.any(signals);
      try {
        const res = await fetch(request.url, {
          method: request.method,
          headers: request.headers.toJson({ preserveCase: true }),
          body: bodyOf(request.body),
          // The pipeline's redirect policy follows redirects itself.
          redirect: "manual",
          signal,
        });
        const bodyAsText = await res.text();
        if (turn && isRetried(res.status)) {
          // Not a RestError, so the retry policy gives up at once.
          throw new ConnectorUnavailableError(`the Teams connector answered ${res.status}`);
        }
        return { request, status: res.status, headers: headersOf(request, res.headers), bodyAsText };
      } catch (err) {
        if (err instanceof ConnectorUnavailableError || (!timeout.aborted && !turn?.signal.aborted)) throw err;
        // The connector is not answering: the rest of this turn does not wait for it again.
        turn?.abort();
        throw new ConnectorUnavailableError(`the Teams connector did not answer within ${limitMs} ms`);
      }
    },
  };
}
