/**
 * Internal helpers shared by the token stores: a re-entrant per-key async mutex, record validation
 * and copying, lock polling, option checks, and the typed errors the stores throw. Not part of the public API.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { backoffMs } from "../backoff.js";
import { ZohoAuthError, ZohoConfigError } from "../errors.js";
import type { TokenRecord } from "./token-store.js";

/**
 * Serialises async work per key inside one process (a promise chain per key). Re-entrant: work
 * started from inside `run(key, ...)` (same async call chain) for a key it already holds runs at
 * once instead of deadlocking on itself. State lives on the instance.
 */
export class KeyedMutex<C = undefined> {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly held = new AsyncLocalStorage<ReadonlyMap<string, C>>();

  /** The context stored by the holder of `key` when the current async chain holds it. */
  heldContext(key: string): { context: C } | undefined {
    const map = this.held.getStore();
    return map?.has(key) ? { context: map.get(key) as C } : undefined;
  }

  /**
   * Waits for `key`, then runs `fn`. `acquire` runs once the in-process turn is ours (e.g. to take a
   * cross-process lock); its `release` gets whether `fn` failed (commit or roll back), and on the
   * failure path must not throw.
   */
  async run<T>(key: string, fn: (context: C) => Promise<T>, acquire?: () => Promise<{ context: C; release: (failed: boolean) => Promise<void> }>): Promise<T> {
    const already = this.heldContext(key);
    if (already) return fn(already.context);

    const previous = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await previous;
      let context = undefined as C;
      let release: ((failed: boolean) => Promise<void>) | undefined;
      if (acquire) ({ context, release } = await acquire());
      let failed = false;
      try {
        const map = new Map(this.held.getStore() ?? []);
        map.set(key, context);
        return await this.held.run(map, () => fn(context));
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        if (release) await release(failed);
      }
    } finally {
      done();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before polling a busy lock again (attempt 0 first): 5 ms up to 100 ms, jittered. */
export function lockPollMs(attempt: number): number {
  return backoffMs({ attempt: attempt + 1, baseMs: 5, capMs: 100 });
}

/** A store option that must be a positive number of milliseconds (or absent: `fallback`). */
export function positiveMs(value: number | undefined, fallback: number, key: string, owner: { store: string; code: string }): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ZohoConfigError(`${owner.store}: \`${key}\` must be a positive number of milliseconds.`, { code: owner.code, keys: [key] });
  }
  return value;
}

export function copyRecord(record: TokenRecord): TokenRecord {
  const copy: TokenRecord = {
    user: record.user,
    accessToken: record.accessToken,
    refreshToken: record.refreshToken,
    expiresAt: record.expiresAt,
  };
  if (record.apiDomain !== undefined) copy.apiDomain = record.apiDomain;
  return copy;
}

export function assertUser(user: unknown, keys: readonly string[] = ["user"]): asserts user is string {
  if (typeof user !== "string" || user.length === 0) {
    throw new ZohoConfigError("The token store needs a non-empty user identifier (the Zoho user's email).", {
      code: "TOKEN_USER_INVALID",
      keys,
    });
  }
}

/** Checks a record's shape before persisting it; messages name fields, never values. */
export function assertRecord(record: unknown): asserts record is TokenRecord {
  const r = record as Partial<TokenRecord> | null;
  const bad: string[] = [];
  if (typeof r !== "object" || r === null) {
    throw new ZohoConfigError("A token record must be an object { user, accessToken, refreshToken, expiresAt, apiDomain? }.", {
      code: "TOKEN_RECORD_INVALID",
      keys: ["tokens"],
    });
  }
  if (typeof r.user !== "string" || r.user.length === 0) bad.push("user");
  if (typeof r.accessToken !== "string") bad.push("accessToken");
  if (typeof r.refreshToken !== "string") bad.push("refreshToken");
  if (typeof r.expiresAt !== "number" || !Number.isFinite(r.expiresAt)) bad.push("expiresAt");
  if (r.apiDomain !== undefined && typeof r.apiDomain !== "string") bad.push("apiDomain");
  if (bad.length > 0) {
    throw new ZohoConfigError(
      `Invalid token record: ${bad.join(", ")} ${bad.length === 1 ? "is" : "are"} missing or of the wrong type ` +
        "(user: non-empty string, accessToken/refreshToken: string, expiresAt: epoch ms number, apiDomain?: string).",
      { code: "TOKEN_RECORD_INVALID", keys: bad },
    );
  }
}

/** A `withLock` callback returned a record for someone else: a programming error. */
export function assertSameUser(user: string, record: TokenRecord): void {
  if (record.user !== user) {
    throw new ZohoConfigError("withLock(user, fn): fn returned a token record for a different user; return a record for the locked user or undefined.", {
      code: "TOKEN_RECORD_INVALID",
      keys: ["user"],
    });
  }
}

export function lockTimeoutError(what: string, user: string | undefined, waitedMs: number, hint: string): ZohoAuthError {
  return new ZohoAuthError(`Timed out after ${waitedMs} ms waiting for the token store lock (${what}). Another process holds it; ${hint}`, {
    code: "TOKEN_STORE_LOCK_TIMEOUT",
    ...(user === undefined ? {} : { user }),
  });
}
