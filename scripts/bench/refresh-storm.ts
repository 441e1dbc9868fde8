/**
 * Refresh storms against the emulator (in its own process; counters read over its control API):
 *  - one process: 1 000 concurrent calls with an expired access token → token-endpoint calls
 *  - four processes sharing one MariaDB TypeOrmTokenStore (a unique table, dropped afterwards)
 * Target: 1 token-endpoint call each.
 */
import { randomBytes } from "node:crypto";
import { createZohoCRM } from "../../src/client.js";
import { DEFAULT_USER_EMAIL } from "../../src/emulator/constants.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import type { TokenStore } from "../../src/stores/token-store.js";
import { TypeOrmTokenStore, type TypeOrmTokenStoreOptions } from "../../src/typeorm.js";
import { benchFile, startChild } from "./child.js";

export interface EmulatorInfo {
  url: string;
  accessToken: string;
  clientId: string;
  clientSecret: string;
}

export interface StormResult {
  name: string;
  processes: number;
  calls: number;
  ok: number;
  /** Token-endpoint calls the emulator saw (refresh grants + token errors). */
  tokenEndpointCalls: number;
  /** API calls answered 401 (a stale token reached the API). */
  unauthorized: number;
  ms: number;
  skipped?: string;
}

async function control<T>(emulator: EmulatorInfo, method: string, path: string, body?: unknown): Promise<T> {
  // The emulator's control endpoints take JSON POSTs only (a web page cannot forge those).
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    ...(method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) }),
  });
  return (await response.json()) as T;
}

async function tokenCalls(emulator: EmulatorInfo): Promise<{ tokenEndpointCalls: number; unauthorized: number }> {
  const stats = await control<{ refreshes: number; tokenErrors: number; unauthorized: number }>(emulator, "GET", "/emulator/stats");
  return { tokenEndpointCalls: stats.refreshes + stats.tokenErrors, unauthorized: stats.unauthorized };
}

/** Exchanges a fresh grant into `store`, then makes the stored access token expired (here and at the emulator). */
async function seedExpired(emulator: EmulatorInfo, store: TokenStore): Promise<void> {
  const { code } = await control<{ code: string }>(emulator, "POST", "/emulator/grant", {});
  const seeder = createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    accountsUrl: emulator.url,
    user: DEFAULT_USER_EMAIL,
    tokenStore: store,
  });
  await seeder.auth.exchangeGrantToken(code);
  const record = (await store.get(DEFAULT_USER_EMAIL))!;
  await store.save({ ...record, expiresAt: Date.now() - 1000 });
  await control(emulator, "POST", "/emulator/expire-tokens");
  await control(emulator, "POST", "/emulator/stats/reset");
}

export async function stormOneProcess(emulator: EmulatorInfo, calls = 1000): Promise<StormResult> {
  const store = new MemoryTokenStore();
  await seedExpired(emulator, store);
  const crm = createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    accountsUrl: emulator.url,
    user: DEFAULT_USER_EMAIL,
    tokenStore: store,
    maxConcurrency: 25,
  });
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: calls }, () => crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } })));
  const ms = Math.round(performance.now() - started);
  await crm.close();
  const ok = results.filter((r) => r.status === "fulfilled" && r.value.response.status === 200).length;
  return { name: "1 process, 1 000 concurrent calls", processes: 1, calls, ok, ms, ...(await tokenCalls(emulator)) };
}

export async function stormFleet(
  emulator: EmulatorInfo,
  mariadb: Omit<TypeOrmTokenStoreOptions, "tableName">,
  options: { processes?: number; callsEach?: number } = {},
): Promise<StormResult> {
  const processes = options.processes ?? 4;
  const callsEach = options.callsEach ?? 250;
  const name = `${processes} processes × ${callsEach} calls, one MariaDB store`;
  const tableName = `zcrm_bench_${randomBytes(5).toString("hex")}`;
  const storeOptions = { ...mariadb, tableName, columns: { apiDomain: "apidomain" } } as TypeOrmTokenStoreOptions;
  const store = new TypeOrmTokenStore({ ...storeOptions, synchronize: true });
  const workers: Awaited<ReturnType<typeof startChild>>[] = [];
  try {
    try {
      await store.ensureTable();
    } catch (error) {
      return {
        name,
        processes,
        calls: 0,
        ok: 0,
        tokenEndpointCalls: Number.NaN,
        unauthorized: Number.NaN,
        ms: 0,
        skipped: `MariaDB unavailable: ${(error as Error).message}`,
      };
    }
    await seedExpired(emulator, store);
    const env = {
      STORE_OPTIONS: JSON.stringify(storeOptions),
      ACCOUNTS_URL: emulator.url,
      CLIENT_ID: emulator.clientId,
      CLIENT_SECRET: emulator.clientSecret,
      ZOHO_USER: DEFAULT_USER_EMAIL,
      CALLS: String(callsEach),
    };
    workers.push(...(await Promise.all(Array.from({ length: processes }, () => startChild(benchFile("storm-worker.ts"), { env })))));
    const started = performance.now();
    for (const w of workers) w.child.stdin!.end("go\n");
    const results = (await Promise.all(workers.map((w) => w.next()))) as Array<{ ok: number; failed: number; ms: number } | undefined>;
    const ms = Math.round(performance.now() - started);
    const ok = results.reduce((sum, r) => sum + (r?.ok ?? 0), 0);
    return { name, processes, calls: processes * callsEach, ok, ms, ...(await tokenCalls(emulator)) };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await store.dataSource.query(`DROP TABLE IF EXISTS \`${tableName}\``).catch(() => undefined);
    await store.close();
  }
}
