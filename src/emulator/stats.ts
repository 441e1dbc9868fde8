/**
 * Counters the tests and the demo read: token-endpoint traffic, CRM calls per path and operation,
 * the peak of concurrent CRM requests, injected faults, and responses that broke the spec.
 */
import type { ValidationFailure } from "./spec-validator.js";

export interface EmulatorStats {
  /** Successful `authorization_code` exchanges. */
  grantExchanges: number;
  /** Successful `refresh_token` grants. */
  refreshes: number;
  /** Token-endpoint calls answered with `{"error": ...}`. */
  tokenErrors: number;
  /** Refreshes refused by the 10-per-10-minutes limit. */
  accessDenied: number;
  revokes: number;
  userInfoCalls: number;
  /** CRM API calls received (every `/crm/...` request). */
  apiCalls: number;
  /** CRM calls by `METHOD /path` as sent. */
  perPath: Record<string, number>;
  /** CRM calls by the spec's operationId. */
  perOperation: Record<string, number>;
  /** CRM calls answered 401 (missing, unknown or expired token). */
  unauthorized: number;
  /** CRM requests in progress now. */
  inFlight: number;
  /** Highest number of CRM requests in progress at once. */
  maxConcurrent: number;
  /** CRM requests refused by `faults.concurrencyLimit`. */
  concurrencyRejections: number;
  faultsInjected: number;
  /** Request bodies that failed the spec's schema (answered 400 INVALID_DATA). */
  requestValidationFailures: number;
  /**
   * The emulator's own error answers to CRM calls (status >= 400; injected faults are not counted),
   * by `operationId status code`: what clients got wrong, or what the emulator refused. Bounded by the
   * distinct keys, so a long-running emulator does not grow it per request.
   */
  errorReplies: Record<string, number>;
  /** Responses the emulator produced that break the spec: emulator bugs; tests assert it stays empty. */
  responseValidationFailures: ValidationFailure[];
  /** Routes whose operation disagrees with the spec (drift); should stay empty. */
  specMismatches: string[];
}

export function createStats(): EmulatorStats {
  return {
    grantExchanges: 0,
    refreshes: 0,
    tokenErrors: 0,
    accessDenied: 0,
    revokes: 0,
    userInfoCalls: 0,
    apiCalls: 0,
    perPath: {},
    perOperation: {},
    unauthorized: 0,
    inFlight: 0,
    maxConcurrent: 0,
    concurrencyRejections: 0,
    faultsInjected: 0,
    requestValidationFailures: 0,
    errorReplies: {},
    responseValidationFailures: [],
    specMismatches: [],
  };
}

/** Zeroes the counters in place (the object identity is kept for holders of `emulator.stats`). */
export function resetStats(stats: EmulatorStats): void {
  const fresh = createStats();
  fresh.specMismatches = stats.specMismatches;
  fresh.inFlight = stats.inFlight; // a gauge, not a counter
  Object.assign(stats, fresh);
}

export function bump(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}
