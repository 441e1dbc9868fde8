/**
 * The `fetch` under the middleware chain: concurrency cap, per-attempt timeout, retries (see
 * retry-policy.ts), one token refresh + replay on a 401 INVALID_TOKEN, and responses made safe to
 * parse (HTML error pages and broken JSON become typed errors, never a crash).
 * The request body is buffered once so a replay sends exactly the same bytes.
 */
import { ZohoNetworkError } from "../errors.js";
import type { ResolvedConfig } from "../config.js";
import type { Logger } from "../logging.js";
import { Authorizer } from "../auth/authorizer.js";
import type { TokenManager } from "../auth/token-manager.js";
import type { AuthLedger } from "./auth-middleware.js";
import type { Limiter } from "./limiter.js";
import type { CallContext } from "./call-context.js";
import { describeCause, safeCause } from "../safe-cause.js";
import { errorCodeOf, retryAfterMs, retryDelayMs, shouldRetryError, shouldRetryStatus } from "./retry-policy.js";

/** 401 codes an access-token refresh can heal; scope and permission errors cannot. */
const REFRESHABLE_401 = new Set(["INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"]);

export interface TransportOptions {
  config: ResolvedConfig;
  authorizer: Authorizer;
  tokens: TokenManager;
  ledger: AuthLedger;
  limiter: Limiter;
  calls: CallContext;
  logger: Logger;
  userAgent: string;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function createZohoFetch(options: TransportOptions): (input: Request) => Promise<Response> {
  const { config, authorizer, tokens, ledger, limiter, logger, userAgent, calls } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;

  return async function zohoFetch(input: Request): Promise<Response> {
    let auth = ledger.get(input);
    const method = input.method.toUpperCase();
    const body = input.body ? await input.arrayBuffer() : undefined;
    const headers = input.headers;
    headers.set("user-agent", userAgent);
    let url = auth ? authorizer.target(input.url, auth) : input.url;
    const userSignal = input.signal;
    let attempt = 0;
    let replayed401 = false;

    for (;;) {
      const started = Date.now();
      const attemptSignal = new AttemptSignal(userSignal, config.timeoutMs);
      let response: Response;
      try {
        response = await limiter.run(() => {
          attemptSignal.start(); // the timeout runs from the send, not from the queue
          return config.fetch(url, { method, headers, body, signal: attemptSignal.signal, redirect: input.redirect });
        });
      } catch (error) {
        attemptSignal.dispose();
        const aborted = userSignal.aborted;
        // A per-call `signal: AbortSignal.timeout(ms)` is a timeout too, not a cancellation.
        const callerTimeout = aborted && (userSignal.reason as { name?: unknown } | undefined)?.name === "TimeoutError";
        const timedOut = callerTimeout || (!aborted && attemptSignal.timedOut);
        const code = timedOut ? "TIMEOUT" : aborted ? "ABORTED" : (errorCodeOf(error) ?? "NETWORK_ERROR");
        logger.warn({ event: "http.error", method, url: stripQuery(url), attempt, code, ms: Date.now() - started }, "Request failed without a response");
        if (!aborted && config.retry && attempt < config.retry.limit && shouldRetryError(method, error)) {
          attempt++;
          await sleep(retryDelayMs({ attempt, retry: config.retry, random }), userSignal);
          continue;
        }
        throw networkError({ method, url, code, error, timeoutMs: callerTimeout ? undefined : config.timeoutMs, attempts: attempt + 1 });
      }
      logger.debug({ event: "http.response", method, url: stripQuery(url), status: response.status, attempt, ms: Date.now() - started }, "Zoho CRM response");

      if (response.status === 401 && auth?.managed && auth.user && !replayed401) {
        const code = await peekErrorCode(response);
        if (code && REFRESHABLE_401.has(code)) {
          replayed401 = true;
          await response.body?.cancel().catch(() => {});
          logger.info({ event: "auth.replay_after_401", user: auth.user, code }, "Access token rejected; refreshing and replaying once");
          attemptSignal.dispose();
          auth = authorizer.fromRecord(await tokens.refresh(auth.user, { staleToken: auth.token }));
          url = authorizer.target(input.url, auth); // the new token may name another api_domain
          headers.set("authorization", Authorizer.header(auth));
          continue;
        }
      }

      if (config.retry && attempt < config.retry.limit && shouldRetryStatus(method, response.status)) {
        attempt++;
        const wait = retryDelayMs({ attempt, retry: config.retry, random, retryAfter: retryAfterMs(response.headers.get("retry-after"), Date.now()) });
        logger.info({ event: "http.retry", method, url: stripQuery(url), status: response.status, attempt, waitMs: wait }, "Retrying");
        attemptSignal.dispose();
        await response.body?.cancel().catch(() => {});
        await sleep(wait, userSignal);
        continue;
      }
      // The timer keeps guarding the body read in openapi-fetch; CallContext clears it when the call settles.
      const state = calls.of(input);
      if (state) {
        state.method = method;
        state.url = stripQuery(url);
        state.status = response.status;
        state.cleanup = () => attemptSignal.dispose();
      }
      return normaliseResponse(response, { method, url });
    }
  };
}

/**
 * One attempt's abort signal: the caller's signal or a per-attempt timeout, whichever comes first.
 * Cheaper than AbortSignal.any + AbortSignal.timeout per call; the timer is unref'd so it never
 * holds the process open.
 */
class AttemptSignal {
  readonly #controller = new AbortController();
  readonly #user: AbortSignal;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #timedOut = false;
  readonly #onUserAbort = () => this.#controller.abort(this.#user.reason);

  constructor(user: AbortSignal, timeoutMs: number) {
    this.#user = user;
    this.#timeoutMs = timeoutMs;
    if (user.aborted) this.#controller.abort(user.reason);
    else user.addEventListener("abort", this.#onUserAbort, { once: true });
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
    this.#user.removeEventListener("abort", this.#onUserAbort);
  }
}

function stripQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : url.slice(0, index);
}

async function peekErrorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { code?: unknown } | null;
    return typeof body?.code === "string" ? body.code : undefined;
  } catch {
    return undefined;
  }
}

function networkError(options: {
  method: string;
  url: string;
  code: string;
  error: unknown;
  timeoutMs: number | undefined;
  attempts: number;
}): ZohoNetworkError {
  const { method, url, code, error, timeoutMs, attempts } = options;
  const where = `${method} ${stripQuery(url)}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const message =
    code === "ABORTED"
      ? `${where} was aborted by the caller's signal.`
      : code === "TIMEOUT"
        ? `${where} timed out${timeoutMs === undefined ? " (the call's own signal)" : ` after ${timeoutMs} ms`}${tries}. Raise the timeout or check the network.${method === "GET" ? "" : " A write that timed out may or may not have been applied: check before retrying."}`
        : `${where} got no response${tries} (${describeCause(error)}). Check the network and the API host.${method === "GET" ? "" : " A write whose connection broke may or may not have been applied: check before retrying."}`;
  return new ZohoNetworkError(message, { code, method, url: stripQuery(url), cause: safeCause(error) });
}

/**
 * Makes a response safe for openapi-fetch's parser. Successful bodies pass through untouched (one
 * parse, by openapi-fetch; a body that fails there becomes a typed error in CallContext). Error
 * bodies that are not JSON (an HTML gateway page, a truncated body) become a Zoho-shaped error, so
 * `{ error }.code` always exists. 204/304 get an explicit empty body.
 */
async function normaliseResponse(response: Response, where: { method: string; url: string }): Promise<Response> {
  if (response.status === 204 || response.status === 304) {
    await response.body?.cancel().catch(() => {});
    const headers = new Headers(response.headers);
    headers.set("content-length", "0");
    return new Response(null, { status: response.status, statusText: response.statusText, headers });
  }
  if (response.ok) return response;
  const type = response.headers.get("content-type") ?? "";
  const isText = /^text\//i.test(type);
  if (!/json/i.test(type) && !isText && type !== "") return response;
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new ZohoNetworkError(`${where.method} ${stripQuery(where.url)}: the connection broke while reading the response (${describeCause(error)}).`, {
      code: "RESPONSE_INTERRUPTED",
      method: where.method,
      url: stripQuery(where.url),
      cause: safeCause(error),
    });
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
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
      if (typeof body.code === "string" || Array.isArray(body.data))
        return new Response(text, { status: response.status, statusText: response.statusText, headers });
      // A proxy's JSON error: keep what it said, and give it the `code` callers branch on.
      const patched = {
        ...body,
        code: `HTTP_${response.status}`,
        status: "error",
        message: typeof body.message === "string" ? body.message : `HTTP ${response.status}`,
      };
      return new Response(JSON.stringify(patched), { status: response.status, statusText: response.statusText, headers });
    }
  }
  headers.set("content-type", "application/json");
  const synthetic = {
    code: response.status === 429 ? "TOO_MANY_REQUESTS" : `HTTP_${response.status}`,
    details: { status: response.status, contentType: type || null },
    message: `Zoho answered HTTP ${response.status} with ${text.trim() === "" ? "an empty body" : `a non-JSON body (${isText ? "an HTML or text page" : "unknown content"})`}.`,
    status: "error",
  };
  return new Response(JSON.stringify(synthetic), { status: response.status, statusText: response.statusText, headers });
}
