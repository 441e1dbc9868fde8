/**
 * The `fetch` under the middleware chain: concurrency cap, per-attempt timeout, retries (see
 * retry-policy.ts), one token refresh + replay on a 401 INVALID_TOKEN, and responses made safe to
 * parse (HTML error pages and broken JSON become typed errors, never a crash).
 * The request body is buffered once so a replay sends exactly the same bytes.
 */
import { ZohoApiError, ZohoNetworkError } from "../errors.js";
import type { ResolvedConfig } from "../config.js";
import type { Logger } from "../logging.js";
import type { Authorizer } from "../auth/authorizer.js";
import type { TokenManager } from "../auth/token-manager.js";
import type { AuthLedger } from "./auth-middleware.js";
import type { Limiter } from "./limiter.js";
import { describeCause } from "../auth/accounts-client.js";
import { backoffMs, errorCodeOf, retryAfterMs, shouldRetryError, shouldRetryStatus } from "./retry-policy.js";

/** 401 codes an access-token refresh can heal; scope and permission errors cannot. */
const REFRESHABLE_401 = new Set(["INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"]);

export interface TransportOptions {
  config: ResolvedConfig;
  authorizer: Authorizer;
  tokens: TokenManager;
  ledger: AuthLedger;
  limiter: Limiter;
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
  const { config, authorizer, tokens, ledger, limiter, logger, userAgent } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;

  return async function zohoFetch(input: Request): Promise<Response> {
    let auth = ledger.get(input);
    const method = input.method.toUpperCase();
    const body = input.body ? await input.arrayBuffer() : undefined;
    const headers = new Headers(input.headers);
    headers.set("user-agent", userAgent);
    let url = input.url;
    const userSignal = input.signal;
    let attempt = 0;
    let replayed401 = false;

    for (;;) {
      const started = Date.now();
      const timeout = AbortSignal.timeout(config.timeoutMs);
      const signal = AbortSignal.any([userSignal, timeout]);
      let response: Response;
      try {
        response = await limiter.run(() => config.fetch(url, { method, headers, body, signal, redirect: input.redirect }));
      } catch (error) {
        const aborted = userSignal.aborted;
        const timedOut = !aborted && timeout.aborted;
        const code = aborted ? "ABORTED" : timedOut ? "TIMEOUT" : (errorCodeOf(error) ?? "NETWORK_ERROR");
        logger.warn({ event: "http.error", method, url: stripQuery(url), attempt, code, ms: Date.now() - started }, "Request failed without a response");
        if (!aborted && config.retry && attempt < config.retry.limit && shouldRetryError(method, error) && !(timedOut && method !== "GET" && method !== "HEAD" && method !== "OPTIONS")) {
          attempt++;
          await sleep(backoffMs({ attempt, retry: config.retry, random }), userSignal);
          continue;
        }
        throw networkError({ method, url, code, error, timeoutMs: config.timeoutMs, attempts: attempt + 1 });
      }
      logger.debug({ event: "http.response", method, url: stripQuery(url), status: response.status, attempt, ms: Date.now() - started }, "Zoho CRM response");

      if (response.status === 401 && auth?.managed && auth.user && !replayed401) {
        const code = await peekErrorCode(response);
        if (code && REFRESHABLE_401.has(code)) {
          replayed401 = true;
          await response.body?.cancel().catch(() => {});
          logger.info({ event: "auth.replay_after_401", user: auth.user, code }, "Access token rejected; refreshing and replaying once");
          const record = await tokens.refresh(auth.user, { staleToken: auth.token });
          const fresh = authorizer.withRecord(new Request(url, { method, headers }), record);
          url = fresh.url;
          headers.set("authorization", fresh.headers.get("authorization")!);
          auth = { ...auth, token: record.accessToken };
          continue;
        }
      }

      if (config.retry && attempt < config.retry.limit && shouldRetryStatus(method, response.status)) {
        attempt++;
        const wait = backoffMs({ attempt, retry: config.retry, random, retryAfter: retryAfterMs(response.headers.get("retry-after"), Date.now()) });
        logger.info({ event: "http.retry", method, url: stripQuery(url), status: response.status, attempt, waitMs: wait }, "Retrying");
        await response.body?.cancel().catch(() => {});
        await sleep(wait, userSignal);
        continue;
      }
      return normaliseResponse(response, { method, url });
    }
  };
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

function networkError(options: { method: string; url: string; code: string; error: unknown; timeoutMs: number; attempts: number }): ZohoNetworkError {
  const { method, url, code, error, timeoutMs, attempts } = options;
  const where = `${method} ${stripQuery(url)}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const message =
    code === "ABORTED"
      ? `${where} was aborted by the caller's signal.`
      : code === "TIMEOUT"
        ? `${where} timed out after ${timeoutMs} ms${tries}. Raise timeoutMs or check the network.${method === "GET" ? "" : " A write that timed out may or may not have been applied: check before retrying."}`
        : `${where} got no response${tries} (${describeCause(error)}). Check the network and the API host.${method === "GET" ? "" : " A write whose connection broke may or may not have been applied: check before retrying."}`;
  return new ZohoNetworkError(message, { code, method, url: stripQuery(url), cause: error });
}

/**
 * Makes a response safe for openapi-fetch's parser: a JSON body that does not parse becomes a typed
 * error (2xx) or a Zoho-shaped error body (non-2xx), so `{ error }.code` always exists.
 */
async function normaliseResponse(response: Response, where: { method: string; url: string }): Promise<Response> {
  const type = response.headers.get("content-type") ?? "";
  const isJson = /json/i.test(type);
  const isText = /^text\//i.test(type);
  if (response.status === 204 || response.status === 304) return new Response(null, { status: response.status, headers: response.headers });
  if (response.ok && !isJson) return response; // binary downloads pass through as streams
  if (!isJson && !isText && !response.ok && type !== "") return response;
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new ZohoNetworkError(`${where.method} ${stripQuery(where.url)}: the connection broke while reading the response (${describeCause(error)}).`, {
      code: "RESPONSE_INTERRUPTED",
      method: where.method,
      url: stripQuery(where.url),
      cause: error,
    });
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  if (text.trim() === "") return new Response(null, { status: response.status, statusText: response.statusText, headers });
  try {
    JSON.parse(text);
  } catch {
    if (response.ok) {
      throw new ZohoApiError(
        `${where.method} ${stripQuery(where.url)} answered HTTP ${response.status} with a body that is not valid JSON (truncated or not from Zoho CRM). Nothing was parsed; retry the read, or check a write's outcome before repeating it.`,
        { code: "INVALID_RESPONSE", status: response.status, method: where.method, url: stripQuery(where.url) },
      );
    }
    headers.set("content-type", "application/json");
    const synthetic = {
      code: response.status === 429 ? "TOO_MANY_REQUESTS" : `HTTP_${response.status}`,
      details: { status: response.status, contentType: type || null },
      message: `Zoho answered HTTP ${response.status} with a non-JSON body (${isText ? "an HTML or text page" : "unknown content"}).`,
      status: "error",
    };
    return new Response(JSON.stringify(synthetic), { status: response.status, statusText: response.statusText, headers });
  }
  return new Response(text, { status: response.status, statusText: response.statusText, headers });
}
