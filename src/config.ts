/**
 * Client options, defaults and validation. Validation collects every problem and reports them in
 * one `ZohoConfigError`, so a user fixes a configuration in one go rather than one key per run.
 */
import { inspect } from "node:util";
import { ZohoConfigError } from "./errors.js";
import { REDACTED, type Logger, type LogLevel } from "./logging.js";
import type { TokenRecord, TokenStore } from "./stores/token-store.js";
import type { SharedConcurrencyOptions } from "./transport/redis-limiter.js";
import { DATA_CENTRES, ENVIRONMENTS, accountsUrlFor, apiBaseUrlFor, type DataCenter, type Environment } from "./data-centres.js";

export type ApiVersion = "v2" | "v2.1";

/** A source of access tokens other than the built-in OAuth machinery (a static token, a vault...). */
export type AccessTokenSource = string | ((context: { user: string | undefined }) => string | Promise<string>);

export interface RetryOptions {
  /** Attempts after the first one. Default 3. */
  limit?: number | undefined;
  /** First backoff delay in ms (doubles each attempt, with full jitter). Default 300. */
  baseDelayMs?: number | undefined;
  /** Cap on one backoff delay. Default 30 000. */
  maxDelayMs?: number | undefined;
  /**
   * The longest `Retry-After` waited out before retrying. A server asking for longer gets no early
   * retry: the 429/503 comes back with `retryAfterMs` on the error, so a queue can reschedule.
   * Default 60 000.
   */
  maxRetryAfterMs?: number | undefined;
}

export interface TokenRefreshedEvent {
  user: string;
  expiresAt: number;
  apiDomain: string | undefined;
  /** "grant" after a grant-token exchange, "refresh" after a refresh. */
  reason: "grant" | "refresh";
}

export interface ReauthRequiredEvent {
  user: string;
  /** Zoho's error code, e.g. `invalid_code`. */
  code: string;
}

/**
 * Options of `createZohoCRM()`. Every key takes `undefined` as "not set", so values straight from
 * the environment (`clientId: process.env.ZOHO_CLIENT_ID`) type-check under exactOptionalPropertyTypes.
 */
export interface ZohoCRMOptions {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  redirectUri?: string | undefined;
  /** Default user (email) whose tokens are used; the Python SDK's `currentUserEmail`. */
  user?: string | undefined;
  /** `us` (default) `eu` `in` `au` `jp` `cn` `ca` `sa` `uk`. */
  dataCenter?: DataCenter | undefined;
  /** `production` (default), `sandbox` or `developer`: picks the API host of the data centre. */
  environment?: Environment | undefined;
  /** Base URL of the Zoho Accounts server, e.g. `https://accounts.zoho.eu` or an emulator's. */
  accountsUrl?: string | undefined;
  /** API host override; wins over the token response's `api_domain` and the data centre default. */
  apiBaseUrl?: string | undefined;
  /**
   * Allow plain `http` for `accountsUrl`/`apiBaseUrl` on a host that is not loopback (e.g. behind a
   * TLS-terminating proxy on a private network). Tokens and the client secret then travel
   * unencrypted to that host. Default false: `http` only to 127.0.0.1 / ::1 / localhost.
   */
  allowInsecureHttp?: boolean | undefined;
  /** `v2` (default) or `v2.1`: the spec's `/crm/v2/` paths are sent under this version. */
  apiVersion?: ApiVersion | undefined;
  /** Where tokens persist. Default: an embedded SQLite file at `./.zcrm/tokens.sqlite`. */
  tokenStore?: TokenStore | undefined;
  /** Bypasses the OAuth machinery with a fixed token or a callback (tests, tokens from a vault). */
  accessToken?: AccessTokenSource | undefined;
  /** A pino-compatible logger. Silent by default. Every line is redacted. */
  logger?: Logger | undefined;
  /** Also log (JSON lines) to this file or directory; the Python SDK's `applicationLogFilePath`. */
  logFilePath?: string | undefined;
  logLevel?: LogLevel | undefined;
  /** Retries for idempotent calls and provably-unprocessed writes; `false` turns them off. */
  retry?: RetryOptions | false | undefined;
  /** Concurrent API calls this client allows (Zoho caps per org by edition: 5–25). Default 10. */
  maxConcurrency?: number | undefined;
  /** A concurrency cap shared by every process on one Redis key (one org's limit across a fleet). */
  sharedConcurrency?: SharedConcurrencyOptions | undefined;
  /** Per-attempt timeout in ms, from the send until the body is read. Default 60 000. */
  timeoutMs?: number | undefined;
  /**
   * The largest JSON answer (API or token endpoint) read, in bytes; a larger one is a typed error
   * (`RESPONSE_TOO_LARGE`) and is read no further. File downloads stream and are not capped.
   * Default 32 MiB (Zoho's pages are well under 10 MB).
   */
  maxResponseBytes?: number | undefined;
  /** Refresh this long before expiry. Default 60 000 ms. */
  refreshSkewMs?: number | undefined;
  onTokenRefreshed?: ((event: TokenRefreshedEvent) => void) | undefined;
  onReauthRequired?: ((event: ReauthRequiredEvent) => void) | undefined;
  /** The `fetch` used for API and Accounts calls (tests, proxies). Default: global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Directory for the default SQLite token store. Default: `process.cwd()`. */
  cwd?: string | undefined;
}

export interface ResolvedConfig {
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  user: string | undefined;
  dataCenter: DataCenter;
  environment: Environment;
  accountsUrl: string;
  /** Explicit override only; see `resolveApiBase` for the precedence. */
  apiBaseUrl: string | undefined;
  /** The data centre's default API host for the environment. */
  defaultApiBaseUrl: string;
  apiVersion: ApiVersion;
  accessToken: AccessTokenSource | undefined;
  retry: Required<RetryOptions> | false;
  maxConcurrency: number;
  timeoutMs: number;
  maxResponseBytes: number;
  refreshSkewMs: number;
  fetch: typeof fetch;
  cwd: string;
}

export const DEFAULTS = {
  dataCenter: "us" as DataCenter,
  environment: "production" as Environment,
  apiVersion: "v2" as ApiVersion,
  retry: { limit: 3, baseDelayMs: 300, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 },
  maxConcurrency: 10,
  timeoutMs: 60_000,
  maxResponseBytes: 32 * 1024 * 1024,
  refreshSkewMs: 60_000,
};

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/i;

/** `http:` to a host other than loopback. */
function insecureRemote(value: string): boolean {
  const url = new URL(value);
  return url.protocol === "http:" && !LOOPBACK.test(url.hostname);
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Validates options and fills in defaults. Throws one `ZohoConfigError` listing every problem. */
export function resolveConfig(options: ZohoCRMOptions): ResolvedConfig {
  if (options === null || typeof options !== "object") {
    throw new ZohoConfigError("createZohoCRM(options) needs an options object, e.g. { clientId, clientSecret, user }.", {
      code: "INVALID_OPTIONS",
    });
  }
  const problems: string[] = [];
  const keys: string[] = [];
  const fail = (key: string, message: string) => {
    keys.push(key);
    problems.push(`${key}: ${message}`);
  };

  for (const key of ["clientId", "clientSecret", "redirectUri", "user", "accountsUrl", "apiBaseUrl", "logFilePath", "cwd"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) fail(key, "must be a non-empty string");
  }
  const dataCenter = options.dataCenter ?? DEFAULTS.dataCenter;
  if (!DATA_CENTRES.includes(dataCenter)) fail("dataCenter", `must be one of ${DATA_CENTRES.join(", ")} (got ${JSON.stringify(dataCenter)})`);
  const environment = options.environment ?? DEFAULTS.environment;
  if (!ENVIRONMENTS.includes(environment)) fail("environment", `must be one of ${ENVIRONMENTS.join(", ")} (got ${JSON.stringify(environment)})`);
  const apiVersion = options.apiVersion ?? DEFAULTS.apiVersion;
  if (apiVersion !== "v2" && apiVersion !== "v2.1") fail("apiVersion", `must be "v2" or "v2.1" (got ${JSON.stringify(apiVersion)})`);
  if (options.allowInsecureHttp !== undefined && typeof options.allowInsecureHttp !== "boolean") fail("allowInsecureHttp", "must be true or false");
  for (const key of ["accountsUrl", "apiBaseUrl"] as const) {
    const value = options[key];
    if (typeof value === "string" && value.trim() !== "" && !isHttpUrl(value)) {
      fail(key, `must be an http(s) URL such as https://accounts.zoho.eu (got ${JSON.stringify(value)})`);
    } else if (typeof value === "string" && value.trim() !== "" && insecureRemote(value) && options.allowInsecureHttp !== true) {
      fail(
        key,
        `uses plain http to ${new URL(value).host}, which is not this machine: tokens and the client secret would travel unencrypted. Use https, or set allowInsecureHttp: true if a TLS-terminating proxy on a trusted network sits in between`,
      );
    }
  }
  if (options.user !== undefined && typeof options.user === "string" && !options.user.includes("@")) {
    fail("user", `must be the user's email address (got ${JSON.stringify(options.user)})`);
  }
  const positiveInt = (key: "maxConcurrency" | "timeoutMs" | "refreshSkewMs" | "maxResponseBytes", min: number) => {
    const value = options[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < min)) {
      fail(key, `must be an integer >= ${min} (got ${JSON.stringify(value)})`);
    }
  };
  positiveInt("maxConcurrency", 1);
  positiveInt("timeoutMs", 1);
  positiveInt("refreshSkewMs", 0);
  positiveInt("maxResponseBytes", 1);
  let retry: Required<RetryOptions> | false = { ...DEFAULTS.retry };
  if (options.retry === false) retry = false;
  else if (options.retry !== undefined) {
    if (typeof options.retry !== "object" || options.retry === null) fail("retry", "must be an object like { limit: 3 } or false");
    else {
      retry = { ...DEFAULTS.retry, ...options.retry };
      for (const key of ["limit", "baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
        const value = retry[key];
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) fail(`retry.${key}`, `must be an integer >= 0 (got ${JSON.stringify(value)})`);
      }
    }
  }
  if (options.tokenStore !== undefined) {
    const store = options.tokenStore as unknown as Record<string, unknown> | null;
    const missing = ["get", "save", "delete"].filter((m) => typeof store?.[m] !== "function");
    if (missing.length > 0) fail("tokenStore", `must implement get(user), save(record) and delete(user); missing ${missing.join(", ")}`);
  }
  if (options.accessToken !== undefined && typeof options.accessToken !== "string" && typeof options.accessToken !== "function") {
    fail("accessToken", "must be a string or a function returning the token");
  }
  if (options.sharedConcurrency !== undefined) {
    const shared = options.sharedConcurrency as Partial<SharedConcurrencyOptions> | null;
    if (!shared || typeof shared !== "object" || typeof shared.redis?.eval !== "function")
      fail("sharedConcurrency.redis", "must be an ioredis client (new Redis(url))");
    if (!shared || typeof shared.limit !== "number" || !Number.isInteger(shared.limit) || shared.limit < 1)
      fail("sharedConcurrency.limit", `must be an integer >= 1 (got ${JSON.stringify(shared?.limit)})`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") fail("fetch", "must be a fetch-compatible function");
  if (options.logger !== undefined) {
    const logger = options.logger as unknown as Record<string, unknown> | null;
    const missing = ["debug", "info", "warn", "error"].filter((m) => typeof logger?.[m] !== "function");
    if (missing.length > 0) fail("logger", `must be pino-compatible (methods debug, info, warn, error); missing ${missing.join(", ")}`);
  }
  if (options.accessToken === undefined && (options.clientId === undefined) !== (options.clientSecret === undefined)) {
    fail(
      options.clientId === undefined ? "clientId" : "clientSecret",
      "clientId and clientSecret go together: set both (from the Zoho API console) or neither",
    );
  }

  if (problems.length > 0) {
    throw new ZohoConfigError(`Invalid Zoho CRM client options:\n- ${problems.join("\n- ")}`, { code: "INVALID_OPTIONS", keys });
  }

  return withRedactedView({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    user: options.user,
    dataCenter,
    environment,
    accountsUrl: stripSlash(options.accountsUrl ?? accountsUrlFor(dataCenter)),
    apiBaseUrl: options.apiBaseUrl === undefined ? undefined : stripSlash(options.apiBaseUrl),
    defaultApiBaseUrl: apiBaseUrlFor(dataCenter, environment),
    apiVersion,
    accessToken: options.accessToken,
    retry,
    maxConcurrency: options.maxConcurrency ?? DEFAULTS.maxConcurrency,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    refreshSkewMs: options.refreshSkewMs ?? DEFAULTS.refreshSkewMs,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    cwd: options.cwd ?? process.cwd(),
  });
}

/** Fields of the configuration that must never be printed or serialised. */
const SECRET_FIELDS: readonly string[] = ["clientSecret", "accessToken"];

/**
 * The configuration as printed (`util.inspect`, `console.log`) and serialised (`JSON.stringify`):
 * the client secret and a static access token show as `[REDACTED]`, functions are left out.
 */
export function redactedConfig(config: ResolvedConfig): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === "function") continue;
    view[key] = SECRET_FIELDS.includes(key) && value !== undefined ? REDACTED : value;
  }
  return view;
}

function withRedactedView(config: ResolvedConfig): ResolvedConfig {
  Object.defineProperties(config, {
    toJSON: { value: () => redactedConfig(config), enumerable: false },
    [inspect.custom]: { value: (_depth: number, options: object) => `ResolvedConfig ${inspect(redactedConfig(config), options)}`, enumerable: false },
  });
  return config;
}

/** API host precedence: explicit `apiBaseUrl`, then the token response's `api_domain`, then the DC default. */
export function resolveApiBase(config: ResolvedConfig, record: Pick<TokenRecord, "apiDomain"> | undefined): string {
  return config.apiBaseUrl ?? (record?.apiDomain ? stripSlash(record.apiDomain) : config.defaultApiBaseUrl);
}
