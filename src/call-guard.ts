/**
 * Wraps the openapi-fetch client's call methods (GET, POST, ..., `request`) in place. Per call it
 * checks path parameters (no `.`, `..` or empty value may leave the path), fixes the call's
 * identity through the auth layer (the user is captured now, when the call is made) and installs
 * the auth layer's `fetch` for this call alone; when the call settles it frees the attempt's timer,
 * and turns what can still fail inside openapi-fetch — a body that is not JSON, that breaks or
 * stalls, a client closed mid-read — into typed errors.
 */
import type { CallAuth } from "./auth/call-auth.js";
import { ZohoApiError, ZohoConfigError, ZohoError, ZohoNetworkError } from "./errors.js";
import { describeCause, safeCause } from "./safe-cause.js";
import type { CallState } from "./transport/call-state.js";
import type { Closer } from "./transport/closer.js";
import { onStreamDone } from "./transport/limiter.js";
import { ResponseTooLarge } from "./transport/read-capped.js";
import { clientClosed, tooLarge } from "./transport/transport.js";

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;

type CallInit = { params?: { path?: Record<string, unknown> }; baseUrl?: string; signal?: AbortSignal; parseAs?: string } & Record<string, unknown>;

export function guardClient<C extends object>(client: C, options: { auth: CallAuth; closer: Closer }): C {
  const { auth, closer } = options;
  const methods = client as unknown as Record<(typeof METHODS)[number], (...args: unknown[]) => Promise<unknown>>;
  for (const name of METHODS) {
    const original = methods[name];
    // `request(method, url, init)` takes its options third; the others `(url, init)`.
    const pathIndex = name === "request" ? 1 : 0;
    const initIndex = pathIndex + 1;
    methods[name] = (...args: unknown[]) => {
      const operationPath = String(args[pathIndex]);
      const init = args[initIndex] as CallInit | undefined;
      const method = name === "request" ? String(args[0]).toUpperCase() : name;
      const state: CallState = {};
      try {
        if (closer.closed) throw clientClosed({ method, url: operationPath });
        checkPathParams(operationPath, init?.params?.path);
        const identity = auth.capture(operationPath, {
          baseUrl: typeof init?.baseUrl === "string" ? init.baseUrl : undefined,
          signal: init?.signal instanceof AbortSignal ? init.signal : undefined,
          parseAs: init?.parseAs,
        });
        args[initIndex] = { ...init, fetch: auth.fetchFor(identity, state) };
      } catch (error) {
        return Promise.reject(error);
      }
      return original(...args).then(
        (result) => {
          // A body handed over unread keeps its slot and timer until the caller is done with it.
          const data = (result as { data?: unknown }).data;
          if (init?.parseAs === "stream" && data instanceof ReadableStream && state.cleanup) {
            (result as { data?: unknown }).data = onStreamDone(data, state.cleanup);
          } else state.cleanup?.();
          return result;
        },
        (error: unknown) => {
          state.cleanup?.();
          throw translate(error, state, closer);
        },
      );
    };
  }
  return client;
}

/**
 * A path parameter becomes one path segment; `.`, `..` and empty values would make URL
 * normalisation move the call to another path (even another operation), so they never leave here.
 */
function checkPathParams(operationPath: string, params: Record<string, unknown> | undefined): void {
  if (!params) return;
  for (const [name, value] of Object.entries(params)) {
    if (!operationPath.includes(`{${name}}`)) continue;
    const text = value === undefined || value === null ? "" : String(value);
    if (text === "" || text === "." || text === "..") {
      throw new ZohoConfigError(
        `Path parameter \`${name}\` of ${operationPath} is ${text === "" ? "empty" : JSON.stringify(text)}: it would not name one path segment. Nothing was sent; pass the real ${name}.`,
        { code: "INVALID_PATH_PARAMETER", keys: [`params.path.${name}`] },
      );
    }
  }
}

function translate(error: unknown, state: CallState, closer: Closer): unknown {
  if (error instanceof ZohoError) return error;
  const method = state.method ?? "?";
  const url = state.url ?? "?";
  const where = `${method} ${url}`;
  if (closer.closed) return clientClosed({ method, url });
  if (error instanceof ResponseTooLarge) return tooLarge({ method, url }, state.status ?? 0, error);
  if (error instanceof SyntaxError) {
    return new ZohoApiError(
      `${where} answered HTTP ${state.status ?? "?"} with a body that is not valid JSON (truncated, or not from Zoho CRM). Nothing was parsed; retry the read, or check a write's outcome before repeating it.`,
      { code: "INVALID_RESPONSE", status: state.status ?? 0, method: state.method, url: state.url, cause: safeCause(error) },
    );
  }
  if (state.status === undefined) return error; // not from reading a response (e.g. a user middleware's own error)
  const write = method !== "GET" && method !== "HEAD";
  const maybeApplied = write ? " A write may or may not have been applied: check before retrying." : "";
  if (state.attempt?.timedOut) {
    return new ZohoNetworkError(`${where}: the response body stalled past the timeout. Raise timeoutMs or check the network.${maybeApplied}`, {
      code: "TIMEOUT",
      method,
      url,
      cause: safeCause(error),
    });
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "AbortError" || name === "TimeoutError") {
    return new ZohoNetworkError(
      name === "TimeoutError"
        ? `${where} timed out (the call's own signal) while reading the response.${maybeApplied}`
        : `${where} was aborted by the caller's signal.`,
      { code: name === "TimeoutError" ? "TIMEOUT" : "ABORTED", method, url, cause: safeCause(error) },
    );
  }
  // undici rejects body reads with TypeError("terminated") when the socket dies mid-body.
  return new ZohoNetworkError(`${where}: the connection broke while reading the response (${describeCause(error)}).${maybeApplied}`, {
    code: "RESPONSE_INTERRUPTED",
    method,
    url,
    cause: safeCause(error),
  });
}
