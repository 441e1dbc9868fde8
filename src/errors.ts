/**
 * Typed errors. Every error has a stable `code` to branch on and a message that says what to do
 * next. None of them ever carries a token or a secret: callers pass only redacted text here.
 */
export type ZohoErrorKind = "config" | "auth" | "network" | "api" | "sync";

export interface ZohoErrorOptions {
  code: string;
  cause?: unknown;
}

export abstract class ZohoError extends Error {
  abstract readonly kind: ZohoErrorKind;
  readonly code: string;

  constructor(message: string, options: ZohoErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    // `cause` may be a third-party error holding a request with headers: keep it, but not enumerable.
    if (options.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: options.cause, enumerable: false, writable: true, configurable: true });
    }
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** Wrong or missing options. Fix the configuration; retrying will not help. */
export class ZohoConfigError extends ZohoError {
  readonly kind = "config" as const;
  /** The configuration keys at fault, when known. */
  readonly keys: readonly string[];
  constructor(message: string, options: ZohoErrorOptions & { keys?: readonly string[] }) {
    super(message, options);
    this.keys = options.keys ?? [];
  }
}

/** Zoho Accounts refused or could not issue tokens (bad grant, revoked refresh token, throttled). */
export class ZohoAuthError extends ZohoError {
  readonly kind = "auth" as const;
  /** The user whose tokens are concerned, when known. */
  readonly user: string | undefined;
  /** True when only a new grant token (user consent) can fix it. */
  readonly reauthRequired: boolean;
  /** HTTP status of the Accounts response, when there was one. */
  readonly status: number | undefined;
  constructor(message: string, options: ZohoErrorOptions & { user?: string; reauthRequired?: boolean; status?: number }) {
    super(message, options);
    this.user = options.user;
    this.reauthRequired = options.reauthRequired ?? false;
    this.status = options.status;
  }
}

/** The request did not get an HTTP answer (DNS, refused, reset, timeout, abort). */
export class ZohoNetworkError extends ZohoError {
  readonly kind = "network" as const;
  readonly method: string | undefined;
  readonly url: string | undefined;
  constructor(message: string, options: ZohoErrorOptions & { method?: string; url?: string }) {
    super(message, options);
    this.method = options.method;
    this.url = options.url;
  }
}

/** Zoho CRM answered with an error (request-level `{code, details, message, status}`). */
export class ZohoApiError extends ZohoError {
  readonly kind = "api" as const;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** For a 429/503 with `Retry-After`: how long Zoho asked to wait, in ms (reschedule after it). */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: ZohoErrorOptions & { status: number; details?: Record<string, unknown>; method?: string; url?: string; retryAfterMs?: number },
  ) {
    super(message, options);
    this.status = options.status;
    this.details = options.details ?? {};
    this.method = options.method;
    this.url = options.url;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A mirror sync (`zcrm-typed/sync`) could not go on: a bulk job failed or timed out, Zoho answered
 * something the sync cannot apply, or another worker took the module's lease. What was committed
 * stays committed; the next run resumes from the module's checkpoint.
 */
export class ZohoSyncError extends ZohoError {
  readonly kind = "sync" as const;
  /** The module concerned. */
  readonly module: string;
  constructor(message: string, options: ZohoErrorOptions & { module: string }) {
    super(message, options);
    this.module = options.module;
  }
}
