/**
 * Fault injection: latency, a concurrency cap, scripted failures of the next matching requests,
 * and token-endpoint failures. Controlled in process (`emulator.faults`) or over HTTP
 * (`POST /emulator/faults`).
 *
 * Kinds of `failNext`:
 * - `500`, `503`: a JSON INTERNAL_ERROR body under that status (the request is not processed).
 * - `429`: TOO_MANY_REQUESTS without Retry-After; `429-retry-after`: with `Retry-After`.
 * - `reset-before`: the socket is destroyed before the request is processed.
 * - `reset-after`: the request IS processed (a write is applied), then the socket is destroyed.
 * - `html`: an HTML error page (502 by default) instead of JSON (not processed).
 * - `truncated-json`: the request is processed and the JSON answer is cut in half.
 */
import type { Reply } from "./types.js";
import { apiError } from "./zoho-errors.js";

export const FAULT_KINDS = ["500", "429", "429-retry-after", "503", "reset-before", "reset-after", "html", "truncated-json"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const TOKEN_FAULT_KINDS = ["invalid_code", "access_denied", "500"] as const;
export type TokenFaultKind = (typeof TOKEN_FAULT_KINDS)[number];

export interface FaultMatch {
  method?: string;
  /**
   * A path that matches itself and everything below it; `*` stands for any one segment
   * (`/crm/v2/* /actions/convert` without the space). Compared segment by segment — no regular
   * expressions, so no pattern can make the emulator hang.
   */
  path?: string;
}

export interface FailNextOptions {
  kind: FaultKind;
  /** How many matching requests fail. Default 1. */
  count?: number;
  /** Which requests; default: any CRM API request (`/crm/...`). */
  match?: FaultMatch;
  /** Seconds sent in `Retry-After` for `429-retry-after`. Default 1. */
  retryAfterSec?: number;
  /** HTTP status of the `html` page. Default 502. */
  status?: number;
}

export interface PendingFault {
  kind: FaultKind;
  remaining: number;
  match: FaultMatch | undefined;
  retryAfterSec: number;
  status: number;
}

/** What the server does with a request that drew a fault, before processing it. */
export type BeforeAction = { action: "reply"; reply: Reply } | { action: "reset" } | { action: "process" };

/** Whether `path` is `pattern` or below it, `*` matching any one segment. Linear in the segments. */
export function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split("/").filter((s) => s !== "");
  const got = path.split("/").filter((s) => s !== "");
  if (got.length < want.length) return false;
  return want.every((segment, i) => segment === "*" || segment === got[i]);
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match || match.path === undefined) {
    if (!path.startsWith("/crm/")) return false;
  } else if (!pathMatches(match.path, path)) {
    return false;
  }
  return !match?.method || match.method.toUpperCase() === method.toUpperCase();
}

export class FaultController {
  /** Added to every request (CRM and Accounts) before it is processed. */
  latencyMs = 0;
  /** At most this many concurrent CRM requests; more are answered 429 TOO_MANY_REQUESTS. */
  concurrencyLimit: number | undefined = undefined;
  readonly #pending: PendingFault[] = [];
  readonly #token: Array<{ kind: TokenFaultKind; remaining: number }> = [];
  #gate: { promise: Promise<void>; remaining: number; release: () => void } | undefined;

  /**
   * Holds the next `count` CRM requests (default: all) after the concurrency check, before they
   * are processed, until the returned function is called. Tests make calls overlap, or outlast a
   * client timeout, by counting them in flight rather than by timing.
   */
  hold(options: { count?: number } = {}): () => void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.#gate?.release();
    const gate = {
      promise,
      remaining: options.count ?? Number.POSITIVE_INFINITY,
      release: () => {
        if (this.#gate === gate) this.#gate = undefined;
        open();
      },
    };
    this.#gate = gate;
    return gate.release;
  }

  /** What a request waits on before processing: a `hold()` that still takes requests, else nothing. */
  passGate(): Promise<void> | undefined {
    const gate = this.#gate;
    if (!gate || gate.remaining <= 0) return undefined;
    gate.remaining -= 1;
    return gate.promise;
  }

  /** The next `count` requests matching `match` fail with `kind`. Queued after earlier ones. */
  failNext(options: FailNextOptions): void {
    if (!FAULT_KINDS.includes(options.kind)) throw new TypeError(`failNext: kind must be one of ${FAULT_KINDS.join(", ")}`);
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError("failNext: count must be an integer >= 1");
    this.#pending.push({
      kind: options.kind,
      remaining: count,
      match: options.match,
      retryAfterSec: options.retryAfterSec ?? 1,
      status: options.status ?? 502,
    });
  }

  /** The next `count` calls of the token endpoint fail with `kind`. */
  failNextToken(options: { kind: TokenFaultKind; count?: number }): void {
    if (!TOKEN_FAULT_KINDS.includes(options.kind)) throw new TypeError(`failNextToken: kind must be one of ${TOKEN_FAULT_KINDS.join(", ")}`);
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError("failNextToken: count must be an integer >= 1");
    this.#token.push({ kind: options.kind, remaining: count });
  }

  /** Removes every fault, lets held requests go, and resets latency and the concurrency limit. */
  clear(): void {
    this.#gate?.release();
    this.latencyMs = 0;
    this.concurrencyLimit = undefined;
    this.#pending.length = 0;
    this.#token.length = 0;
  }

  /** What is still queued (for `GET /emulator/faults` and debugging). */
  pending(): {
    latencyMs: number;
    concurrencyLimit: number | null;
    failNext: Array<{ kind: FaultKind; remaining: number; match?: { method?: string; path?: string } }>;
    failNextToken: Array<{ kind: TokenFaultKind; remaining: number }>;
  } {
    return {
      latencyMs: this.latencyMs,
      concurrencyLimit: this.concurrencyLimit ?? null,
      failNext: this.#pending.map((p) => ({
        kind: p.kind,
        remaining: p.remaining,
        ...(p.match ? { match: { ...(p.match.method ? { method: p.match.method } : {}), ...(p.match.path !== undefined ? { path: p.match.path } : {}) } } : {}),
      })),
      failNextToken: this.#token.map((t) => ({ ...t })),
    };
  }

  /** Consumes the first queued fault matching this request. */
  take(method: string, path: string): PendingFault | undefined {
    const index = this.#pending.findIndex((p) => matches(p.match, method, path));
    if (index === -1) return undefined;
    const fault = this.#pending[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#pending.splice(index, 1);
    return { ...fault };
  }

  takeToken(): TokenFaultKind | undefined {
    const fault = this.#token[0];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#token.shift();
    return fault.kind;
  }
}

/** The reply (or socket action) of a fault that strikes before processing. */
export function beforeProcessing(fault: PendingFault | undefined): BeforeAction {
  if (!fault) return { action: "process" };
  switch (fault.kind) {
    case "500":
      return { action: "reply", reply: apiError(500, "INTERNAL_ERROR", "Internal Server Error") };
    case "503":
      return { action: "reply", reply: apiError(503, "INTERNAL_ERROR", "Service Unavailable") };
    case "429":
      return {
        action: "reply",
        reply: apiError(
          429,
          "TOO_MANY_REQUESTS",
          "Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded.",
        ),
      };
    case "429-retry-after": {
      const reply = apiError(429, "TOO_MANY_REQUESTS", "Too many requests; retry after the time in Retry-After.");
      return { action: "reply", reply: { ...reply, headers: { "retry-after": String(fault.retryAfterSec) } } };
    }
    case "html":
      return {
        action: "reply",
        reply: {
          status: fault.status,
          headers: { "content-type": "text/html; charset=utf-8" },
          raw: `<!DOCTYPE html><html><head><title>${fault.status} Error</title></head><body><h1>Something went wrong</h1><p>The server encountered a temporary error.</p></body></html>`,
        },
      };
    case "reset-before":
      return { action: "reset" };
    case "reset-after":
    case "truncated-json":
      return { action: "process" };
  }
}
