/**
 * A concurrency cap shared across processes through Redis (`redis-semaphore` on an ioredis client
 * the user passes). Permits expire if a holder dies (lockTimeout, refreshed while held), so a
 * crashed worker cannot leak the org's capacity. Loaded only when configured.
 */
import { ZohoNetworkError } from "../errors.js";
import { missingPackage, optionalPackageError } from "../optional-package.js";
import { describeCause, safeCause } from "../safe-cause.js";
import type { Limiter } from "./limiter.js";

/** The ioredis methods redis-semaphore uses. */
export interface RedisLikeClient {
  eval(...args: unknown[]): Promise<unknown>;
  evalsha(...args: unknown[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(...args: unknown[]): Promise<unknown>;
  zrem(...args: unknown[]): Promise<unknown>;
}

export interface SharedConcurrencyOptions {
  /** An ioredis client (`new Redis(url)`); the SDK does not close it. */
  redis: RedisLikeClient;
  /** Concurrent calls allowed across every process using `key`. */
  limit: number;
  /** Redis key naming the org's pool. Default `zcrm-typed:concurrency`. Use one key per Zoho org. */
  key?: string;
  /** Give up waiting for a permit after this long. Default 60 000 ms. */
  acquireTimeoutMs?: number;
  /** A dead holder's permit is reclaimed after this long. Default 30 000 ms (refreshed while held). */
  lockTimeoutMs?: number;
  /** How often a waiter polls for a free permit. Default 10 ms. */
  retryIntervalMs?: number;
}

export function createRedisLimiter(options: SharedConcurrencyOptions): Limiter {
  const key = options.key ?? "zcrm-typed:concurrency";
  const acquireTimeout = options.acquireTimeoutMs ?? 60_000;
  let semaphoreModule: Promise<typeof import("redis-semaphore")> | undefined;
  const load = () =>
    (semaphoreModule ??= import("redis-semaphore").catch((error: unknown) => {
      semaphoreModule = undefined;
      const missing = missingPackage(error);
      if (!missing) throw error;
      throw optionalPackageError({
        feature: "sharedConcurrency (the concurrency cap shared through Redis)",
        packages: ["redis-semaphore"],
        missing,
        alternative: "leave sharedConcurrency out (maxConcurrency still caps each client)",
        keys: ["sharedConcurrency"],
      });
    }));
  return {
    async acquire(signal) {
      const { Semaphore, TimeoutError } = await load();
      const semaphore = new Semaphore(options.redis as never, key, options.limit, {
        acquireTimeout,
        lockTimeout: options.lockTimeoutMs ?? 30_000,
        retryInterval: options.retryIntervalMs ?? 10,
        // The default throws from a timer (an uncaught exception): a lost permit is Redis's problem
        // to report, not a reason to crash the host process. The permit expires on its own.
        onLockLost: () => {},
      });
      try {
        await semaphore.acquire(signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof TimeoutError) {
          throw new ZohoNetworkError(
            `Waited ${acquireTimeout} ms for a shared concurrency permit (Redis key "${key}", limit ${options.limit}). Other workers hold them all: raise sharedConcurrency.acquireTimeoutMs or the limit if your Zoho edition allows.`,
            { code: "CONCURRENCY_TIMEOUT", cause: safeCause(error) },
          );
        }
        throw new ZohoNetworkError(
          `The shared concurrency cap could not reach Redis (key "${key}"): ${describeCause(error)}. Check the Redis server and the ioredis client passed as sharedConcurrency.redis; nothing was sent to Zoho.`,
          { code: "REDIS_UNAVAILABLE", cause: safeCause(error) },
        );
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        void semaphore.release().catch(() => {});
      };
    },
  };
}
