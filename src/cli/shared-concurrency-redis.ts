/**
 * Turns the CLI's `--redis-url` into the client option `sharedConcurrency`: loads ioredis (not a
 * dependency of the SDK: the library takes a client the user made) and redis-semaphore (optional),
 * connects before anything is sent to Zoho so a bad URL fails at once, and closes the connection
 * when the command ends. Messages quote the URL redacted only.
 */
import { ZohoConfigError, ZohoNetworkError } from "../errors.js";
import { missingPackage, optionalPackageError } from "../optional-package.js";
import { describeCause, safeCause } from "../safe-cause.js";
import type { RedisLikeClient, SharedConcurrencyOptions } from "../transport/redis-limiter.js";
import type { CliSharedConcurrency } from "./shared-concurrency-config.js";

/** What the CLI needs of an ioredis client (its own type, so no ioredis type leaks into dist). */
interface CliRedis extends RedisLikeClient {
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
}

type RedisConstructor = new (url: string, options: Record<string, unknown>) => CliRedis;

export interface SharedConcurrencyConnection {
  options: SharedConcurrencyOptions;
  close(): Promise<void>;
}

/** Connection name in `CLIENT LIST`: operators (and the tests) can see a zcrm holding a connection. */
export const CLI_REDIS_CONNECTION_NAME = "zcrm-cli";

const QUIT_TIMEOUT_MS = 2_000;

async function loadIoredis(): Promise<RedisConstructor> {
  try {
    const mod = (await import("ioredis")) as unknown as { Redis?: RedisConstructor; default?: RedisConstructor };
    return (mod.Redis ?? mod.default) as RedisConstructor;
  } catch (error) {
    const missing = missingPackage(error);
    if (!missing) throw error;
    // ioredis is not an optional dependency of ours (library users bring their own client), so
    // the optional-package wording (`--omit=optional`) would mislead: say what to install.
    throw new ZohoConfigError(
      `--redis-url (the concurrency cap shared through Redis) needs the package ioredis, and ${missing} is not installed. Install it: npm install ioredis — or leave --redis-url out.`,
      { code: "OPTIONAL_PACKAGE_MISSING", keys: ["redisUrl"] },
    );
  }
}

/** The SDK loads redis-semaphore at the first call; checking here fails before any work is done. */
async function checkSemaphorePackage(): Promise<void> {
  try {
    await import("redis-semaphore");
  } catch (error) {
    const missing = missingPackage(error);
    if (!missing) throw error;
    throw optionalPackageError({
      feature: "--redis-url (the concurrency cap shared through Redis)",
      packages: ["redis-semaphore"],
      missing,
      alternative: "leave --redis-url out",
      keys: ["redisUrl"],
    });
  }
}

export async function connectSharedConcurrency(shared: CliSharedConcurrency, secrets: readonly string[]): Promise<SharedConcurrencyConnection> {
  const Redis = await loadIoredis();
  await checkSemaphorePackage();
  let connected = false;
  let lastError: unknown;
  const redis = new Redis(shared.redisUrl, {
    lazyConnect: true,
    connectTimeout: 10_000,
    connectionName: CLI_REDIS_CONNECTION_NAME,
    // Fail fast at start; once connected, ride out a Redis restart (a long `sync --watch`).
    retryStrategy: (times: number) => (connected ? Math.min(times * 200, 2_000) : null),
    // A call waiting for a permit fails (REDIS_UNAVAILABLE) rather than hanging while Redis is down.
    maxRetriesPerRequest: 2,
  });
  // ioredis reports the real cause as an event (connect() only says "Connection is closed.").
  redis.on("error", (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    connected = true;
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? error;
    const text = describeCause(cause);
    if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(`${text} ${(cause as Error)?.message ?? ""}`)) {
      throw new ZohoConfigError(`Redis at ${shared.redacted} refused the credentials in --redis-url / ZCRM_REDIS_URL; nothing was sent to Zoho.`, {
        code: "REDIS_AUTH_FAILED",
        keys: ["redisUrl"],
        cause: safeCause(cause, { secrets }),
      });
    }
    throw new ZohoNetworkError(
      `Cannot reach Redis at ${shared.redacted} (--redis-url / ZCRM_REDIS_URL) for the shared concurrency cap: ${text}; nothing was sent to Zoho.`,
      { code: "REDIS_UNAVAILABLE", cause: safeCause(cause, { secrets }) },
    );
  }
  return {
    options: { redis, limit: shared.limit, ...(shared.key !== undefined ? { key: shared.key } : {}) },
    async close() {
      connected = false;
      // QUIT goes after the queued commands, so the permits just released (ZREM) reach Redis
      // instead of blocking other workers until they expire; a dead server gets a hard disconnect.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
      await Promise.race([redis.quit().catch(() => undefined), timeout]);
      clearTimeout(timer);
      redis.disconnect();
    },
  };
}
