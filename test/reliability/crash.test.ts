/**
 * Crash: a worker process is killed with SIGKILL in the middle of a refresh — holding the MariaDB
 * GET_LOCK, its request to a slow token endpoint in flight — while three other workers on the same
 * store wait for that lock. MariaDB drops the named lock with the killed connection, so the others
 * carry on: one of them refreshes, the rest reuse its token ("refreshed since"), every call
 * succeeds, the stored tokens stay valid for a fresh client, and the token endpoint is called twice
 * (the killed worker's lost refresh + one), never once per process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createZohoCRM } from "../../src/client.js";
import { TypeOrmTokenStore, type TypeOrmTokenStoreOptions } from "../../src/typeorm.js";
import { MARIADB, describeDb, mariadbAvailable, uniqueSuffix } from "../helpers/databases.js";
import { requireToken, seedTokens, startFakeZoho, type FakeZoho } from "../helpers/fake-zoho.js";
import { waitUntil } from "../helpers/wait.js";

const USER = "crash@example.com";
const SURVIVORS = 3;
const CALLS = 20;
const workerFile = fileURLToPath(new URL("./fixtures/crash-worker.ts", import.meta.url));

interface Worker {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", workerFile], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exited };
}

const maria = await mariadbAvailable();
// A database of its own, so the process list shows only this test's lock waiters.
const database = `zcrm_crash_${uniqueSuffix()}`;
const table = "oauthtokens";
const storeOptions: TypeOrmTokenStoreOptions = {
  type: "mariadb",
  host: MARIADB.host,
  port: MARIADB.port,
  username: MARIADB.username,
  password: MARIADB.password,
  database,
  tableName: table,
  columns: { apiDomain: "apidomain" },
  poolSize: 3, // small pools: copies of the suite share the server's connection limit
};

describeDb("SIGKILL mid-refresh on a shared MariaDB store", maria, () => {
  let fake: FakeZoho;
  let store: TypeOrmTokenStore;
  let admin: mysql.Connection;
  const workers: Worker[] = [];

  beforeAll(async () => {
    fake = await startFakeZoho();
    fake.handler = requireToken(fake, (req) => ({
      body: { users: [{ id: "1", email: fake.tokenUsers.get(req.token!) }], info: { per_page: 200, count: 1, page: 1, more_records: false } },
    }));
    admin = await mysql.createConnection({
      host: MARIADB.host,
      port: MARIADB.port,
      user: MARIADB.username,
      password: MARIADB.password,
      database: MARIADB.database,
    });
    await admin.query(`CREATE DATABASE \`${database}\``);
    store = new TypeOrmTokenStore({ ...storeOptions, synchronize: true });
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await admin?.query(`DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await store?.close();
    await fake?.close();
  });

  /** Connections to this test's database blocked in GET_LOCK (MariaDB shows them in the process list). */
  const waitingForLock = async (): Promise<number> => {
    const [rows] = await admin.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'SELECT GET_LOCK%'", [database]);
    return Number((rows as Array<{ n: number }>)[0]!.n);
  };

  it("the others carry on, the tokens stay valid, refreshes stay bounded", { timeout: 180_000 }, async () => {
    const seeded = seedTokens(fake, USER);
    await store.save({ user: USER, ...seeded, expiresAt: Date.now() - 60_000, apiDomain: fake.url });
    const env = { STORE_OPTIONS: JSON.stringify(storeOptions), ACCOUNTS_URL: fake.url, ZOHO_USER: USER, CALLS: String(CALLS) };

    // Everyone connects first; the victim goes, and refreshes against a token endpoint that never answers it.
    const victim = startWorker(env);
    const survivors = Array.from({ length: SURVIVORS }, () => startWorker(env));
    workers.push(victim, ...survivors);
    await Promise.all(
      workers.map((w) => waitUntil(() => w.out().includes("ready\n") || w.child.exitCode !== null, { timeoutMs: 60_000, what: "workers to connect" })),
    );
    for (const w of workers) expect(w.out(), w.err()).toContain("ready\n");
    let unstall = () => {};
    fake.refreshStall = new Promise<void>((resolve) => {
      unstall = resolve;
    });
    victim.child.stdin!.end("go\n");
    await waitUntil(() => fake.refreshCount === 1, { what: "the victim's refresh to reach the token endpoint" });

    // The survivors start while the victim holds the lock: all of them end up waiting in GET_LOCK.
    for (const w of survivors) w.child.stdin!.end("go\n");
    const deadline = Date.now() + 60_000;
    while ((await waitingForLock()) < SURVIVORS) {
      if (Date.now() > deadline) throw new Error(`survivors never queued on GET_LOCK (${await waitingForLock()} waiting)`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fake.refreshCount).toBe(1);

    victim.child.kill("SIGKILL");
    expect(await victim.exited).toMatchObject({ signal: "SIGKILL" });
    unstall(); // the dead victim's request may now end: nobody is listening

    const results = await Promise.all(survivors.map((w) => w.exited));
    survivors.forEach((w, i) => {
      expect(results[i]!.code, w.err()).toBe(0);
      expect(w.out()).toContain(JSON.stringify({ ok: CALLS, failed: [] }));
    });
    // The lost refresh (killed mid-flight) + exactly one by a survivor; the other survivors reused it.
    expect(fake.refreshCount).toBe(2);
    expect(await waitingForLock()).toBe(0);

    // The stored tokens are valid: a fresh client calls the API without refreshing.
    const stored = await store.get(USER);
    expect(stored?.accessToken).not.toBe(seeded.accessToken);
    expect(stored?.refreshToken).toBe(seeded.refreshToken);
    expect(stored!.expiresAt).toBeGreaterThan(Date.now());
    const fresh = createZohoCRM({
      clientId: "1000.CRASHCLIENT",
      clientSecret: "crash-worker-secret-0000",
      user: USER,
      accountsUrl: fake.url,
      tokenStore: new TypeOrmTokenStore(storeOptions),
    });
    try {
      const { data, response } = await fresh.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
      expect(response.status).toBe(200);
      expect(data?.users?.[0]?.email).toBe(USER);
    } finally {
      await fresh.close();
    }
    expect(fake.refreshCount).toBe(2);
    expect(fake.crmRequests.filter((r) => r.token === seeded.accessToken)).toEqual([]); // nobody used the expired token
  });
});
