/**
 * The token manager: hands out a valid access token per user, refreshing before expiry and on
 * demand after a 401. Refresh is single-flight per user in this process, and across processes when
 * the store offers `withLock`: inside the lock the stored record is read again, and if another
 * process already replaced the token we saw as stale, that one is used instead of spending a
 * refresh ("refreshed since" check). Zoho allows 10 access tokens per refresh token per 10 minutes,
 * so the manager also refuses to spend them where they cannot help: a token that a fresh refresh did
 * not make acceptable is not refreshed again, and a dead refresh token puts the user in
 * "re-consent needed" until new tokens are saved.
 */
import { ZohoAuthError } from "../errors.js";
import { safeCause } from "../safe-cause.js";
import type { Logger, Redactor } from "../logging.js";
import type { ReauthRequiredEvent, TokenRefreshedEvent } from "../config.js";
import type { TokenRecord, TokenStore } from "../stores/token-store.js";
import type { AccountsClient } from "./accounts-client.js";
import type { TokenHosts } from "./hosts.js";
import type { TokenGrant } from "./token-response.js";

export interface TokenManagerOptions {
  accounts: AccountsClient;
  /** Resolved lazily so the default SQLite store is only opened when tokens are needed. */
  store: () => Promise<TokenStore>;
  refreshSkewMs: number;
  /** Judges a token response's `api_domain` before it is trusted or stored. */
  hosts: Pick<TokenHosts, "acceptsApiDomain">;
  logger: Logger;
  redactor: Redactor;
  onTokenRefreshed?: ((event: TokenRefreshedEvent) => void) | undefined;
  onReauthRequired?: ((event: ReauthRequiredEvent) => void) | undefined;
  now?: () => number;
}

/** What callers may see of a user's tokens: never the tokens themselves. */
export interface TokenStatus {
  user: string;
  expiresAt: number;
  expired: boolean;
  apiDomain: string | undefined;
  hasRefreshToken: boolean;
}

/** Zoho's documented access-token lifetime: assumed for tokens another process obtained. */
const DEFAULT_LIFETIME_MS = 3_600_000;
const SAVE_ATTEMPTS = 3;

export class TokenManager {
  readonly #options: TokenManagerOptions;
  readonly #inflight = new Map<string, Promise<TokenRecord>>();
  readonly #cache = new Map<string, TokenRecord>();
  /** Lifetime of the access token each user holds, when this process obtained it. */
  readonly #lifetimes = new Map<string, number>();
  /** An access token that a fresh refresh did not make acceptable: 401s with it are not refreshed again. */
  readonly #rejected = new Map<string, string>();
  /** Users whose refresh token Zoho declared dead (invalid_code): the refresh token, until new tokens are saved. */
  readonly #reauth = new Map<string, string>();
  readonly #now: () => number;

  constructor(options: TokenManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Date.now()); // looked up per call, so faked Date in tests applies
  }

  /** The cached record when its access token is not due yet (no store read, no promise): the hot path. */
  cachedValid(user: string): TokenRecord | undefined {
    const record = this.#cache.get(user);
    return record && record.expiresAt - this.#margin(user) > this.#now() && !this.#reauth.has(user) ? record : undefined;
  }

  /** A record whose access token is valid for at least the refresh margin. */
  async getValidRecord(user: string): Promise<TokenRecord> {
    const record = this.#cache.get(user) ?? (await this.#load(user));
    if (record.expiresAt - this.#margin(user) > this.#now()) return record;
    return this.refresh(user, { staleToken: record.accessToken });
  }

  /**
   * Refreshes `user`'s access token. With `staleToken`, a token that differs from it and is still
   * valid counts as already refreshed (by this or another process). Without it, always refreshes.
   */
  refresh(user: string, options: { staleToken?: string } = {}): Promise<TokenRecord> {
    const running = this.#inflight.get(user);
    if (running) return running;
    const promise = this.#refresh(user, options.staleToken).finally(() => this.#inflight.delete(user));
    this.#inflight.set(user, promise);
    return promise;
  }

  /** Remembers that a freshly refreshed `token` was still refused, so its 401s are not refreshed again. */
  markRejected(user: string, token: string): void {
    this.#rejected.set(user, token);
    this.#options.logger.warn(
      { event: "auth.token_rejected_after_refresh", user },
      "A freshly refreshed access token was refused too: not refreshing again for it (check scopes, the user's status and the API host)",
    );
  }

  isRejected(user: string, token: string): boolean {
    return this.#rejected.get(user) === token;
  }

  /**
   * Exchanges a single-use grant token and persists the tokens under the user Zoho says the grant
   * belongs to (`/oauth/user/info`, asked every time). With `user`, Zoho must not contradict it.
   * Once Zoho has issued tokens they are never silently dropped: saving is retried, and if the
   * tokens still cannot be kept, the new refresh token is revoked and `GRANT_SPENT` says a new
   * grant is needed.
   */
  async exchangeGrantToken(grantToken: string, options: { user?: string | undefined; redirectUri?: string | undefined } = {}): Promise<TokenStatus> {
    if (typeof grantToken !== "string" || grantToken.trim() === "") {
      throw new ZohoAuthError("exchangeGrantToken() needs the grant token (the `code` from the consent redirect or the API console).", {
        code: "GRANT_TOKEN_REQUIRED",
      });
    }
    this.#options.redactor.add(grantToken);
    const grant = await this.#options.accounts.exchangeGrantToken({ code: grantToken, redirectUri: options.redirectUri });
    return this.#keepIssued(grant, options.user, "grant");
  }

  /**
   * Starts from a refresh token the developer already holds (the API console's Self Client): refreshes
   * at once (proving it works), finds whose it is when no user is given, and persists.
   */
  async importRefreshToken(refreshToken: string, options: { user?: string | undefined } = {}): Promise<TokenStatus> {
    if (typeof refreshToken !== "string" || refreshToken.trim() === "") {
      throw new ZohoAuthError("importRefreshToken() needs the refresh token.", { code: "REFRESH_TOKEN_REQUIRED" });
    }
    this.#options.redactor.add(refreshToken);
    const grant = await this.#options.accounts.refresh({ refreshToken, user: options.user });
    return this.#keepIssued({ ...grant, refreshToken }, options.user, "import");
  }

  /** Revokes the user's refresh token at Zoho and removes the stored tokens. */
  async revoke(user: string): Promise<void> {
    const record = await this.#load(user);
    if (record.refreshToken) await this.#options.accounts.revoke({ refreshToken: record.refreshToken, user });
    const store = await this.#options.store();
    await store.delete(user);
    this.#forget(user);
    this.#options.logger.info({ event: "auth.revoked", user }, "Refresh token revoked; stored tokens deleted");
  }

  async status(user: string): Promise<TokenStatus | undefined> {
    const store = await this.#options.store();
    const record = await store.get(user);
    return record ? this.#status(record) : undefined;
  }

  /** Forgets the cached record (e.g. after the store changed behind our back). */
  forget(user: string): void {
    this.#cache.delete(user);
  }

  /** Refresh this long before expiry: the configured skew, but at most half the token's lifetime. */
  #margin(user: string): number {
    return Math.min(this.#options.refreshSkewMs, (this.#lifetimes.get(user) ?? DEFAULT_LIFETIME_MS) / 2);
  }

  #forget(user: string): void {
    this.#cache.delete(user);
    this.#lifetimes.delete(user);
    this.#rejected.delete(user);
  }

  /**
   * A token response's `api_domain`, when it may be trusted: an https Zoho API host, or the
   * configured Accounts/API origin. Anything else is dropped (never stored): calls then go to the
   * data centre's host.
   */
  #checkedApiDomain(apiDomain: string | undefined, user: string | undefined): string | undefined {
    if (apiDomain === undefined || this.#options.hosts.acceptsApiDomain(apiDomain)) return apiDomain;
    this.#options.logger.warn(
      { event: "auth.api_domain_ignored", user, apiDomain },
      "The token response's api_domain is not a Zoho API host (https *.zohoapis.<tld>) nor a configured origin: ignored and not stored; calls go to the data centre's host",
    );
    return undefined;
  }

  async #keepIssued(issued: TokenGrant, requested: string | undefined, reason: "grant" | "import"): Promise<TokenStatus> {
    const { logger, redactor } = this.#options;
    const grant = { ...issued, apiDomain: this.#checkedApiDomain(issued.apiDomain, requested) };
    redactor.add(grant.accessToken);
    redactor.add(grant.refreshToken);
    const spent = async (why: string, cause: unknown): Promise<never> => {
      // Zoho issued a refresh token we cannot keep: revoke it so it does not count against the
      // user's limit of live refresh tokens, and say plainly that the grant is used up.
      if (grant.refreshToken && reason === "grant") await this.#options.accounts.revoke({ refreshToken: grant.refreshToken }).catch(() => undefined);
      throw new ZohoAuthError(
        `${why} Zoho already issued tokens for this grant${reason === "grant" ? " (its refresh token was revoked again)" : ""}, and a grant token works only once: generate a new grant token and exchange it again.`,
        { code: "GRANT_SPENT", reauthRequired: true, ...(requested ? { user: requested } : {}), cause: safeCause(cause) },
      );
    };
    let user = requested;
    try {
      const owner = (await this.#options.accounts.userInfo({ accessToken: grant.accessToken })).email;
      if (requested !== undefined && owner.toLowerCase() !== requested.toLowerCase()) {
        if (grant.refreshToken && reason === "grant") await this.#options.accounts.revoke({ refreshToken: grant.refreshToken }).catch(() => undefined);
        throw new ZohoAuthError(
          `The ${reason === "grant" ? "grant" : "refresh"} token belongs to ${owner}, not ${requested}: nothing was stored${reason === "grant" ? " and the tokens Zoho issued were revoked" : ""}. Have ${requested} give consent (a new grant token), or leave out \`user\` to store the tokens under the user Zoho names.`,
          { code: "GRANT_USER_MISMATCH", user: requested, reauthRequired: true },
        );
      }
      user = owner;
    } catch (error) {
      if (error instanceof ZohoAuthError && error.code === "GRANT_USER_MISMATCH") throw error;
      if (requested === undefined) {
        return spent(
          "Could not find out whose grant this is: Zoho Accounts' /oauth/user/info did not answer with the user's email (generate the grant with the AaaServer.profile.READ scope, or pass { user }).",
          error,
        );
      }
      logger.warn(
        { event: "auth.user_unverified", user: requested },
        "Could not ask Zoho whose grant this is (no AaaServer.profile.READ scope?); storing under the given user",
      );
    }
    const owner = user as string;
    if (!grant.refreshToken && reason === "grant") {
      logger.warn(
        { event: "auth.no_refresh_token", user: owner },
        "The grant produced no refresh token (was it generated with access_type=online?); the access token cannot be renewed after it expires.",
      );
    }
    const record: TokenRecord = {
      user: owner,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? "",
      expiresAt: grant.expiresAt,
      ...(grant.apiDomain ? { apiDomain: grant.apiDomain } : {}),
    };
    let lastError: unknown;
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      try {
        const store = await this.#options.store();
        await store.save(record);
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
        logger.warn({ event: "auth.save_failed", user: owner, attempt, error }, "Could not save the new tokens; retrying");
        if (attempt < SAVE_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    if (lastError !== undefined) {
      return spent(`The token store could not save the tokens of ${owner} (${lastError instanceof Error ? lastError.message : String(lastError)}).`, lastError);
    }
    this.#forget(owner);
    this.#cache.set(owner, record);
    this.#lifetimes.set(owner, grant.expiresAt - this.#now());
    this.#reauth.delete(owner);
    logger.info(
      {
        event: reason === "grant" ? "auth.grant_exchanged" : "auth.refresh_token_imported",
        user: owner,
        expiresAt: record.expiresAt,
        apiDomain: record.apiDomain,
      },
      "Tokens persisted",
    );
    this.#emitRefreshed(record, reason === "grant" ? "grant" : "refresh");
    return this.#status(record);
  }

  async #load(user: string): Promise<TokenRecord> {
    const store = await this.#options.store();
    const record = await store.get(user);
    if (!record) {
      throw new ZohoAuthError(
        `No tokens are stored for ${user}: exchange a grant token first with crm.auth.exchangeGrantToken(grantToken) (or \`zcrm auth exchange <grant>\`), using the same token store.`,
        { code: "NO_TOKENS", user, reauthRequired: true },
      );
    }
    this.#remember(record);
    return record;
  }

  #remember(record: TokenRecord): void {
    this.#options.redactor.add(record.accessToken);
    this.#options.redactor.add(record.refreshToken);
    const cached = this.#cache.get(record.user);
    if (cached && cached.accessToken !== record.accessToken) this.#lifetimes.delete(record.user); // another process's token
    this.#cache.set(record.user, record);
  }

  /** In "re-consent needed", fail fast without calling Accounts — unless new tokens were saved meanwhile (another process). */
  async #checkReauth(user: string, store: TokenStore): Promise<void> {
    const dead = this.#reauth.get(user);
    if (dead === undefined) return;
    const current = await store.get(user);
    if (current && current.refreshToken !== "" && current.refreshToken !== dead) {
      this.#reauth.delete(user);
      return;
    }
    throw new ZohoAuthError(
      `Zoho no longer accepts the refresh token of ${user} (revoked, or evicted by newer ones): the user must grant access again. Exchange a new grant token with crm.auth.exchangeGrantToken() (or import a new refresh token); calls for ${user} fail at once until then.`,
      { code: "REAUTH_REQUIRED", user, reauthRequired: true },
    );
  }

  async #refresh(user: string, staleToken: string | undefined): Promise<TokenRecord> {
    const store = await this.#options.store();
    await this.#checkReauth(user, store);
    let refreshed = false;
    let lifetime: number | undefined;
    let result: TokenRecord | undefined;
    let spentRefreshToken: string | undefined;
    const work = async (current: TokenRecord | undefined): Promise<TokenRecord | undefined> => {
      if (!current) {
        throw new ZohoAuthError(`No tokens are stored for ${user}: exchange a grant token first with crm.auth.exchangeGrantToken(grantToken).`, {
          code: "NO_TOKENS",
          user,
          reauthRequired: true,
        });
      }
      if (staleToken !== undefined && current.accessToken !== staleToken && current.expiresAt - this.#margin(user) > this.#now()) {
        result = current; // someone refreshed since we looked: spend nothing
        return undefined;
      }
      if (!current.refreshToken) {
        throw new ZohoAuthError(
          `The stored tokens of ${user} have no refresh token, so the access token cannot be renewed: exchange a new grant token generated with access_type=offline.`,
          {
            code: "NO_REFRESH_TOKEN",
            user,
            reauthRequired: true,
          },
        );
      }
      spentRefreshToken = current.refreshToken;
      const started = this.#now();
      const issued = await this.#options.accounts.refresh({ refreshToken: current.refreshToken, user });
      const grant = { ...issued, apiDomain: this.#checkedApiDomain(issued.apiDomain, user) };
      refreshed = true;
      lifetime = grant.expiresAt - started;
      result = {
        ...current,
        accessToken: grant.accessToken,
        // Refresh responses carry no refresh token: keep ours.
        refreshToken: grant.refreshToken ?? current.refreshToken,
        expiresAt: grant.expiresAt,
        ...(grant.apiDomain ? { apiDomain: grant.apiDomain } : {}),
      };
      this.#options.redactor.add(result.accessToken);
      return result;
    };
    try {
      if (store.withLock) {
        await store.withLock(user, work);
      } else {
        const next = await work(await store.get(user));
        if (next) await store.save(next);
      }
    } catch (error) {
      if (error instanceof ZohoAuthError && error.reauthRequired) {
        this.#cache.delete(user);
        const firstTime = spentRefreshToken !== undefined && !this.#reauth.has(user);
        if (spentRefreshToken !== undefined) this.#reauth.set(user, spentRefreshToken);
        this.#options.logger.warn({ event: "auth.reauth_required", user, code: error.code }, "Refresh failed: the user must grant access again");
        if (firstTime || spentRefreshToken === undefined) {
          try {
            this.#options.onReauthRequired?.({ user, code: error.code });
          } catch {
            // A throwing hook must not hide the auth error.
          }
        }
      }
      throw error;
    }
    const record = result!;
    this.#remember(record);
    if (lifetime !== undefined) this.#lifetimes.set(user, lifetime);
    if (refreshed) {
      this.#options.logger.info({ event: "auth.refreshed", user, expiresAt: record.expiresAt, apiDomain: record.apiDomain }, "Access token refreshed");
      this.#emitRefreshed(record, "refresh");
    } else {
      this.#options.logger.debug({ event: "auth.refresh_skipped", user }, "Access token already refreshed elsewhere; reusing it");
    }
    return record;
  }

  #emitRefreshed(record: TokenRecord, reason: "grant" | "refresh"): void {
    try {
      this.#options.onTokenRefreshed?.({ user: record.user, expiresAt: record.expiresAt, apiDomain: record.apiDomain, reason });
    } catch (error) {
      this.#options.logger.warn({ event: "hook.error", hook: "onTokenRefreshed", error }, "onTokenRefreshed threw; ignored");
    }
  }

  #status(record: TokenRecord): TokenStatus {
    return {
      user: record.user,
      expiresAt: record.expiresAt,
      expired: record.expiresAt <= this.#now(),
      apiDomain: record.apiDomain,
      hasRefreshToken: record.refreshToken !== "",
    };
  }
}
