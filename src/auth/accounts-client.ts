/**
 * The Zoho Accounts client (on `ky`): grant exchange, refresh, revoke and user info.
 * Token requests are form-encoded POST bodies (Zoho recommends the body over the query string for
 * secrets) and are never retried: a grant code is single-use and a refresh that reached Zoho may
 * have been spent. Only `user/info`, a read, is retried. Every request has one deadline covering
 * the headers and the body (a server that stalls mid-body cannot hold a user's refresh, or the
 * cross-process lock, forever), never follows a redirect (the client secret and tokens go to the
 * Accounts host and nowhere else), and reads at most `maxResponseBytes`.
 */
import ky, { isTimeoutError, type KyInstance } from "ky";
import { ZohoAuthError, ZohoConfigError, ZohoNetworkError } from "../errors.js";
import type { Logger } from "../logging.js";
import { describeCause, safeCause } from "../safe-cause.js";
import { ResponseTooLarge, readTextCapped } from "../transport/read-capped.js";
import { parseTokenResponse, type TokenGrant, type TokenRequestKind } from "./token-response.js";

export interface AccountsClientOptions {
  accountsUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  logger: Logger;
  userAgent: string;
  now?: () => number;
}

export interface AccountsUserInfo {
  email: string;
  displayName: string | undefined;
  zuid: string | undefined;
}

export class AccountsClient {
  readonly #options: AccountsClientOptions;
  readonly #http: KyInstance;

  constructor(options: AccountsClientOptions) {
    this.#options = options;
    this.#http = ky.create({
      fetch: options.fetch,
      timeout: false, // one deadline for headers and body, armed in #exchange
      redirect: "manual",
      throwHttpErrors: false,
      retry: 0,
      headers: { "user-agent": options.userAgent, accept: "application/json" },
    });
  }

  get accountsUrl(): string {
    return this.#options.accountsUrl;
  }

  /** `grant_type=authorization_code`: the Python SDK's `generate_access_token(grant_token)`. */
  async exchangeGrantToken(options: { code: string; redirectUri?: string }): Promise<TokenGrant> {
    const form = this.#credentials("grant");
    form.set("grant_type", "authorization_code");
    form.set("code", options.code);
    const redirectUri = options.redirectUri ?? this.#options.redirectUri;
    if (redirectUri) form.set("redirect_uri", redirectUri);
    return this.#token(form, "grant", undefined);
  }

  /** `grant_type=refresh_token`. The response carries no refresh token: the caller keeps its own. */
  async refresh(options: { refreshToken: string; user?: string }): Promise<TokenGrant> {
    const form = this.#credentials("refresh", options.user);
    form.set("grant_type", "refresh_token");
    form.set("refresh_token", options.refreshToken);
    return this.#token(form, "refresh", options.user);
  }

  /** Revokes a refresh token (and every access token issued from it). */
  async revoke(options: { refreshToken: string; user?: string }): Promise<void> {
    const url = `${this.#options.accountsUrl}/oauth/v2/token/revoke`;
    const { response, body } = await this.#exchange(
      "POST",
      url,
      (signal) => this.#http.post(url, { searchParams: { token: options.refreshToken }, signal }),
      options.user,
    );
    if (!response.ok || (body && typeof body === "object" && "error" in body)) {
      const code =
        body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string"
          ? String((body as { error: string }).error)
          : `HTTP_${response.status}`;
      throw new ZohoAuthError(`Zoho Accounts refused to revoke the refresh token (${code}). The token may already be revoked; check accountsUrl/dataCenter.`, {
        code,
        user: options.user,
        status: response.status,
      });
    }
  }

  /** The user an access token belongs to (`/oauth/user/info`), as the Python SDK does without an email. */
  async userInfo(options: { accessToken: string }): Promise<AccountsUserInfo> {
    const url = `${this.#options.accountsUrl}/oauth/user/info`;
    const { response, body: json } = await this.#exchange(
      "GET",
      url,
      (signal) =>
        this.#http.get(url, {
          headers: { authorization: `Zoho-oauthtoken ${options.accessToken}` },
          retry: { limit: 2, methods: ["get"] },
          signal,
        }),
      undefined,
    );
    const body = json as Record<string, unknown> | undefined;
    const email = body?.Email ?? body?.email;
    if (!response.ok || typeof email !== "string") {
      throw new ZohoAuthError(
        `Could not read the user's email from Zoho Accounts (HTTP ${response.status}). Pass the user's email explicitly (the \`user\` option or exchangeGrantToken(grant, { user })), or include the AaaServer.profile.READ scope when generating the grant token.`,
        { code: "USER_INFO_UNAVAILABLE", status: response.status },
      );
    }
    return {
      email,
      displayName: typeof body?.Display_Name === "string" ? body.Display_Name : undefined,
      zuid: body?.ZUID === undefined ? undefined : String(body.ZUID),
    };
  }

  #credentials(kind: TokenRequestKind, user?: string): URLSearchParams {
    const { clientId, clientSecret } = this.#options;
    if (!clientId || !clientSecret) {
      throw new ZohoConfigError(
        `Cannot ${kind === "grant" ? "exchange a grant token" : "refresh tokens"}${user ? ` of ${user}` : ""} without clientId and clientSecret: set both (from the Zoho API console) in the client options.`,
        { code: "CLIENT_CREDENTIALS_MISSING", keys: ["clientId", "clientSecret"] },
      );
    }
    return new URLSearchParams({ client_id: clientId, client_secret: clientSecret });
  }

  async #token(form: URLSearchParams, kind: TokenRequestKind, user: string | undefined): Promise<TokenGrant> {
    const url = `${this.#options.accountsUrl}/oauth/v2/token`;
    const started = Date.now();
    const { response, body } = await this.#exchange("POST", url, (signal) => this.#http.post(url, { body: form, signal }), user);
    this.#options.logger.debug(
      { event: "accounts.token", grantType: kind, status: response.status, ms: Date.now() - started, user },
      "Zoho Accounts token response",
    );
    if (body === undefined) {
      throw new ZohoAuthError(
        `Zoho Accounts answered the token request with HTTP ${response.status} and no JSON body; check that accountsUrl (${this.#options.accountsUrl}) is a Zoho Accounts server.`,
        { code: "INVALID_TOKEN_RESPONSE", user, status: response.status },
      );
    }
    return parseTokenResponse({ body, kind, user, status: response.status, now: (this.#options.now ?? Date.now)() });
  }

  /**
   * One request to Accounts and its JSON body, under one deadline; a redirect is refused (typed),
   * never followed; a body over `maxResponseBytes` is not read.
   */
  async #exchange(
    method: string,
    url: string,
    call: (signal: AbortSignal) => Promise<Response>,
    user: string | undefined,
  ): Promise<{ response: Response; body: unknown }> {
    const { timeoutMs, maxResponseBytes } = this.#options;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
    timer.unref();
    try {
      const response = await call(controller.signal);
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => {});
        throw new ZohoAuthError(
          `Zoho Accounts (${method} ${url}) answered with a redirect (HTTP ${response.status}), which is not followed: the client secret and tokens go to the configured Accounts host only. Check accountsUrl/dataCenter (the data centre where the client is registered).`,
          { code: "ACCOUNTS_REDIRECT", status: response.status, ...(user ? { user } : {}) },
        );
      }
      const text = await readTextCapped(response, maxResponseBytes);
      let body: unknown;
      try {
        body = text.trim() === "" ? undefined : (JSON.parse(text) as unknown);
      } catch {
        body = undefined;
      }
      return { response, body };
    } catch (error) {
      if (error instanceof ZohoAuthError) throw error;
      if (error instanceof ResponseTooLarge) {
        throw new ZohoAuthError(`Zoho Accounts (${method} ${url}) answered with a body over ${maxResponseBytes} bytes; it was not read. Check accountsUrl.`, {
          code: "INVALID_TOKEN_RESPONSE",
          ...(user ? { user } : {}),
        });
      }
      const timedOut = controller.signal.aborted || isTimeoutError(error);
      const reason = timedOut ? `timed out after ${timeoutMs} ms` : describeCause(error);
      throw new ZohoNetworkError(`Could not reach Zoho Accounts (${method} ${url}): ${reason}. Check the network and accountsUrl/dataCenter.`, {
        code: timedOut ? "TIMEOUT" : "NETWORK_ERROR",
        method,
        url,
        cause: safeCause(error),
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
