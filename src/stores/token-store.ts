/** One user's OAuth tokens as persisted by a token store. */
export interface TokenRecord {
  /** The user the tokens belong to (the Python SDK's `useridentifier`, an email). */
  user: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, epoch milliseconds. */
  expiresAt: number;
  /** The API host Zoho named in the token response (`api_domain`), e.g. `https://www.zohoapis.eu`. */
  apiDomain?: string;
}

/**
 * Work done while holding a store's refresh lock for one user. It receives the record as read
 * inside the lock (so it can tell whether another process refreshed meanwhile) and returns the
 * record to persist, or `undefined` to leave the store as it is.
 */
export type LockedRefresh = (current: TokenRecord | undefined) => Promise<TokenRecord | undefined>;

/**
 * Where tokens live. Any object with `get`, `save` and `delete` is a store (the Python SDK's custom
 * persistence handler). `withLock` is optional: stores shared between processes implement it so a
 * fleet of workers spends one refresh, not N.
 */
export interface TokenStore {
  get(user: string): Promise<TokenRecord | undefined>;
  save(record: TokenRecord): Promise<void>;
  delete(user: string): Promise<void>;
  /** Runs `fn` under a cross-process lock for `user`, persisting what it returns. */
  withLock?(user: string, fn: LockedRefresh): Promise<TokenRecord | undefined>;
  /** Releases connections and handles. */
  close?(): Promise<void>;
  /** The users with stored tokens (optional: lets the CLI act for the only one without `--user`). */
  users?(): Promise<string[]>;
}
