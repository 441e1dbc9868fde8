/** Redis probe for the shared-concurrency suite (same skip/fail rules as the database suites). */
import { Redis } from "ioredis";
import type { DbProbe } from "./databases.js";

export const REDIS_URL = process.env.ZCRM_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export async function redisAvailable(): Promise<DbProbe> {
  const address = new URL(REDIS_URL).host;
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 15_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return { name: "Redis", ok: true, address };
  } catch (error) {
    return { name: "Redis", ok: false, address, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    client.disconnect();
  }
}
