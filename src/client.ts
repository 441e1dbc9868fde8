/**
 * `createZohoCRM()`: an `openapi-fetch` client typed by the generated `paths`, wired to three
 * layers, each with one concern:
 *
 * - the call guard (call-guard.ts) wraps the call methods: checks path parameters, captures the
 *   call's user when the call is made, installs the auth layer's fetch for the call, and types
 *   what fails while openapi-fetch parses;
 * - the auth layer (auth/call-auth.ts) owns a call's identity: user, token, host, header, and the
 *   401 → refresh → replay-once cycle, after every user middleware;
 * - the transport (transport/transport.ts) sends: concurrency cap, timeouts, retries; no tokens.
 *
 * Everything hangs off the returned instance; there is no module-level state.
 */
import { inspect } from "node:util";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/crm-v2.js";
import { CallAuth } from "./auth/call-auth.js";
import { AccountsClient } from "./auth/accounts-client.js";
import { TokenHosts } from "./auth/hosts.js";
import { TokenManager, type TokenStatus } from "./auth/token-manager.js";
import { UserContext } from "./auth/user-context.js";
import { guardClient } from "./call-guard.js";
import { redactedConfig, resolveConfig, type ResolvedConfig, type ZohoCRMOptions } from "./config.js";
import { Redactor, createFileLogger, createSafeLogger, type Logger } from "./logging.js";
import { createModuleApi, type ModuleAccessor, type ModuleTypes, type NoOrgTypes } from "./module-api.js";
import { createPaginate, type Paginate } from "./paginate.js";
import type { TokenStore } from "./stores/token-store.js";
import { chainLimiters, createLocalLimiter } from "./transport/limiter.js";
import { createRedisLimiter } from "./transport/redis-limiter.js";
import { Closer } from "./transport/closer.js";
import { createTransport } from "./transport/transport.js";
import { USER_AGENT } from "./version.js";

export interface ExchangeGrantOptions {
  /**
   * The user the grant is expected to belong to (default: the user in scope, else the configured
   * `user` option). Zoho is asked every time, and must not say otherwise.
   */
  user?: string;
  redirectUri?: string;
  /** Make the grant's user this client's default user, when the client has none. Default false. */
  makeDefault?: boolean;
}

export interface ZohoAuth {
  /**
   * Exchanges a single-use grant token and persists the tokens under the user Zoho names for the
   * grant (`/oauth/user/info`, asked every time). Python: generate_access_token(grant_token).
   */
  exchangeGrantToken(grantToken: string, options?: ExchangeGrantOptions): Promise<TokenStatus>;
  /** Starts from a refresh token you already hold (Self Client): refreshes at once, finds whose it is, persists. */
  importRefreshToken(refreshToken: string, options?: { user?: string; makeDefault?: boolean }): Promise<TokenStatus>;
  /** Forces a refresh of the current (or given) user's access token. */
  refresh(user?: string): Promise<TokenStatus>;
  /** Revokes the refresh token at Zoho and deletes the stored tokens. */
  revoke(user?: string): Promise<void>;
  /** Expiry and host of the stored tokens, never the tokens themselves. */
  status(user?: string): Promise<TokenStatus | undefined>;
  /**
   * A valid access token for the current (or given) user, refreshed first when due — for a tool
   * that needs the raw token (Python: get_access_token). The one place a token leaves the SDK on
   * purpose: keep it out of logs and URLs.
   */
  accessToken(user?: string): Promise<string>;
}

type CallMethods = Pick<Client<paths, "application/json">, "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" | "request">;

/** Everything that makes calls: shared by the client and its per-user views. */
export type ZohoCRMCalls = CallMethods & {
  auth: ZohoAuth;
  /** Async-iterates the records of a list operation across pages; `.pages()` yields whole pages. */
  paginate: Paginate;
  /**
   * Record operations on one module (list/get/create/update/upsert/delete/search/iterate), 100-record
   * chunks. Standard modules (`"Leads"`, `"Deals"`...) are typed by Zoho's standard fields; any other
   * name takes and returns the spec's open record.
   */
  module: ModuleAccessor;
  /**
   * `module()` typed by your org's record types: `crm.modules<OrgModules>()("Leads")` (types from
   * `zcrm gen-types`). Modules the org types lack fall back to the standard types, then the open record.
   */
  modules<Org extends { [K in keyof Org]: ModuleTypes }>(): ModuleAccessor<Org>;
  /**
   * A raw call through the same user, host, token refresh, 401 replay, retries and limits, for an
   * endpoint the spec lacks. A path goes to the API host; a URL must be on the API or Accounts host.
   */
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  /** The validated configuration. */
  readonly config: Readonly<ResolvedConfig>;
};

/** `crm.forUser(email)`: the client's calls, all made as one user; shares its tokens, limits and store. */
export type ZohoCRMUserView = ZohoCRMCalls & { readonly user: string };

export type ZohoCRMClient = Client<paths, "application/json"> &
  ZohoCRMCalls & {
    /** Runs `fn` with `user`'s tokens for every call made in its async call chain. */
    withUser<T>(user: string, fn: () => T): T;
    /** A view of this client whose every call (and iterator) is made as `user`. */
    forUser(user: string): ZohoCRMUserView;
    /**
     * Settles everything: queued and in-flight calls reject with `CLIENT_CLOSED`, timers stop, and
     * the default token store is closed. A store you passed is closed only with `{ store: true }`.
     */
    close(options?: { store?: boolean }): Promise<void>;
  };

const CALL_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;

export function createZohoCRM(options: ZohoCRMOptions): ZohoCRMClient {
  const config = resolveConfig(options);
  const redactor = new Redactor();
  redactor.add(config.clientSecret);
  if (typeof config.accessToken === "string") redactor.add(config.accessToken);
  const sinks: Logger[] = [];
  if (options.logger) sinks.push(options.logger);
  if (options.logFilePath) sinks.push(createFileLogger({ filePath: options.logFilePath, level: options.logLevel ?? "info" }));
  const logger = createSafeLogger({ sinks, redactor, bindings: { sdk: "zcrm-typed" } });

  let storePromise: Promise<TokenStore> | undefined;
  const getStore = (): Promise<TokenStore> => {
    if (options.tokenStore) return Promise.resolve(options.tokenStore);
    // The embedded SQLite default is loaded on first use so TypeORM stays out of the import path. A
    // failure (a read-only directory) is not cached: once fixed, the next call opens it.
    storePromise ??= import("./stores/default-store.js")
      .then((m) => m.createDefaultTokenStore({ cwd: config.cwd }))
      .catch((error: unknown) => {
        storePromise = undefined;
        throw error;
      });
    return storePromise;
  };

  const closer = new Closer();
  const accounts = new AccountsClient({
    accountsUrl: config.accountsUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    logger,
    userAgent: USER_AGENT,
  });
  const hosts = new TokenHosts(config);
  const tokens = new TokenManager({
    accounts,
    store: getStore,
    hosts,
    refreshSkewMs: config.refreshSkewMs,
    logger,
    redactor,
    onTokenRefreshed: options.onTokenRefreshed,
    onReauthRequired: options.onReauthRequired,
  });
  const users = new UserContext({ defaultUser: config.user });
  const local = createLocalLimiter({ concurrency: config.maxConcurrency });
  const limiter = options.sharedConcurrency ? chainLimiters(local, createRedisLimiter(options.sharedConcurrency)) : local;
  const transport = createTransport({ config, limiter, logger, userAgent: USER_AGENT, closer });
  const callAuth = new CallAuth({ config, tokens, users, hosts, redactor, transport, logger });

  const client = createClient<paths>({
    baseUrl: config.apiBaseUrl ?? config.defaultApiBaseUrl,
    // Zoho takes lists comma-separated (`ids=1,2`, `fields=A,B`), the spec's `explode: false`.
    querySerializer: { array: { style: "form", explode: false } },
  });
  guardClient(client, { auth: callAuth, closer });

  const userFor = (user?: string) => user ?? users.require();
  // Whose grant the caller says it is: given, or the user in scope, or the configured `user` —
  // never a default adopted from an earlier grant (that would store a second user's tokens under
  // the first one's name). Zoho is asked every time and must agree.
  const expectedUser = (given: string | undefined, scoped: (user?: string) => string | undefined) => given ?? scoped() ?? users.scoped() ?? config.user;
  const makeAuth = (scoped: (user?: string) => string | undefined): ZohoAuth => ({
    exchangeGrantToken: async (grantToken, grantOptions = {}) => {
      const user = expectedUser(grantOptions.user, scoped);
      const status = await tokens.exchangeGrantToken(grantToken, { user, redirectUri: grantOptions.redirectUri });
      if (grantOptions.makeDefault) users.adoptDefault(status.user);
      return status;
    },
    importRefreshToken: async (refreshToken, importOptions = {}) => {
      const status = await tokens.importRefreshToken(refreshToken, { user: expectedUser(importOptions.user, scoped) });
      if (importOptions.makeDefault) users.adoptDefault(status.user);
      return status;
    },
    refresh: async (user) => {
      const record = await tokens.refresh(userFor(scoped(user)));
      return (await tokens.status(record.user))!;
    },
    revoke: (user) => tokens.revoke(userFor(scoped(user))),
    status: (user) => tokens.status(userFor(scoped(user))),
    accessToken: (user) => callAuth.accessToken(scoped(user) ?? users.current()),
  });

  const paginate = createPaginate(client, { users });
  const calls = Object.assign(client, { paginate });
  const modules = <Org extends { [K in keyof Org]: ModuleTypes }>() => createModuleApi<Org>(calls);

  const forUser = (user: string): ZohoCRMUserView => {
    const email = UserContext.check(user, "forUser()");
    const as =
      <A extends unknown[], R>(fn: (...args: A) => R) =>
      (...args: A): R =>
        users.run(email, () => fn(...args));
    const view = {} as Record<string, unknown>;
    for (const name of CALL_METHODS) view[name] = as((client as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!);
    const viewPaginate = Object.assign(as(paginate), { pages: as(paginate.pages) }) as Paginate;
    const viewCalls = Object.assign(view, { paginate: viewPaginate }) as unknown as CallMethods & { paginate: Paginate };
    const viewModules = <Org extends { [K in keyof Org]: ModuleTypes }>() => createModuleApi<Org>(viewCalls);
    return Object.assign(viewCalls, {
      user: email,
      auth: makeAuth((u) => u ?? email),
      module: viewModules<NoOrgTypes>(),
      modules: viewModules,
      fetch: as((pathOrUrl: string, init?: RequestInit) => callAuth.raw(pathOrUrl, init)),
      config,
    });
  };

  let closed: Promise<void> | undefined;
  // Printing the client shows what it is, never a secret (its config prints redacted too).
  Object.defineProperty(calls, inspect.custom, {
    value: (_depth: number, inspectOptions: object) => `ZohoCRMClient ${inspect(redactedConfig(config), inspectOptions)}`,
    enumerable: false,
  });
  return Object.assign(calls, {
    auth: makeAuth((u) => u),
    module: modules<NoOrgTypes>(),
    modules,
    fetch: (pathOrUrl: string, init?: RequestInit) => callAuth.raw(pathOrUrl, init),
    withUser: <T>(user: string, fn: () => T): T => users.run(user, fn),
    forUser,
    config,
    close(closeOptions: { store?: boolean } = {}) {
      closed ??= (async () => {
        closer.close(); // each call in flight ends typed, as CLIENT_CLOSED
        if (storePromise) await (await storePromise.catch(() => undefined))?.close?.();
        else if (closeOptions.store) await options.tokenStore?.close?.();
      })();
      return closed;
    },
  });
}
