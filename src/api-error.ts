/** Builds a typed `ZohoApiError` from a failed openapi-fetch call, for helpers that throw. */
import { ZohoApiError } from "./errors.js";

/** What an openapi-fetch call resolves to, loosely typed. */
export type LooseResult = { data?: unknown; error?: unknown; response: Response };

/** A `ZohoApiError` from a failed call's `{ error, response }` (Zoho's `{code, details, message}`). */
export function apiError(action: string, method: string, result: LooseResult, extra = ""): ZohoApiError {
  const body = (result.error && typeof result.error === "object" ? result.error : {}) as {
    code?: unknown;
    message?: unknown;
    details?: unknown;
    retryAfterMs?: unknown;
  };
  const status = result.response.status;
  const code = typeof body.code === "string" ? body.code : `HTTP_${status}`;
  const message = typeof body.message === "string" ? body.message : `HTTP ${status}`;
  const url = result.response.url ? result.response.url.replace(/\?.*$/, "") : undefined;
  return new ZohoApiError(`${action} failed (HTTP ${status} ${code}): ${message}${extra}`, {
    code,
    status,
    details: body.details && typeof body.details === "object" ? (body.details as Record<string, unknown>) : {},
    method,
    url,
    ...(typeof body.retryAfterMs === "number" ? { retryAfterMs: body.retryAfterMs } : {}),
  });
}
