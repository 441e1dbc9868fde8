/**
 * The Zoho Accounts side of the state: grant codes (single-use, expiring), refresh tokens (each
 * may mint at most 10 access tokens per rolling 10 minutes, and keep at most 15 alive), and
 * access tokens (expiring after the configured TTL).
 */
import type { Clock } from "./clock.js";
import { MAX_ACTIVE_ACCESS_TOKENS, REFRESH_LIMIT, REFRESH_WINDOW_MS } from "./constants.js";
import type { Persistence, PersistedToken } from "./persistence.js";
import { zohoToken } from "./random.js";

export interface AccessToken {
  token: string;
  /** Email of the user the token acts for. */
  user: string;
  scopes: string[];
  refreshToken: string | undefined;
  expiresAt: number;
}

interface RefreshToken {
  token: string;
  user: string;
  scopes: string[];
  /** When this refresh token minted access tokens (refresh grants), for the rolling limit. */
  mints: number[];
  /** Its live access tokens, oldest first. */
  accessTokens: string[];
}

interface GrantCode {
  user: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export type TokenOutcome = { ok: true; accessToken: AccessToken; refreshToken: string | undefined } | { ok: false; error: "invalid_code" | "access_denied" };

export type AccessCheck = { ok: true; token: AccessToken } | { ok: false; reason: "unknown" | "expired" };

export class TokenRegistry {
  readonly #clock: Clock;
  readonly #persistence: Persistence;
  readonly #grants = new Map<string, GrantCode>();
  readonly #refresh = new Map<string, RefreshToken>();
  readonly #access = new Map<string, AccessToken>();
  accessTokenTtlSec: number;
  grantTtlSec: number;

  constructor(options: { clock: Clock; persistence: Persistence; accessTokenTtlSec: number; grantTtlSec: number }) {
    this.#clock = options.clock;
    this.#persistence = options.persistence;
    this.accessTokenTtlSec = options.accessTokenTtlSec;
    this.grantTtlSec = options.grantTtlSec;
  }

  mintGrant(user: string, scopes: string[]): string {
    const code = zohoToken();
    this.#grants.set(code, { user, scopes, expiresAt: this.#clock.now() + this.grantTtlSec * 1000, used: false });
    return code;
  }

  /** `grant_type=authorization_code`. A code works once and only before it expires. */
  exchangeGrant(code: string): TokenOutcome {
    const grant = this.#grants.get(code);
    if (!grant || grant.used || grant.expiresAt <= this.#clock.now()) return { ok: false, error: "invalid_code" };
    grant.used = true;
    const refresh: RefreshToken = { token: zohoToken(), user: grant.user, scopes: grant.scopes, mints: [], accessTokens: [] };
    this.#refresh.set(refresh.token, refresh);
    const accessToken = this.#mintAccess(refresh);
    return { ok: true, accessToken, refreshToken: refresh.token };
  }

  /** `grant_type=refresh_token`. */
  refresh(token: string): TokenOutcome {
    const refresh = this.#refresh.get(token);
    if (!refresh) return { ok: false, error: "invalid_code" };
    const now = this.#clock.now();
    refresh.mints = refresh.mints.filter((t) => t > now - REFRESH_WINDOW_MS);
    if (refresh.mints.length >= REFRESH_LIMIT) return { ok: false, error: "access_denied" };
    refresh.mints.push(now);
    return { ok: true, accessToken: this.#mintAccess(refresh), refreshToken: undefined };
  }

  /** Revokes a refresh token (with all its access tokens) or a single access token. */
  revoke(token: string): boolean {
    const refresh = this.#refresh.get(token);
    if (refresh) {
      for (const access of refresh.accessTokens) this.#dropAccess(access);
      this.#refresh.delete(token);
      this.#persistence.deleteToken(token);
      return true;
    }
    if (this.#access.has(token)) {
      this.#dropAccess(token);
      return true;
    }
    return false;
  }

  check(token: string): AccessCheck {
    const access = this.#access.get(token);
    if (!access) return { ok: false, reason: "unknown" };
    if (access.expiresAt <= this.#clock.now()) return { ok: false, reason: "expired" };
    return { ok: true, token: access };
  }

  /** Makes every live access token expire now (tests: force the client's 401 → refresh path). */
  expireAccessTokens(): void {
    const now = this.#clock.now();
    for (const access of this.#access.values()) {
      access.expiresAt = Math.min(access.expiresAt, now);
      this.#saveAccess(access);
    }
  }

  restore(tokens: PersistedToken[]): void {
    for (const { token, kind, data } of tokens) {
      if (kind === "refresh") this.#refresh.set(token, { ...(data as unknown as RefreshToken), token });
      else this.#access.set(token, { ...(data as unknown as AccessToken), token });
    }
  }

  #mintAccess(refresh: RefreshToken): AccessToken {
    const access: AccessToken = {
      token: zohoToken(),
      user: refresh.user,
      scopes: refresh.scopes,
      refreshToken: refresh.token,
      expiresAt: this.#clock.now() + this.accessTokenTtlSec * 1000,
    };
    this.#access.set(access.token, access);
    refresh.accessTokens.push(access.token);
    while (refresh.accessTokens.length > MAX_ACTIVE_ACCESS_TOKENS) this.#dropAccess(refresh.accessTokens.shift()!);
    this.#saveAccess(access);
    this.#persistence.saveToken({ token: refresh.token, kind: "refresh", data: { ...refresh } });
    return access;
  }

  #saveAccess(access: AccessToken): void {
    this.#persistence.saveToken({ token: access.token, kind: "access", data: { ...access } });
  }

  #dropAccess(token: string): void {
    this.#access.delete(token);
    this.#persistence.deleteToken(token);
  }
}
