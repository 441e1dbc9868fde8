/**
 * The transport under the auth layer: it sends one prepared request (URL, headers, buffered body)
 * and knows nothing of tokens or users. Per attempt it takes a concurrency slot and arms a timeout
 * (from the send); both last until the call is done with the response — the call's cleanup (see
 * CallState) frees them once the body is parsed, cancelled or failed. It retries what is
 * safe to retry (retry-policy.ts), honours `Retry-After` as a minimum, never follows a redirect,
 * and makes responses safe to parse (HTML error pages, broken JSON and 3xx become typed errors).
 * Every way out is typed: a caller's abort, a timeout, a closed client, a failed shared limiter.
 */
import type { ResolvedConfig } from "../config.js";
import { ZohoApiError, ZohoError, ZohoNetworkError } from "../errors.js";
import type { Logger } from "../logging.js";
import { describeCause, safeCause } from "../safe-cause.js";
import type { CallState } from "./call-state.js";
import type { Closer } from "./closer.js";
import type { Limiter, ReleaseSlot } from "./limiter.js";
import { capBody, ResponseTooLarge, readTextCapped } from "./read-capped.js";
import { errorCodeOf, retryAfterMs, retryDelayMs, shouldRetryError, shouldRetryStatus } from "./retry-policy.js";

export interface TransportRequest {
  method: string;
  url: string;
  headers: Headers;
  /** Buffered once, so a retry or a replay sends exactly the same bytes. */
  body: ArrayBuffer | undefined;
  /** The caller's own signal (an `AbortController`, `AbortSignal.timeout(ms)`). */
  signal: AbortSignal | null | undefined;
  /** The call's bookkeeping: what its error translation needs, and the cleanup when it settles. */
  state: CallState;
  /** The body will be parsed as JSON or text: cap it at `maxResponseBytes` (file downloads are not). */
  capped: boolean;
}

export type Transport = (request: TransportRequest) => Promise<Response>;

export interface TransportOptions {
  config: Pick<ResolvedConfig, "fetch" | "retry" | "timeoutMs" | "maxResponseBytes">;
  limiter: Limiter;
  logger: Logger;
  userAgent: string;
  /** `close()`: queued and in-flight calls end with CLIENT_CLOSED. */
  closer: Closer;
  random?: () => number;
}

export function createTransport(options: TransportOptions): Transport {
  const { config, limiter, logger, userAgent, closer } = options;
  const random = options.random ?? Math.random;

  return async function send(request: TransportRequest): Promise<Response> {
    const { method, url, headers, body, state } = request;
    const where = { method, url: stripQuery(url) };
    headers.set("user-agent", userAgent);
    let attempt = 0;
    for (;;) {
      if (closer.closed) throw clientClosed(where);
      const started = Date.now();
      const signal = new AttemptSignal(request.signal, closer, config.timeoutMs);
      let release: ReleaseSlot | undefined;
      let response: Response;
      try {
        release = await limiter.acquire(signal.signal);
        signal.start(); // the timeout runs from the send, not from the queue
        response = await config.fetch(url, { method, headers, body, signal: signal.signal, redirect: "manual" });
      } catch (error) {
        release?.();
        signal.dispose();
        const code = abortCode(signal, request.signal, closer) ?? errorCodeOf(error) ?? "NETWORK_ERROR";
        if (code === "CLIENT_CLOSED") throw clientClosed(where);
        if (error instanceof ZohoError && !signal.signal.aborted) throw error; // the shared limiter's own typed errors
        logger.warn({ event: "http.error", ...where, attempt, code, ms: Date.now() - started }, "Request failed without a response");
        if (code !== "ABORTED" && code !== "TIMEOUT_CALLER" && config.retry && attempt < config.retry.limit && shouldRetryError(method, error)) {
          attempt++;
          await pause(retryDelayMs({ attempt, retry: config.retry, random }) ?? 0, request.signal, where);
          continue;
        }
        throw networkError({ ...where, code, error, timeoutMs: config.timeoutMs, attempts: attempt + 1 });
      }
      logger.debug({ event: "http.response", ...where, status: response.status, attempt, ms: Date.now() - started }, "Zoho CRM response");

      const retryAfter = retryAfterMs(response.headers.get("retry-after"), Date.now());
      if (config.retry && attempt < config.retry.limit && shouldRetryStatus(method, response.status)) {
        const wait = retryDelayMs({ attempt: attempt + 1, retry: config.retry, retryAfter, random });
        if (wait !== undefined) {
          attempt++;
          logger.info({ event: "http.retry", ...where, status: response.status, attempt, waitMs: wait }, "Retrying");
          signal.dispose();
          release();
          await response.body?.cancel().catch(() => {});
          await pause(wait, request.signal, where);
          continue;
        }
        logger.warn(
          { event: "http.retry_after_too_long", ...where, status: response.status, retryAfterMs: retryAfter },
          "Retry-After is longer than retry.maxRetryAfterMs: not retrying early",
        );
      }
      // The timer keeps guarding the body read and the slot stays taken: the call's cleanup frees both.
      state.method = method;
      state.url = where.url;
      state.status = response.status;
      state.attempt = signal;
      state.cleanup = () => {
        signal.dispose();
        release();
      };
      if (response.status >= 400) logger.warn({ event: "http.error_status", ...where, status: response.status, attempt }, "Zoho answered with an error status");
      const normalised = await normaliseResponse(response, { ...where, retryAfterMs: retryAfter, maxBytes: config.maxResponseBytes });
      if (!request.capped || !normalised.ok || normalised.status === 204) return normalised;
      try {
        return capBody(normalised, config.maxResponseBytes);
      } catch (error) {
        throw tooLarge(where, response.status, error);
      }
    }
  };

  /** A backoff sleep that ends early, typed, when the caller aborts or the client closes. */
  async function pause(ms: number, callerSignal: AbortSignal | null | undefined, where: { method: string; url: string }): Promise<void> {
    const signal = new AttemptSignal(callerSignal, closer, 0);
    try {
      await sleep(ms, signal.signal);
    } catch {
      if (closer.closed) throw clientClosed(where);
      const caller = (callerSignal?.reason as { name?: unknown } | undefined)?.name === "TimeoutError";
      throw networkError({ ...where, code: caller ? "TIMEOUT_CALLER" : "ABORTED", error: callerSignal?.reason, timeoutMs: undefined, attempts: 1 });
    } finally {
      signal.dispose();
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * One attempt's abort signal: aborted by the caller's signal, the client's close, or its own
 * timeout. Cheaper than AbortSignal.any + AbortSignal.timeout per call; the timer is unref'd so it
 * never holds the process open.
 */
export class AttemptSignal {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | null | undefined;
  readonly #closer: Closer;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #timedOut = false;
  readonly #onAbort = () => this.#controller.abort(this.#caller?.reason);

  constructor(caller: AbortSignal | null | undefined, closer: Closer, timeoutMs: number) {
    this.#caller = caller;
    this.#closer = closer;
    this.#timeoutMs = timeoutMs;
    closer.track(this.#controller);
    if (caller?.aborted) this.#controller.abort(caller.reason);
    else caller?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  start(): void {
    if (this.#timer || this.#controller.signal.aborted) return;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new DOMException(`timed out after ${this.#timeoutMs} ms`, "TimeoutError"));
    }, this.#timeoutMs);
    this.#timer.unref();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this.#onAbort);
    this.#closer.untrack(this.#controller);
  }
}

/** Why an attempt was aborted, when it was: the client closed, the caller's own timeout or abort, our timeout. */
function abortCode(attempt: AttemptSignal, caller: AbortSignal | null | undefined, closer: Closer): string | undefined {
  if (closer.closed) return "CLIENT_CLOSED";
  if (caller?.aborted) return (caller.reason as { name?: unknown } | undefined)?.name === "TimeoutError" ? "TIMEOUT_CALLER" : "ABORTED";
  if (attempt.timedOut) return "TIMEOUT";
  return undefined;
}

export function clientClosed(where: { method: string; url: string }): ZohoNetworkError {
  return new ZohoNetworkError(`${where.method} ${where.url} was cancelled: the client was closed (crm.close()). Create a new client to make more calls.`, {
    code: "CLIENT_CLOSED",
    method: where.method,
    url: where.url,
  });
}

function stripQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : url.slice(0, index);
}

export function networkError(options: {
  method: string;
  url: string;
  code: string;
  error: unknown;
  timeoutMs: number | undefined;
  attempts: number;
}): ZohoNetworkError {
  const { method, url, error, timeoutMs, attempts } = options;
  const callerTimeout = options.code === "TIMEOUT_CALLER";
  const code = callerTimeout ? "TIMEOUT" : options.code;
  const where = `${method} ${url}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const write = method === "GET" || method === "HEAD";
  const message =
    code === "ABORTED"
      ? `${where} was aborted by the caller's signal.`
      : code === "TIMEOUT"
        ? `${where} timed out${callerTimeout ? " (the call's own signal)" : ` after ${timeoutMs} ms`}${tries}. Raise the timeout or check the network.${write ? "" : " A write that timed out may or may not have been applied: check before retrying."}`
        : `${where} got no response${tries} (${describeCause(error)}). Check the network and the API host.${write ? "" : " A write whose connection broke may or may not have been applied: check before retrying."}`;
  return new ZohoNetworkError(message, { code, method, url, cause: safeCause(error) });
}

/**
 * Makes a response safe for openapi-fetch's parser. Successful bodies pass through untouched (one
 * parse, by openapi-fetch; a body that fails there becomes a typed error in the call guard). Error
 * bodies that are not JSON (an HTML gateway page, a truncated body) become a Zoho-shaped error, so
 * `{ error }.code` always exists; a redirect is an error, never followed (a 301 on a POST must not
 * become a GET that "succeeds"); a 429/503 says how long the server asked to wait (`retryAfterMs`).
 * 204/304 get an explicit empty body.
 */
async function normaliseResponse(
  response: Response,
  where: { method: string; url: string; retryAfterMs: number | undefined; maxBytes: number },
): Promise<Response> {
  if (response.status === 204 || response.status === 304) {
    await response.body?.cancel().catch(() => {});
    const headers = new Headers(response.headers);
    headers.set("content-length", "0");
    return withUrl(new Response(null, { status: response.status, statusText: response.statusText, headers }), response.url);
  }
  if (response.ok) return response;
  const status = response.status;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  const retry = (status === 429 || status === 503) && where.retryAfterMs !== undefined ? { retryAfterMs: where.retryAfterMs } : {};
  const reply = (body: Record<string, unknown>) =>
    withUrl(new Response(JSON.stringify(body), { status, statusText: response.statusText, headers }), response.url);
  if (status >= 300 && status < 400) {
    await response.body?.cancel().catch(() => {});
    const location = response.headers.get("location");
    return reply({
      code: "REDIRECT_NOT_FOLLOWED",
      details: { status, location: location ? stripQuery(location) : null },
      message: `Zoho answered HTTP ${status} (a redirect), which the SDK does not follow: a token must not travel to another host, and a redirected write could change method. Check the API host (apiBaseUrl, dataCenter).`,
      status: "error",
    });
  }
  const type = response.headers.get("content-type") ?? "";
  const isText = /^text\//i.test(type);
  if (!/json/i.test(type) && !isText && type !== "") return response;
  let text: string;
  try {
    text = await readTextCapped(response, where.maxBytes);
  } catch (error) {
    if (error instanceof ResponseTooLarge) throw tooLarge(where, status, error);
    throw new ZohoNetworkError(`${where.method} ${where.url}: the connection broke while reading the response (${describeCause(error)}).`, {
      code: "RESPONSE_INTERRUPTED",
      method: where.method,
      url: where.url,
      cause: safeCause(error),
    });
  }
  if (text.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined; // not JSON: the synthetic body below
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const body = parsed as Record<string, unknown>;
      // Zoho's own error bodies (request-level `code`, or record-level `data[]`) pass as they are.
      if (typeof body.code === "string" || Array.isArray(body.data)) return reply({ ...body, ...retry });
      // A proxy's JSON error: keep what it said, and give it the `code` callers branch on.
      return reply({ ...body, code: `HTTP_${status}`, status: "error", message: typeof body.message === "string" ? body.message : `HTTP ${status}`, ...retry });
    }
  }
  return reply({
    code: status === 429 ? "TOO_MANY_REQUESTS" : `HTTP_${status}`,
    details: { status, contentType: type || null },
    message: `Zoho answered HTTP ${status} with ${text.trim() === "" ? "an empty body" : `a non-JSON body (${isText ? "an HTML or text page" : "unknown content"})`}.`,
    status: "error",
    ...retry,
  });
}

/** A body over `maxResponseBytes`: refused, read no further. */
export function tooLarge(where: { method: string; url: string }, status: number, error: unknown): ZohoApiError {
  const limit = error instanceof ResponseTooLarge ? error.limit : undefined;
  return new ZohoApiError(
    `${where.method} ${where.url} answered HTTP ${status} with a body over ${limit ?? "the"} bytes (maxResponseBytes); it was not read. Zoho's answers are far smaller: check the API host, or raise maxResponseBytes.`,
    { code: "RESPONSE_TOO_LARGE", status, method: where.method, url: where.url },
  );
}

function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, "url", { value: url });
  return response;
}
