/**
 * Exit codes scripts can trust, and the mapping from errors to them. `zcrm --help` prints the table.
 */
import { ZohoApiError, ZohoAuthError, ZohoConfigError, ZohoNetworkError } from "../errors.js";

export const EXIT = {
  OK: 0,
  /** Zoho CRM answered with an error, some records of a write failed, or the command line was wrong. */
  API_OR_USAGE: 1,
  /** The configuration (flags, environment, config file) is missing or wrong. */
  CONFIG: 2,
  /** Zoho Accounts refused the tokens: exchange a new grant token (`zcrm auth exchange`). */
  AUTH: 3,
  /** No HTTP answer: DNS, connection refused or reset, timeout. */
  NETWORK: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  API error (Zoho answered with an error, or some records of a write failed) or usage error
  2  configuration error (missing or invalid flags, environment variables or config file)
  3  authentication error: no tokens, or tokens refused (run \`zcrm auth exchange <grant>\`)
  4  network error (no answer from Zoho: DNS, refused, reset, timeout)`;

/** A wrong command line or input (bad JSON, missing --data): exit 1. */
export class CliUsageError extends Error {
  readonly code: string;
  constructor(message: string, code = "USAGE") {
    super(message);
    this.code = code;
  }
  override get name(): string {
    return "CliUsageError";
  }
}

/** A command that ran but did not fully succeed (some records of a write failed): exit 1. */
export class CliFailure extends Error {
  readonly code: string;
  constructor(message: string, code = "PARTIAL_FAILURE") {
    super(message);
    this.code = code;
  }
  override get name(): string {
    return "CliFailure";
  }
}

/** API error codes that mean the access could not be authenticated (after the SDK's refresh and replay). */
const AUTH_API_CODES = new Set(["INVALID_TOKEN", "INVALID_OAUTHTOKEN", "AUTHENTICATION_FAILURE", "OAUTH_SCOPE_MISMATCH"]);

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof ZohoConfigError) return EXIT.CONFIG;
  if (error instanceof ZohoAuthError) return EXIT.AUTH;
  if (error instanceof ZohoNetworkError) return EXIT.NETWORK;
  if (error instanceof ZohoApiError) return error.status === 401 || AUTH_API_CODES.has(error.code) ? EXIT.AUTH : EXIT.API_OR_USAGE;
  return EXIT.API_OR_USAGE;
}
