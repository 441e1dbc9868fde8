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
}

export class Authorizer {
  readonly #config: ResolvedConfig;
  readonly #tokens: TokenManager;
  readonly #users: UserContext;
  readonly #redactor: Redactor;

  constructor(options: { config: ResolvedConfig; tokens: TokenManager; users: UserContext; redactor: Redactor }) {
    this.#config = options.config;
    this.#tokens = options.tokens;
    this.#users = options.users;
    this.#redactor = options.redactor;
  }

  /** Returns `request` with the Authorization header, host and version prefix this call needs. */
  async authorize(request: Request): Promise<{ request: Request; auth: Authorization }> {
    const { config } = this;
    if (config.accessToken !== undefined) {
      const user = this.#users.current();
      const token = typeof config.accessToken === "string" ? config.accessToken : await config.accessToken({ user });
      this.#redactor.add(token);
      return { request: this.rewrite(request, { token, base: resolveApiBase(config, undefined) }), auth: { user, token, managed: false } };
    }
    const user = this.#users.require();
    const record = await this.#tokens.getValidRecord(user);
    return { request: this.withRecord(request, record), auth: { user, token: record.accessToken, managed: true } };
  }

  /** After a refresh: the same request with the new token (and the host that token names). */
  withRecord(request: Request, record: TokenRecord): Request {
    return this.rewrite(request, { token: record.accessToken, base: resolveApiBase(this.#config, record) });
  }

  get config(): ResolvedConfig {
    return this.#config;
  }

  rewrite(request: Request, options: { token: string; base: string }): Request {
    const url = new URL(request.url);
    const base = new URL(options.base);
    url.protocol = base.protocol;
    url.host = base.host;
    if (this.#config.apiVersion !== "v2") {
      url.pathname = url.pathname.replace(/^\/crm\/(bulk\/)?v2\//, `/crm/$1${this.#config.apiVersion}/`);
    }
    const headers = new Headers(request.headers);
    headers.set("authorization", `Zoho-oauthtoken ${options.token}`);
    return new Request(url, {
      method: request.method,
      headers,
      body: request.body,
      signal: request.signal,
      redirect: request.redirect,
      // Required by Node's fetch to pass a stream body along without buffering it.
      duplex: "half",
    } as RequestInit);
  }
}
