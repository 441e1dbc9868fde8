/**
 * Decides, for one outgoing API request, which user it is for, which access token it carries and
 * which host it goes to (explicit `apiBaseUrl`, else the token's `api_domain`, else the data
 * centre's default), and rewrites the `/crm/v2/` prefix for `apiVersion: "v2.1"`.
 */
import { resolveApiBase, type ResolvedConfig } from "../config.js";
import type { Redactor } from "../logging.js";
import type { TokenRecord } from "../stores/token-store.js";
import type { TokenManager } from "./token-manager.js";
import type { UserContext } from "./user-context.js";

export interface Authorization {
  user: string | undefined;
  token: string;
  /** True when the token comes from the token manager, so a 401 may be healed by a refresh. */
  managed: boolean;
  /** The API host this call goes to. */
  base: string;
}

export class Authorizer {
  readonly #config: ResolvedConfig;
  readonly #tokens: TokenManager;
  readonly #users: UserContext;
  readonly #redactor: Redactor;
  /** Origin of the openapi-fetch client's `baseUrl`: only URLs on it are re-targeted. */
  readonly #clientOrigin: string;

  constructor(options: { config: ResolvedConfig; tokens: TokenManager; users: UserContext; redactor: Redactor; clientBaseUrl: string }) {
    this.#config = options.config;
    this.#clientOrigin = new URL(options.clientBaseUrl).origin;
    this.#tokens = options.tokens;
    this.#users = options.users;
    this.#redactor = options.redactor;
  }

  /** The token and host for the current user's call (refreshing proactively when near expiry). */
  async authorize(): Promise<Authorization> {
    const config = this.#config;
    if (config.accessToken !== undefined) {
      const user = this.#users.current();
      const token = typeof config.accessToken === "string" ? config.accessToken : await config.accessToken({ user });
      this.#redactor.add(token);
      return { user, token, managed: false, base: resolveApiBase(config, undefined) };
    }
    const user = this.#users.require();
    return this.fromRecord(await this.#tokens.getValidRecord(user));
  }

  fromRecord(record: TokenRecord): Authorization {
    return { user: record.user, token: record.accessToken, managed: true, base: resolveApiBase(this.#config, record) };
  }

  /**
   * The URL a spec path is sent to: the authorization's API host and the configured API version.
   * Calls that name their own host (a per-request `baseUrl`, e.g. a bulk-write `download_url`) are
   * left alone; `/oauth/*` goes to the Accounts server, and the bulk-write upload to the content
   * host of the API domain in use (`www.zohoapis.eu` → `content.zohoapis.eu`); a host that is not
   * Zoho's (an emulator, a proxy) serves everything itself.
   */
  target(url: string, auth: Pick<Authorization, "base">): string {
    const target = new URL(url);
    if (target.origin !== this.#clientOrigin) return url;
    const config = this.#config;
    let baseUrl = auth.base;
    if (target.pathname.startsWith("/oauth/")) baseUrl = config.accountsUrl;
    else if (target.pathname === "/crm/v2/upload") baseUrl = baseUrl.replace(/^https:\/\/(www|sandbox|developer)\.zohoapis\./, "https://content.zohoapis.");
    const base = new URL(baseUrl);
    target.protocol = base.protocol;
    target.host = base.host;
    if (this.#config.apiVersion !== "v2") {
      target.pathname = target.pathname.replace(/^\/crm\/(bulk\/)?v2\//, `/crm/$1${this.#config.apiVersion}/`);
    }
    return target.href;
  }

  static header(auth: Pick<Authorization, "token">): string {
    return `Zoho-oauthtoken ${auth.token}`;
  }
}
