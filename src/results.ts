/**
 * Helpers for Zoho's per-record write results. A write answers one `{code, details, message,
 * status}` per input record, in input order, under 200/201/202/207 — or 400 when all failed — so
 * the HTTP status alone says little: split by each item's `status`.
 */
export interface WriteResultItem {
  code: string;
  details?: Record<string, unknown> | null;
  message: string;
  status: string;
  [key: string]: unknown;
}

export interface WriteOutcome<I, R extends WriteResultItem = WriteResultItem> {
  /** Position of the record in the request's `data`. */
  index: number;
  input: I | undefined;
  result: R;
}

export interface SplitWriteResults<I, R extends WriteResultItem = WriteResultItem> {
  succeeded: WriteOutcome<I, R>[];
  failed: WriteOutcome<I, R>[];
}

function resultItems(body: unknown): WriteResultItem[] {
  if (!body || typeof body !== "object") return [];
  for (const value of Object.values(body as Record<string, unknown>)) {
    if (Array.isArray(value) && value.every((v) => v && typeof v === "object" && "status" in v && "code" in v)) return value as WriteResultItem[];
  }
  return [];
}

/**
 * Splits a write response (`data` on success or `error` on 400, the `{data|users|tags...: [...]}`
 * body either way) into succeeded and failed records, each with its input index and input record.
 */
export function splitWriteResults<I, R extends WriteResultItem = WriteResultItem>(inputs: readonly I[], body: unknown): SplitWriteResults<I, R> {
  const split: SplitWriteResults<I, R> = { succeeded: [], failed: [] };
  resultItems(body).forEach((result, index) => {
    const outcome = { index, input: inputs[index], result: result as R };
    (result.status === "success" ? split.succeeded : split.failed).push(outcome);
  });
  return split;
}

export interface RateLimitInfo {
  /** API credits left in the rolling 24-hour window, when Zoho says (past 50% use). */
  creditsRemaining: number | undefined;
  /** `Retry-After` in seconds, when present. */
  retryAfterSeconds: number | undefined;
  /** Every `x-ratelimit-*` / `x-api-credits-*` header, as sent. */
  headers: Record<string, string>;
}

/** Zoho's rate-limit headers from a response, when present. */
export function rateLimitInfo(response: Response): RateLimitInfo {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    if (/^x-(ratelimit|api-credits|concurrency)/i.test(key)) headers[key.toLowerCase()] = value;
  });
  const credits = Number(headers["x-api-credits-remaining"]);
  const retryAfter = Number(response.headers.get("retry-after"));
  return {
    creditsRemaining: Number.isFinite(credits) && headers["x-api-credits-remaining"] !== undefined ? credits : undefined,
    retryAfterSeconds: response.headers.has("retry-after") && Number.isFinite(retryAfter) ? retryAfter : undefined,
    headers,
  };
}

/** Zoho's error shape: `{ code, details, message, status }` (plus `retryAfterMs` on a 429/503). */
export interface ZohoErrorBody {
  code: string;
  message: string;
  status: string;
  details: Record<string, unknown>;
  retryAfterMs?: number;
}

/**
 * The `{ error }` of any call as Zoho's `{ code, message, status, details }`, whatever the
 * operation's error union holds: a request-level error as it is, a record-level one (`{ data: [...] }`
 * of a write that failed for every record) as its first item.
 *
 *   if (error) console.error(errorOf(error).code, errorOf(error).message);
 */
export function errorOf(error: unknown): ZohoErrorBody {
  const body = (error && typeof error === "object" ? error : {}) as Record<string, unknown>;
  if (typeof body.code !== "string") {
    const first = resultItems(body)[0];
    if (first) return { code: first.code, message: first.message, status: first.status, details: first.details ?? {} };
  }
  return {
    code: typeof body.code === "string" ? body.code : "UNKNOWN_ERROR",
    message: typeof body.message === "string" ? body.message : "Zoho answered with an error that has no message.",
    status: typeof body.status === "string" ? body.status : "error",
    details: body.details && typeof body.details === "object" ? (body.details as Record<string, unknown>) : {},
    ...(typeof body.retryAfterMs === "number" ? { retryAfterMs: body.retryAfterMs } : {}),
  };
}
