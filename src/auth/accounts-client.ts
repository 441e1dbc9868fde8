/**
 * The Zoho Accounts client (on `ky`): grant exchange, refresh, revoke and user info.
 * Token requests are form-encoded POST bodies (Zoho recommends the body over the query string for
 * secrets) and are never retried: a grant code is single-use and a refresh that reached Zoho may
 * have been spent. Only `user/info`, a read, is retried.
 */
import ky, { isTimeoutError, type KyInstance } from "ky";
import { ZohoAuthError, ZohoNetworkError } from "../errors.js";
import type { Logger } from "../logging.js";
import { describeCause, safeCause } from "../safe-cause.js";
import { parseTokenResponse, type TokenGrant, type TokenRequestKind } from "./token-response.js";

export interface AccountsClientOptions {
  accountsUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
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
      timeout: options.timeoutMs,
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
    const response = await this.#send("POST", url, () => this.#http.post(url, { searchParams: { token: options.refreshToken } }));
    const body = await readJson(response);
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
    const response = await this.#send("GET", url, () =>
      this.#http.get(url, {
        headers: { authorization: `Zoho-oauthtoken ${options.accessToken}` },
        retry: { limit: 2, methods: ["get"] },
      }),
    );
    const body = (await readJson(response)) as Record<string, unknown> | undefined;
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
      throw new ZohoAuthError(
        `Cannot ${kind === "grant" ? "exchange a grant token" : "refresh tokens"} without clientId and clientSecret: set both (from the Zoho API console) in the client options.`,
        { code: "CLIENT_CREDENTIALS_MISSING", user },
      );
    }
    return new URLSearchParams({ client_id: clientId, client_secret: clientSecret });
  }

  async #token(form: URLSearchParams, kind: TokenRequestKind, user: string | undefined): Promise<TokenGrant> {
    const url = `${this.#options.accountsUrl}/oauth/v2/token`;
    const started = Date.now();
    const response = await this.#send("POST", url, () => this.#http.post(url, { body: form }));
    const body = await readJson(response);
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

  async #send(method: string, url: string, call: () => Promise<Response>): Promise<Response> {
    try {
      return await call();
    } catch (error) {
      const reason = isTimeoutError(error) ? `timed out after ${this.#options.timeoutMs} ms` : describeCause(error);
      throw new ZohoNetworkError(`Could not reach Zoho Accounts (${method} ${url}): ${reason}. Check the network and accountsUrl/dataCenter.`, {
        code: isTimeoutError(error) ? "TIMEOUT" : "NETWORK_ERROR",
        method,
        url,
        cause: safeCause(error),
      });
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
