/**
 * The token manager: hands out a valid access token per user, refreshing before expiry (skew) and on
 * demand after a 401. Refresh is single-flight per user in this process, and across processes when
 * the store offers `withLock`: inside the lock the stored record is read again, and if another
 * process already replaced the token we saw as stale, that one is used instead of spending a
 * refresh ("refreshed since" check). Zoho allows 10 access tokens per refresh token per 10 minutes.
 */
import { ZohoAuthError } from "../errors.js";
import type { Logger, Redactor } from "../logging.js";
import type { ReauthRequiredEvent, TokenRefreshedEvent } from "../config.js";
import type { TokenRecord, TokenStore } from "../stores/token-store.js";
import type { AccountsClient } from "./accounts-client.js";

export interface TokenManagerOptions {
  accounts: AccountsClient;
  /** Resolved lazily so the default SQLite store is only opened when tokens are needed. */
  store: () => Promise<TokenStore>;
  defaultUser: string | undefined;
  refreshSkewMs: number;
  logger: Logger;
  redactor: Redactor;
  onTokenRefreshed?: (event: TokenRefreshedEvent) => void;
  onReauthRequired?: (event: ReauthRequiredEvent) => void;
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

export class TokenManager {
  readonly #options: TokenManagerOptions;
  readonly #inflight = new Map<string, Promise<TokenRecord>>();
  readonly #cache = new Map<string, TokenRecord>();
  readonly #now: () => number;

  constructor(options: TokenManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Date.now()); // looked up per call, so faked Date in tests applies
  }

  /** A record whose access token is valid for at least the refresh skew. */
  async getValidRecord(user: string): Promise<TokenRecord> {
    const record = this.#cache.get(user) ?? (await this.#load(user));
    if (record.expiresAt - this.#options.refreshSkewMs > this.#now()) return record;
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

  /** Exchanges a single-use grant token and persists the tokens; the Python SDK's generate_access_token. */
  async exchangeGrantToken(grantToken: string, options: { user?: string; redirectUri?: string } = {}): Promise<TokenStatus> {
    if (typeof grantToken !== "string" || grantToken.trim() === "") {
      throw new ZohoAuthError("exchangeGrantToken() needs the grant token (the `code` from the consent redirect or the API console).", {
        code: "GRANT_TOKEN_REQUIRED",
      });
    }
    this.#options.redactor.add(grantToken);
    const grant = await this.#options.accounts.exchangeGrantToken({ code: grantToken, redirectUri: options.redirectUri });
    this.#options.redactor.add(grant.accessToken);
    this.#options.redactor.add(grant.refreshToken);
    const user = options.user ?? this.#options.defaultUser ?? (await this.#options.accounts.userInfo({ accessToken: grant.accessToken })).email;
    if (!grant.refreshToken) {
      this.#options.logger.warn(
        { event: "auth.no_refresh_token", user },
        "The grant produced no refresh token (was it generated with access_type=online?); the access token cannot be renewed after it expires.",
      );
    }
    const record: TokenRecord = {
      user,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? "",
      expiresAt: grant.expiresAt,
      ...(grant.apiDomain ? { apiDomain: grant.apiDomain } : {}),
    };
    const store = await this.#options.store();
    await store.save(record);
    this.#cache.set(user, record);
    this.#options.logger.info(
      { event: "auth.grant_exchanged", user, expiresAt: record.expiresAt, apiDomain: record.apiDomain },
      "Grant token exchanged; tokens persisted",
    );
    this.#emitRefreshed(record, "grant");
    return this.#status(record);
  }

  /** Revokes the user's refresh token at Zoho and removes the stored tokens. */
  async revoke(user: string): Promise<void> {
    const record = await this.#load(user);
    if (record.refreshToken) await this.#options.accounts.revoke({ refreshToken: record.refreshToken, user });
    const store = await this.#options.store();
    await store.delete(user);
    this.#cache.delete(user);
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
    this.#cache.set(record.user, record);
  }

  async #refresh(user: string, staleToken: string | undefined): Promise<TokenRecord> {
    const store = await this.#options.store();
    let refreshed = false;
    let result: TokenRecord | undefined;
    const work = async (current: TokenRecord | undefined): Promise<TokenRecord | undefined> => {
      if (!current) {
        throw new ZohoAuthError(`No tokens are stored for ${user}: exchange a grant token first with crm.auth.exchangeGrantToken(grantToken).`, {
          code: "NO_TOKENS",
          user,
          reauthRequired: true,
        });
      }
      const skew = this.#options.refreshSkewMs;
      if (staleToken !== undefined && current.accessToken !== staleToken && current.expiresAt - skew > this.#now()) {
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
      const grant = await this.#options.accounts.refresh({ refreshToken: current.refreshToken, user });
      refreshed = true;
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
        this.#options.logger.warn({ event: "auth.reauth_required", user, code: error.code }, "Refresh failed: the user must grant access again");
        try {
          this.#options.onReauthRequired?.({ user, code: error.code });
        } catch {
          // A throwing hook must not hide the auth error.
        }
      }
      throw error;
    }
    const record = result!;
    this.#remember(record);
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
