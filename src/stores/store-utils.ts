/**
 * Internal helpers shared by the token stores: a re-entrant per-key async mutex, record validation
 * and copying, backoff, and the typed errors the stores throw. Not part of the public API.
 */
import { AsyncLocalStorage } from "node:async_hooks";
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

/** Exponential backoff with full jitter: attempt 0 → up to `base` ms, capped at `cap`. */
export function backoffMs(attempt: number, base = 5, cap = 200): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 16));
  return Math.max(1, Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
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

/** Copies the harmless identifying fields of a driver/system error, dropping query parameters. */
export function sanitizedCause(error: unknown, secrets: readonly string[] = []): Error {
  const source = (error ?? {}) as Record<string, unknown> & { driverError?: Record<string, unknown> };
  const driver = (source.driverError ?? source) as Record<string, unknown>;
  const message = redact(String(driver.message ?? source.message ?? error), secrets);
  const copy = new Error(message) as Error & Record<string, unknown>;
  for (const key of ["code", "errno", "sqlState", "sqlMessage", "severity", "routine", "syscall", "address", "port"]) {
    const value = driver[key] ?? source[key];
    if (value !== undefined && value !== null && typeof value !== "object") copy[key] = typeof value === "string" ? redact(value, secrets) : value;
  }
  copy.name = typeof driver.name === "string" ? driver.name : "Error";
  return copy;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}
