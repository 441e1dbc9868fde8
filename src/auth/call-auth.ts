/**
 * The one owner of a call's identity: which user (captured when the call is created), which token
 * (refreshed before expiry), which host (`apiBaseUrl` > the token's checked `api_domain` > the data
 * centre; Zoho Accounts only for the spec's `/oauth/...` operations; the content host for the
 * bulk-write upload), the `Authorization` header, and the 401 → refresh → replay-once cycle.
 *
 * Why a fetch-level wrapper rather than an openapi-fetch middleware: middlewares run in the order
 * they were added, and one added later with `crm.use()` may return a new `Request` — another URL,
 * fresh headers, properties dropped. A wrapper installed as the call's own `fetch` sees the final
 * request, after every middleware, and decides the host from the operation the call was made for
 * (not from the URL it was handed), so no middleware can move a token to another host or switch
 * off the replay. The transport below it (retries, timeouts, limits) knows nothing of tokens.
 */
import type { ResolvedConfig } from "../config.js";
import { resolveApiBase } from "../config.js";
import { ZohoAuthError, ZohoConfigError } from "../errors.js";
import type { Logger, Redactor } from "../logging.js";
import type { TokenRecord } from "../stores/token-store.js";
import type { CallState } from "../transport/call-state.js";
import { releaseWhenConsumed } from "../transport/limiter.js";
import type { Transport } from "../transport/transport.js";
import type { TokenHosts } from "./hosts.js";
import type { TokenManager } from "./token-manager.js";
import type { UserContext } from "./user-context.js";

/** 401 codes an access-token refresh can heal; scope and permission errors cannot. */
const REFRESHABLE_401 = new Set(["INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"]);

/** Whether a header value holds bytes HTTP forbids there (CR, LF, NUL, other controls) or non-ASCII. */
function unfitForHeader(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code > 0x7e) return true;
  }
  return false;
}

/** Who a call is for, fixed when the call is created. */
export interface CallIdentity {
  user: string | undefined;
  /** The spec path template the call was made for (`/crm/v2/{module}`, `/oauth/user/info`). */
  operationPath: string;
  /** A per-request `baseUrl` (e.g. a bulk-write result's `download_url` host). */
  baseUrl: string | undefined;
  /** The caller's own `signal` option (abort, `AbortSignal.timeout`). */
  signal: AbortSignal | undefined;
  /** The answer is parsed as JSON or text, so its size is capped (`maxResponseBytes`). */
  capped: boolean;
}

interface Credentials {
  user: string | undefined;
  token: string;
  /** From the token manager, so a 401 may be healed by a refresh. */
  managed: boolean;
  record: TokenRecord | undefined;
}

export interface CallAuthOptions {
  config: ResolvedConfig;
  tokens: TokenManager;
  users: UserContext;
  hosts: TokenHosts;
  redactor: Redactor;
  transport: Transport;
  logger: Logger;
}

export class CallAuth {
  readonly #o: CallAuthOptions;
  /** `api_domain` values already judged, so each untrusted one is warned about once. */
  readonly #apiDomains = new Map<string, boolean>();
  /** Origins of the few base URLs in use, parsed once. */
  readonly #origins = new Map<string, string>();

  constructor(options: CallAuthOptions) {
    this.#o = options;
  }

  /** Fixes who a call is for, at the moment the call is made. */
  capture(operationPath: string, options: { baseUrl?: string | undefined; signal?: AbortSignal | undefined; parseAs?: unknown } = {}): CallIdentity {
    const capped = options.parseAs === undefined || options.parseAs === "json" || options.parseAs === "text";
    return { user: this.#o.users.current(), operationPath, baseUrl: options.baseUrl, signal: options.signal, capped };
  }

  /** The `fetch` for one call: authorises the final request, sends it, heals one 401. */
  fetchFor(identity: CallIdentity, state: CallState): (request: Request) => Promise<Response> {
    return async (request) => {
      const body = request.body ? await request.arrayBuffer() : undefined;
      return this.#send(identity, state, {
        method: request.method.toUpperCase(),
        url: request.url,
        headers: request.headers,
        body,
        signal: identity.signal,
        capped: identity.capped,
      });
    };
  }

  /** `crm.fetch()`: a raw call to an endpoint the spec lacks, through the same identity and transport. */
  async raw(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    if (typeof pathOrUrl !== "string" || pathOrUrl === "")
      throw new TypeError("crm.fetch(pathOrUrl, init) needs a path such as /crm/v2/Leads or a URL on the API host.");
    const user = this.#o.users.current();
    let operationPath: string;
    let url: string;
    if (pathOrUrl.startsWith("/")) {
      operationPath = new URL(pathOrUrl, "http://path.invalid").pathname;
      url = `http://path.invalid${pathOrUrl}`; // the host is chosen below, from the operation
    } else {
      const target = new URL(pathOrUrl);
      const credentials = await this.#credentials(user);
      const allowed = [new URL(this.#apiBase(credentials)).origin, new URL(this.#o.config.accountsUrl).origin];
      if (!allowed.includes(target.origin)) {
        throw new ZohoConfigError(
          `crm.fetch() sends tokens only to the API host (${allowed[0]}) or Zoho Accounts (${allowed[1]}), not to ${target.origin}. Pass a path, or a URL on one of those hosts.`,
          { code: "HOST_NOT_ALLOWED", keys: ["pathOrUrl"] },
        );
      }
      operationPath = target.origin === allowed[1] && target.origin !== allowed[0] ? `/oauth${target.pathname}` : target.pathname;
      url = target.href;
    }
    const request = new Request(url, init);
    const state: CallState = {};
    const identity: CallIdentity = { user, operationPath, baseUrl: undefined, signal: init.signal ?? undefined, capped: false };
    const response = await this.fetchFor(identity, state)(request);
    return releaseWhenConsumed(response, () => state.cleanup?.());
  }

  /** A valid access token for `user` (refreshed first when due): the one place a token leaves the SDK on purpose. */
  async accessToken(user: string | undefined): Promise<string> {
    return (await this.#credentials(user)).token;
  }

  async #send(
    identity: CallIdentity,
    state: CallState,
    request: { method: string; url: string; headers: Headers; body: ArrayBuffer | undefined; signal: AbortSignal | undefined; capped: boolean },
  ): Promise<Response> {
    let credentials = await this.#credentials(identity.user);
    const send = (auth: Credentials) => {
      request.headers.set("authorization", this.#header(auth));
      return this.#o.transport({ ...request, url: this.#target(request.url, identity, auth), state });
    };
    const response = await send(credentials);
    if (response.status !== 401 || !credentials.managed || credentials.user === undefined) return response;
    const user = credentials.user;
    const code = await peekErrorCode(response);
    if (!code || !REFRESHABLE_401.has(code)) return response;
    // A token a fresh refresh already failed to fix: refreshing again would only spend Zoho's allowance.
    if (this.#o.tokens.isRejected(user, credentials.token)) return response;
    await response.body?.cancel().catch(() => {});
    state.cleanup?.();
    this.#o.logger.info({ event: "auth.replay_after_401", user, code }, "Access token rejected; refreshing and replaying once");
    const stale = credentials.token;
    credentials = this.#fromRecord(await this.#o.tokens.refresh(user, { staleToken: stale }));
    const replayed = await send(credentials);
    if (replayed.status === 401 && REFRESHABLE_401.has((await peekErrorCode(replayed)) ?? "")) this.#o.tokens.markRejected(user, credentials.token);
    return replayed;
  }

  async #credentials(user: string | undefined): Promise<Credentials> {
    const { config, users, redactor, tokens } = this.#o;
    if (config.accessToken === undefined) {
      // The common case: a cached token that is not due yet, without a trip through the store.
      const cached = tokens.cachedValid(user ?? users.require());
      if (cached) return this.#fromRecord(cached);
    } else {
      const token = typeof config.accessToken === "string" ? config.accessToken : await config.accessToken({ user });
      redactor.add(token);
      return { user, token, managed: false, record: undefined };
    }
    return this.#fromRecord(await tokens.getValidRecord(user ?? users.require()));
  }

  #fromRecord(record: TokenRecord): Credentials {
    return { user: record.user, token: record.accessToken, managed: true, record };
  }

  #header(auth: Credentials): string {
    if (typeof auth.token !== "string" || auth.token === "" || unfitForHeader(auth.token)) {
      throw new ZohoAuthError(
        `The access token${auth.user ? ` of ${auth.user}` : ""} is not a valid header value (empty, or holding line breaks or control characters); nothing was sent. Check the token store or the accessToken option.`,
        { code: "INVALID_ACCESS_TOKEN", ...(auth.user ? { user: auth.user } : {}) },
      );
    }
    return `Zoho-oauthtoken ${auth.token}`;
  }

  #originOf(base: string): string {
    let origin = this.#origins.get(base);
    if (origin === undefined) {
      origin = new URL(base).origin;
      if (this.#origins.size < 64) this.#origins.set(base, origin);
    }
    return origin;
  }

  /** The API host for these credentials: `apiBaseUrl`, else the token's `api_domain` when trusted, else the data centre's. */
  #apiBase(auth: Credentials): string {
    const apiDomain = auth.record?.apiDomain;
    if (apiDomain === undefined || this.#o.config.apiBaseUrl !== undefined) return resolveApiBase(this.#o.config, undefined);
    let trusted = this.#apiDomains.get(apiDomain);
    if (trusted === undefined) {
      trusted = this.#o.hosts.acceptsApiDomain(apiDomain);
      this.#apiDomains.set(apiDomain, trusted);
      if (!trusted) {
        this.#o.logger.warn(
          { event: "auth.api_domain_ignored", user: auth.user, apiDomain },
          "The token's api_domain is not a Zoho API host (https *.zohoapis.<tld>) nor a configured origin: ignored, calling the data centre's host",
        );
      }
    }
    return resolveApiBase(this.#o.config, trusted ? auth.record : undefined);
  }

  /**
   * The URL the request goes to. Its path and query are the request's; its host is chosen from the
   * operation the call was made for: Accounts for `/oauth/...`, the content host for the bulk-write
   * upload, a per-request `baseUrl` when it may carry a token, else the API host.
   */
  #target(url: string, identity: CallIdentity, auth: Credentials): string {
    const { config, hosts } = this.#o;
    const target = new URL(url);
    let base: string;
    if (identity.operationPath.startsWith("/oauth/")) base = config.accountsUrl;
    else if (identity.baseUrl !== undefined) {
      if (!hosts.mayCarryToken(identity.baseUrl)) {
        throw new ZohoConfigError(
          `The request names its own host (${new URL(identity.baseUrl).origin}), which is not a Zoho host nor a configured one: no token is sent there.`,
          { code: "HOST_NOT_ALLOWED", keys: ["baseUrl"] },
        );
      }
      base = identity.baseUrl;
    } else {
      base = this.#apiBase(auth);
      if (identity.operationPath === "/crm/v2/upload") base = base.replace(/^https:\/\/(www|sandbox|developer)\.zohoapis\./, "https://content.zohoapis.");
    }
    let path = target.pathname;
    if (identity.baseUrl === undefined && config.apiVersion !== "v2") path = path.replace(/^\/crm\/(bulk\/)?v2\//, `/crm/$1${config.apiVersion}/`);
    return `${this.#originOf(base)}${path}${target.search}`;
  }
}

async function peekErrorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { code?: unknown } | null;
    return typeof body?.code === "string" ? body.code : undefined;
  } catch {
    return undefined;
  }
}
