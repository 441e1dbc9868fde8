/**
 * Per-call state shared by the client wrapper and the transport: the transport records the final
 * response's status and URL, so a body that fails to parse *after* the transport returned (inside
 * openapi-fetch) still becomes a typed error that names them. The state rides on the call's
 * options (openapi-fetch copies unknown option keys onto the Request) rather than in an
 * AsyncLocalStorage, whose promise hooks would slow every promise in the host process.
 */
import { ZohoApiError, ZohoNetworkError } from "../errors.js";
import { describeCause, safeCause } from "../safe-cause.js";

export interface CallState {
  method?: string;
  url?: string;
  status?: number;
  /** Runs when the call settled (body parsed or failed): frees the attempt's timer. */
  cleanup?: () => void;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;

/** The option key that carries a call's state onto its Request. */
const STATE_KEY = "zcrmCallState";

export class CallContext {
  /** The state of the call `request` belongs to (set by `guard`). */
  of(request: Request): CallState | undefined {
    return (request as Request & { [STATE_KEY]?: CallState })[STATE_KEY];
  }

  /** Wraps the client's call methods in place so parse failures surface as typed errors. */
  guard<C extends object>(client: C): C {
    const methods = client as unknown as Record<(typeof METHODS)[number], (...args: unknown[]) => Promise<unknown>>;
    for (const name of METHODS) {
      const original = methods[name];
      // `request(method, url, init)` takes its options third; the others `(url, init)`.
      const initIndex = name === "request" ? 2 : 1;
      methods[name] = (...args: unknown[]) => {
        const state: CallState = {};
        args[initIndex] = { ...(args[initIndex] as object | undefined), [STATE_KEY]: state };
        return original(...args)
          .catch((error: unknown) => {
            throw translate(error, state);
          })
          .finally(() => state.cleanup?.());
      };
    }
    return client;
  }
}

function translate(error: unknown, state: CallState): unknown {
  const where = `${state.method ?? "?"} ${state.url ?? "?"}`;
  if (error instanceof SyntaxError) {
    return new ZohoApiError(
      `${where} answered HTTP ${state.status ?? "?"} with a body that is not valid JSON (truncated, or not from Zoho CRM). Nothing was parsed; retry the read, or check a write's outcome before repeating it.`,
      { code: "INVALID_RESPONSE", status: state.status ?? 0, method: state.method, url: state.url, cause: safeCause(error) },
    );
  }
  // undici rejects body reads with TypeError("terminated") when the socket dies mid-body.
  if (error instanceof TypeError && state.status !== undefined && !(error instanceof ZohoNetworkError)) {
    return new ZohoNetworkError(
      `${where}: the connection broke while reading the response (${describeCause(error)}).${state.method === "GET" ? "" : " A write may or may not have been applied: check before retrying."}`,
      {
        code: "RESPONSE_INTERRUPTED",
        method: state.method,
        url: state.url,
        cause: safeCause(error),
      },
    );
  }
  return error;
}
