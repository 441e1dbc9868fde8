/**
 * `createZohoCRM()`: an `openapi-fetch` client typed by the generated `paths`, wired to the token
 * manager (auth middleware), the Zoho transport (retries, 401 replay, limits, timeouts) and the
 * token store. Everything hangs off the returned instance; there is no module-level state.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/crm-v2.js";
import { resolveConfig, type ResolvedConfig, type ZohoCRMOptions } from "./config.js";
import { Redactor, createFileLogger, createSafeLogger, type Logger } from "./logging.js";
import { AccountsClient } from "./auth/accounts-client.js";
import { TokenManager, type TokenStatus } from "./auth/token-manager.js";
import { UserContext } from "./auth/user-context.js";
import { Authorizer } from "./auth/authorizer.js";
import { createAuthMiddleware, type AuthLedger } from "./transport/auth-middleware.js";
import { createZohoFetch } from "./transport/zoho-fetch.js";
import { CallContext } from "./transport/call-context.js";
import { chainLimiters, createLocalLimiter } from "./transport/limiter.js";
import { createRedisLimiter } from "./transport/redis-limiter.js";
import type { TokenStore } from "./stores/token-store.js";
import { USER_AGENT } from "./version.js";
import { createPaginate, type Paginate } from "./paginate.js";
import { createModuleApi, type GenericOrg, type ModuleAccessor, type ModuleTypes } from "./module-api.js";

export interface ZohoAuth {
  /** Exchanges a single-use grant token and persists the tokens (Python: generate_access_token). */
  exchangeGrantToken(grantToken: string, options?: { user?: string; redirectUri?: string }): Promise<TokenStatus>;
  /** Forces a refresh of the current (or given) user's access token. */
  refresh(user?: string): Promise<TokenStatus>;
  /** Revokes the refresh token at Zoho and deletes the stored tokens. */
  revoke(user?: string): Promise<void>;
  /** Expiry and host of the stored tokens, never the tokens themselves. */
  status(user?: string): Promise<TokenStatus | undefined>;
}

export type ZohoCRMClient = Client<paths, "application/json"> & {
  auth: ZohoAuth;
  /** Async-iterates the records of a list operation across pages; `.pages()` yields whole pages. */
  paginate: Paginate;
  /** Record operations on one module (list/get/create/update/upsert/delete/search/iterate), 100-record chunks. */
  module: ModuleAccessor<GenericOrg>;
  /** `module()` typed by your org's record types: `crm.modules<OrgModules>()("Leads")` (types from `zcrm gen-types`). */
  modules<Org extends { [K in keyof Org]: ModuleTypes }>(): ModuleAccessor<Org>;
  /** Runs `fn` with `user`'s tokens for every call made in its async call chain. */
  withUser<T>(user: string, fn: () => T): T;
  /** The validated configuration (no secrets are added to it beyond what was passed). */
  readonly config: Readonly<ResolvedConfig>;
  /** Releases the token store's connections (and the default SQLite file handle). */
  close(): Promise<void>;
};

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
    // The embedded SQLite default is loaded on first use so TypeORM stays out of the import path.
    storePromise ??= import("./stores/default-store.js").then((m) => m.createDefaultTokenStore({ cwd: config.cwd }));
    return storePromise;
  };

  const accounts = new AccountsClient({
    accountsUrl: config.accountsUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    logger,
    userAgent: USER_AGENT,
  });
  const tokens = new TokenManager({
    accounts,
    store: getStore,
    defaultUser: config.user,
    refreshSkewMs: config.refreshSkewMs,
    logger,
    redactor,
    onTokenRefreshed: options.onTokenRefreshed,
    onReauthRequired: options.onReauthRequired,
  });
  const users = new UserContext({ defaultUser: config.user });
  const clientBaseUrl = config.apiBaseUrl ?? config.defaultApiBaseUrl;
  const authorizer = new Authorizer({ config, tokens, users, redactor, clientBaseUrl });
  const ledger: AuthLedger = new WeakMap();
  const local = createLocalLimiter({ concurrency: config.maxConcurrency });
  const limiter = options.sharedConcurrency ? chainLimiters(local, createRedisLimiter(options.sharedConcurrency)) : local;
  const calls = new CallContext();
  const zohoFetch = createZohoFetch({ config, authorizer, tokens, ledger, limiter, calls, logger, userAgent: USER_AGENT });

  const client = createClient<paths>({
    baseUrl: clientBaseUrl,
    fetch: zohoFetch,
    // Zoho takes lists comma-separated (`ids=1,2`, `fields=A,B`), the spec's `explode: false`.
    querySerializer: { array: { style: "form", explode: false } },
  });
  client.use(createAuthMiddleware({ authorizer, ledger }));
  calls.guard(client);

  const userFor = (user?: string) => user ?? users.require();
  const auth: ZohoAuth = {
    exchangeGrantToken: async (grantToken, grantOptions) => {
      const status = await tokens.exchangeGrantToken(grantToken, { user: grantOptions?.user ?? users.current(), redirectUri: grantOptions?.redirectUri });
      // Without a configured user, the one the grant belongs to becomes this client's default.
      users.adoptDefault(status.user);
      return status;
    },
    refresh: async (user) => {
      const record = await tokens.refresh(userFor(user));
      return (await tokens.status(record.user))!;
    },
    revoke: (user) => tokens.revoke(userFor(user)),
    status: (user) => tokens.status(userFor(user)),
  };

  const paginate = createPaginate(client);
  const moduleClient = Object.assign(client, { paginate });
  const modules = <Org extends { [K in keyof Org]: ModuleTypes }>() => createModuleApi<Org>(moduleClient);
  return Object.assign(moduleClient, {
    auth,
    module: modules<GenericOrg>(),
    modules,
    withUser: <T>(user: string, fn: () => T): T => users.run(user, fn),
    config,
    async close() {
      limiter.clear();
      if (storePromise) await (await storePromise).close?.();
      else await options.tokenStore?.close?.();
    },
  });
}
