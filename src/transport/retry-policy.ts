/**
 * When to retry and how long to wait. Reads (GET/HEAD/OPTIONS) are retried on network errors, 5xx
 * and 429. Writes are retried only when Zoho provably did not process them: a 429 (rejected before
 * processing) or a refused connection. A reset or timeout after a write was sent is ambiguous, so
 * it is never replayed: a duplicate record is worse than an error the caller can inspect.
 */
import { backoffMs } from "../backoff.js";
import type { RetryOptions } from "../config.js";

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS"]);
const RETRYABLE_READ_STATUS = new Set([429, 500, 502, 503, 504]);
/** Socket errors raised before a byte of the request could reach the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

export function shouldRetryStatus(method: string, status: number): boolean {
  return status === 429 || (isIdempotent(method) && RETRYABLE_READ_STATUS.has(status));
}

export function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function shouldRetryError(method: string, error: unknown): boolean {
  if (isIdempotent(method)) return true;
  const code = errorCodeOf(error);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** `Retry-After` as delay in ms (seconds or HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry `attempt` (1-based): backoff, or the server's `Retry-After` — a minimum,
 * never cut short. When the server asks for longer than `retry.maxRetryAfterMs`, `undefined`: do
 * not retry early, hand the answer (with its wait) to the caller.
 */
export function retryDelayMs(options: {
  attempt: number;
  retry: Required<RetryOptions>;
  retryAfter?: number | undefined;
  random: () => number;
}): number | undefined {
  const { attempt, retry, retryAfter, random } = options;
  if (retryAfter !== undefined) return retryAfter > retry.maxRetryAfterMs ? undefined : retryAfter;
  return backoffMs({ attempt, baseMs: retry.baseDelayMs, capMs: retry.maxDelayMs, random });
}
