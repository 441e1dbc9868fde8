/**
 * A fleet of worker processes sharing one database token store spends ONE refresh when the access
 * token has expired, however many calls each makes at once (Zoho allows 10 per 10 minutes).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TypeOrmTokenStore, type TypeOrmTokenStoreOptions } from "../../src/typeorm.js";
import { MARIADB, POSTGRES, describeDb, mariadbAvailable, postgresAvailable, uniqueSuffix, type DbProbe } from "../helpers/databases.js";
import { requireToken, seedTokens, startFakeZoho, type FakeZoho } from "../helpers/fake-zoho.js";

const USER = "fleet@example.com";
const WORKERS = 4;
const CALLS = 50;
const workerFile = fileURLToPath(new URL("./fixtures/refresh-worker.ts", import.meta.url));

function startWorker(env: Record<string, string>): {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ code: number | null; out: string; err: string }>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", workerFile], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let signalReady: () => void;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout!.on("data", (d: Buffer) => {
    out += d;
    if (out.includes("ready\n")) signalReady();
  });
  child.stderr!.on("data", (d: Buffer) => (err += d));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on("close", (code) => resolve({ code, out, err })));
  return { child, ready: Promise.race([ready, done.then(() => {})]), done };
}

async function fleetRun(fake: FakeZoho, storeOptions: TypeOrmTokenStoreOptions) {
  const store = new TypeOrmTokenStore({ ...storeOptions, synchronize: true });
  const seeded = seedTokens(fake, USER);
  await store.save({ user: USER, ...seeded, expiresAt: Date.now() - 60_000, apiDomain: fake.url });
  const env = { STORE_OPTIONS: JSON.stringify(storeOptions), ACCOUNTS_URL: fake.url, ZOHO_USER: USER, CALLS: String(CALLS) };
  const workers = Array.from({ length: WORKERS }, () => startWorker(env));
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.child.stdin!.end("go\n");
  const results = await Promise.all(workers.map((w) => w.done));
  for (const r of results) {
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(JSON.stringify({ ok: CALLS }));
  }
  const stored = await store.get(USER);
  expect(stored?.accessToken).not.toBe(seeded.accessToken);
  expect(stored?.refreshToken).toBe(seeded.refreshToken);
  expect(stored!.expiresAt).toBeGreaterThan(Date.now());
  await store.close();
}

const maria = await mariadbAvailable();
const postgres = await postgresAvailable();

function fleetSuite(name: string, probe: DbProbe, options: () => TypeOrmTokenStoreOptions) {
  describeDb(`${WORKERS} processes × ${CALLS} calls on one ${name} store`, probe, () => {
    let fake: FakeZoho;
    beforeAll(async () => {
      fake = await startFakeZoho();
      fake.refreshDelayMs = 150; // a slow Accounts server widens the race window
      fake.handler = requireToken(fake, () => ({
        body: { users: [{ id: "1", email: USER }], info: { per_page: 200, count: 1, page: 1, more_records: false } },
      }));
    });
    afterAll(async () => {
      await fake?.close();
    });
    it("spends exactly one refresh", async () => {
      await fleetRun(fake, options());
      expect(fake.refreshCount).toBe(1);
      expect(fake.crmRequests).toHaveLength(WORKERS * CALLS);
    }, 180_000);
  });
}

const table = `oauthtokens_fleet_${uniqueSuffix()}`;
// The Python SDK's table has no api_domain column; ours adds one so every process calls the host
// the token response named (here the fake's loopback URL).
const columns = { apiDomain: "apidomain" };
fleetSuite("MariaDB", maria, () => ({
  type: "mariadb",
  host: MARIADB.host,
  port: MARIADB.port,
  username: MARIADB.username,
  password: MARIADB.password,
  database: MARIADB.database,
  tableName: table,
  columns,
  poolSize: 3, // small pools: copies of the suite share the server's connection limit
}));
fleetSuite("PostgreSQL", postgres, () => ({
  type: "postgres",
  host: POSTGRES.host,
  port: POSTGRES.port,
  username: POSTGRES.username,
  password: POSTGRES.password,
  database: POSTGRES.database,
  tableName: table,
  columns,
  poolSize: 3, // small pools: copies of the suite share the server's connection limit
}));

let sqliteDir = "";
fleetSuite("SQLite", { name: "SQLite", ok: true, address: "file" }, () => ({
  type: "better-sqlite3",
  database: path.join(sqliteDir, "tokens.sqlite"),
  tableName: table,
  columns,
  poolSize: 3, // small pools: copies of the suite share the server's connection limit
}));
beforeAll(async () => {
  sqliteDir = await mkdtemp(path.join(tmpdir(), "zcrm-fleet-"));
});
afterAll(async () => {
  await rm(sqliteDir, { recursive: true, force: true });
  for (const [probe, opts] of [
    [maria, { type: "mariadb", host: MARIADB.host, port: MARIADB.port, username: MARIADB.username, password: MARIADB.password, database: MARIADB.database }],
    [
      postgres,
      { type: "postgres", host: POSTGRES.host, port: POSTGRES.port, username: POSTGRES.username, password: POSTGRES.password, database: POSTGRES.database },
    ],
  ] as const) {
    if (!probe.ok) continue;
    const store = new TypeOrmTokenStore({ ...(opts as TypeOrmTokenStoreOptions), tableName: table });
    await store.dataSource.initialize().catch(() => {});
    await store.dataSource.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    await store.close();
  }
});
