/**
 * The Zoho Accounts endpoints: `POST /oauth/v2/token` (authorization_code and refresh_token;
 * parameters in the query string or a form body), `POST /oauth/v2/token/revoke?token=` and
 * `GET /oauth/user/info`. Like Zoho, failures of the token endpoint are HTTP 200 with
 * `{"error": "..."}`; throttling is `{"error": "Access Denied", "error_description": ...}`.
 */
import { ACCESS_DENIED_DESCRIPTION } from "./constants.js";
import type { CrmState } from "./crm-state.js";
import type { IncomingCall } from "./crm-api.js";
import type { FaultController } from "./faults.js";
import { formParams } from "./http-io.js";
import { hasProfileScope } from "./scopes.js";
import type { EmulatorStats } from "./stats.js";
import type { TokenRegistry } from "./token-registry.js";
import type { Reply } from "./types.js";

export interface AccountsOptions {
  baseUrl: () => string;
  clientId: string;
  clientSecret: string;
  redirectUri: string | undefined;
  tokens: TokenRegistry;
  state: CrmState;
  faults: FaultController;
  stats: EmulatorStats;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

export class AccountsApi {
  readonly #o: AccountsOptions;

  constructor(options: AccountsOptions) {
    this.#o = options;
  }

  /** The reply for an Accounts path, or undefined when the path is not one. */
  handle(call: IncomingCall): Reply | undefined {
    const path = call.url.pathname.replace(/\/+$/, "");
    if (path === "/oauth/v2/token") return call.method === "POST" ? this.#token(call) : { status: 405, body: { error: "invalid_request" } };
    if (path === "/oauth/v2/token/revoke") return call.method === "POST" ? this.#revoke(call) : { status: 405, body: { error: "invalid_request" } };
    if (path === "/oauth/user/info") return this.#userInfo(call);
    return undefined;
  }

  #tokenError(error: string, description?: string): Reply {
    this.#o.stats.tokenErrors += 1;
    return ok(description ? { error, error_description: description } : { error });
  }

  #token(call: IncomingCall): Reply {
    const { tokens, stats, faults } = this.#o;
    const injected = faults.takeToken();
    if (injected) {
      stats.faultsInjected += 1;
      if (injected === "invalid_code") return this.#tokenError("invalid_code");
      if (injected === "access_denied") return this.#tokenError("Access Denied", ACCESS_DENIED_DESCRIPTION);
      return { status: 500, headers: { "content-type": "text/html; charset=utf-8" }, raw: "<html><body><h1>500 Internal Server Error</h1></body></html>" };
    }
    const params = formParams(call.url, call.body, call.headers["content-type"]);
    if (params.get("client_id") !== this.#o.clientId || params.get("client_secret") !== this.#o.clientSecret) return this.#tokenError("invalid_client");
    const expiresIn = tokens.accessTokenTtlSec;
    switch (params.get("grant_type")) {
      case "authorization_code": {
        if (this.#o.redirectUri !== undefined && params.get("redirect_uri") !== this.#o.redirectUri) return this.#tokenError("invalid_redirect_uri");
        const outcome = tokens.exchangeGrant(params.get("code") ?? "");
        if (!outcome.ok) return this.#tokenError("invalid_code");
        stats.grantExchanges += 1;
        return ok({
          access_token: outcome.accessToken.token,
          refresh_token: outcome.refreshToken,
          api_domain: this.#o.baseUrl(),
          token_type: "Bearer",
          expires_in: expiresIn,
        });
      }
      case "refresh_token": {
        const outcome = tokens.refresh(params.get("refresh_token") ?? "");
        if (!outcome.ok) {
          if (outcome.error === "access_denied") {
            stats.accessDenied += 1;
            return this.#tokenError("Access Denied", ACCESS_DENIED_DESCRIPTION);
          }
          return this.#tokenError("invalid_code");
        }
        stats.refreshes += 1;
        return ok({ access_token: outcome.accessToken.token, api_domain: this.#o.baseUrl(), token_type: "Bearer", expires_in: expiresIn });
      }
      default:
        return this.#tokenError("unsupported_grant_type");
    }
  }

  #revoke(call: IncomingCall): Reply {
    const params = formParams(call.url, call.body, call.headers["content-type"]);
    const token = params.get("token");
    if (!token) return ok({ error: "invalid_request" });
    this.#o.tokens.revoke(token);
    this.#o.stats.revokes += 1;
    return ok({ status: "success" });
  }

  #userInfo(call: IncomingCall): Reply {
    this.#o.stats.userInfoCalls += 1;
    const header = call.headers.authorization;
    const token = typeof header === "string" ? /^(?:Zoho-oauthtoken|Bearer)\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    const check = token ? this.#o.tokens.check(token) : undefined;
    if (!check?.ok) return { status: 401, body: { error: "invalid_token" } };
    if (!hasProfileScope(check.token.scopes)) return { status: 401, body: { error: "invalid_oauthscope" } };
    const user = this.#o.state.userByEmail(check.token.user);
    if (!user) return { status: 401, body: { error: "invalid_token" } };
    return ok({ First_Name: user.first_name ?? "", Last_Name: user.last_name, Email: user.email, Display_Name: user.full_name, ZUID: Number(user.zuid) });
  }
}
