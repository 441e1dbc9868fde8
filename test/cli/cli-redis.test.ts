/**
 * `zcrm --redis-url <url> --shared-concurrency <n>`: the CLI shares the org's concurrency cap
 * through Redis (the client option `sharedConcurrency`). Against the emulator and a real Redis:
 * concurrent syncs never put more than the cap in flight, the semaphore's Redis key is what holds
 * them back, the connection is closed when the command ends (also `sync --watch` on SIGTERM); a
 * Redis URL's password never shows, not even with --verbose; flags win over variables over the file.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { Semaphore } from "redis-semaphore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCliConfig } from "../../src/cli/config.js";
import { EXIT } from "../../src/cli/exit-codes.js";
import { describeDb, uniqueSuffix } from "../helpers/databases.js";
import { REDIS_URL, redisAvailable } from "../helpers/redis.js";
import { waitUntil } from "../helpers/wait.js";
import { REPO, startCliFixture, type CliFixture } from "./helpers.js";

const SECRET = "s3cret-pass";
const DEAD_URL = `redis://:${SECRET}@127.0.0.1:1/0`; // nothing listens on port 1

let fx: CliFixture;

beforeAll(async () => {
  fx = await startCliFixture();
  expect((await fx.login()).code).toBe(0);
});

afterAll(async () => {
  await fx?.close();
});

/** The Redis key redis-semaphore keeps a pool's permits in (a sorted set; see redis-limiter.ts). */
const semaphoreKey = (key: string) => `semaphore:${key}`;

describe("zcrm --redis-url: errors and configuration (no Redis needed)", () => {
  it("an unreachable Redis URL with a password: a typed network error (exit 4), nothing sent, the password nowhere", async () => {
    const before = fx.emulator.stats.apiCalls;
    const sync = ["sync", "--to", "sqlite:./never.sqlite", "--modules", "Leads", "--shared-concurrency", "2"];
    for (const extra of [[], ["--verbose"]]) {
      const r = await fx.run([...extra, ...sync, "--redis-url", DEAD_URL]);
      expect(r.code, r.stderr).toBe(EXIT.NETWORK);
      expect(r.stderr).toContain("Cannot reach Redis at redis://:***@127.0.0.1:1/0 (--redis-url / ZCRM_REDIS_URL)");
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      if (extra.length > 0) expect(r.stderr).toContain('"code":"REDIS_UNAVAILABLE"');
    }
    const fromEnv = await fx.run(["--verbose", ...sync], { env: { ZCRM_REDIS_URL: DEAD_URL } });
    expect(fromEnv.code, fromEnv.stderr).toBe(EXIT.NETWORK);
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain(SECRET);
    expect(fx.emulator.stats.apiCalls).toBe(before);
  });

  it("bad or incomplete settings are configuration errors (exit 2) that never quote the password", async () => {
    const cases: Array<[string[], string]> = [
      [["--redis-url", DEAD_URL], "--shared-concurrency / ZCRM_SHARED_CONCURRENCY: is required with --redis-url"],
      [["--shared-concurrency", "2"], "--redis-url / ZCRM_REDIS_URL: the shared concurrency cap lives in Redis"],
      [["--redis-url", DEAD_URL, "--shared-concurrency", "0"], "must be a whole number >= 1"],
      [["--redis-url", `http://:${SECRET}@127.0.0.1/`, "--shared-concurrency", "2"], 'unsupported scheme "http:" in "http://:***@127.0.0.1/"'],
      [["--redis-url", `redis://:${SECRET}@[bad`, "--shared-concurrency", "2"], "is not a URL"],
    ];
    for (const [flags, message] of cases) {
      const r = await fx.run(["--verbose", ...flags, "records", "list", "Leads"]);
      expect(r.code, r.stderr).toBe(EXIT.CONFIG);
      expect(r.stderr).toContain(message);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });

  it("precedence: flag > environment variable > config file", async () => {
    const file = path.join(fx.dir, "redis-config.json");
    await writeFile(file, JSON.stringify({ redisUrl: "redis://file-host:6379", sharedConcurrency: 7, sharedConcurrencyKey: "from-file" }));
    const env = { ZCRM_REDIS_URL: "redis://env-host:6379", ZCRM_SHARED_CONCURRENCY: "5", ZCRM_CONFIG: file };

    const fileOnly = await resolveCliConfig({}, { ZCRM_CONFIG: file }, fx.dir);
    expect(fileOnly.sharedConcurrency).toMatchObject({ redisUrl: "redis://file-host:6379", limit: 7, key: "from-file" });
    expect(fileOnly.sources).toMatchObject({ redisUrl: "file", sharedConcurrency: "file" });
    expect(fileOnly.options).not.toHaveProperty("sharedConcurrency"); // not passed to the client as a number

    const envOverFile = await resolveCliConfig({}, env, fx.dir);
    expect(envOverFile.sharedConcurrency).toMatchObject({ redisUrl: "redis://env-host:6379", limit: 5, key: "from-file" });
    expect(envOverFile.sources).toMatchObject({ redisUrl: "env", sharedConcurrency: "env", sharedConcurrencyKey: "file" });

    const flagOverEnv = await resolveCliConfig({ redisUrl: `redis://:${SECRET}@flag-host:6379`, sharedConcurrency: "3" }, env, fx.dir);
    expect(flagOverEnv.sharedConcurrency).toMatchObject({ redisUrl: `redis://:${SECRET}@flag-host:6379`, redacted: "redis://:***@flag-host:6379", limit: 3 });
    expect(flagOverEnv.sources).toMatchObject({ redisUrl: "flag", sharedConcurrency: "flag" });
    expect(flagOverEnv.secrets).toContain(SECRET); // registered with the redactor like the client secret

    // In the file the count is a JSON number.
    await writeFile(file, JSON.stringify({ redisUrl: "redis://file-host:6379", sharedConcurrency: "7" }));
    await expect(resolveCliConfig({}, { ZCRM_CONFIG: file }, fx.dir)).rejects.toMatchObject({ code: "INVALID_OPTIONS", keys: ["sharedConcurrency"] });
  });
});

const probe = await redisAvailable();
describeDb("zcrm --redis-url against a real Redis", probe, () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    fx.emulator.faults.latencyMs = 0;
    fx.emulator.faults.concurrencyLimit = undefined;
    await redis?.quit();
  });

  /** This file's CLI connections in CLIENT LIST (named by the CLI: zcrm-cli). */
  const cliConnections = async () =>
    String(await redis.client("LIST"))
      .split("\n")
      .filter((line) => / name=zcrm-cli /.test(line));

  it("three concurrent `zcrm sync --shared-concurrency 2`: never more than 2 requests in flight, the permits are Redis's, the connections closed", async () => {
    const key = `zcrm-test:cli:${uniqueSuffix()}`;
    fx.emulator.resetStats();
    fx.emulator.faults.latencyMs = 40; // overlap the runs' requests, so the cap is actually contended
    fx.emulator.faults.concurrencyLimit = 2; // like Zoho: a 3rd request in flight would get a 429
    let peakPermits = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        peakPermits = Math.max(peakPermits, await redis.zcard(semaphoreKey(key)));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    try {
      const runs = await Promise.all(
        [1, 2, 3].map((n) =>
          fx.run(
            [
              "sync",
              "--to",
              `sqlite:./capped-${n}.sqlite`,
              "--modules",
              "Leads",
              "--initial-load",
              "rest",
              "--redis-url",
              REDIS_URL,
              "--shared-concurrency",
              "2",
              "--shared-concurrency-key",
              key,
            ],
            { timeoutMs: 120_000 },
          ),
        ),
      );
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
    } finally {
      polling = false;
      await poll;
      fx.emulator.faults.latencyMs = 0;
      fx.emulator.faults.concurrencyLimit = undefined;
    }
    const stats = fx.emulator.stats;
    expect(stats.apiCalls).toBeGreaterThanOrEqual(6);
    expect(stats.maxConcurrent).toBeLessThanOrEqual(2);
    expect(stats.concurrencyRejections).toBe(0);
    expect(peakPermits).toBeGreaterThanOrEqual(1); // the CLI's calls took permits in the semaphore's sorted set
    expect(peakPermits).toBeLessThanOrEqual(2);
    expect(await redis.zcard(semaphoreKey(key))).toBe(0); // every permit given back before the connection closed
    expect(await cliConnections()).toEqual([]);
  });

  it("permits held by another process hold the CLI back until one is released", async () => {
    const key = `zcrm-test:cli:${uniqueSuffix()}`;
    const holders = [1, 2].map(() => new Semaphore(redis, key, 2, { lockTimeout: 60_000 }));
    for (const h of holders) await h.acquire();
    const before = fx.emulator.stats.apiCalls;
    const run = fx.run(["--redis-url", REDIS_URL, "--shared-concurrency", "2", "--shared-concurrency-key", key, "records", "list", "Leads"]);
    try {
      // The CLI is connected and polling the semaphore's script (EVAL/EVALSHA) for a permit...
      let waiting: string[] = [];
      for (const deadline = Date.now() + 30_000; waiting.length === 0 && Date.now() < deadline; ) {
        waiting = (await cliConnections()).filter((line) => / cmd=eval/.test(line));
        if (waiting.length === 0) await new Promise((r) => setTimeout(r, 5));
      }
      expect(waiting).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(fx.emulator.stats.apiCalls).toBe(before); // ...and has sent nothing to Zoho
    } finally {
      await holders[0]!.release();
    }
    const r = await run;
    await holders[1]!.release();
    expect(r.code, r.stderr).toBe(0);
    expect(fx.emulator.stats.apiCalls).toBe(before + 1);
  });

  it("the flag wins over ZCRM_REDIS_URL (an unreachable one in the environment is not used)", async () => {
    const r = await fx.run(["--redis-url", REDIS_URL, "--shared-concurrency", "2", "records", "list", "Leads"], { env: { ZCRM_REDIS_URL: DEAD_URL } });
    expect(r.code, r.stderr).toBe(0);
    const envOnly = await fx.run(["records", "list", "Leads"], { env: { ZCRM_REDIS_URL: DEAD_URL, ZCRM_SHARED_CONCURRENCY: "2" } });
    expect(envOnly.code).toBe(EXIT.NETWORK);
  });

  it("zcrm sync --watch with --redis-url: SIGTERM stops it, closes the Redis connection, exits 0", async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("ZCRM_") && k !== "NODE_OPTIONS" && !k.startsWith("VITEST")) env[k] = v;
    const key = `zcrm-test:cli:${uniqueSuffix()}`;
    const args = [
      ...fx.args,
      "--redis-url",
      REDIS_URL,
      "--shared-concurrency",
      "2",
      "--shared-concurrency-key",
      key,
      "sync",
      "--to",
      `sqlite:${path.join(fx.dir, "watched-redis.sqlite")}`,
      "--modules",
      "Leads",
      "--watch",
      "--listen",
      "127.0.0.1:0",
      "--initial-load",
      "rest",
    ];
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), ...args], {
      cwd: REPO,
      env: { ...env, ...fx.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await waitUntil(() => stdout.includes('"Watching Leads'), { what: "the watcher", timeoutMs: 60_000 });
      expect(await cliConnections()).toHaveLength(1);
      child.kill("SIGTERM");
      // An open ioredis socket would keep the process alive: exiting at all shows it was closed.
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("still running"), 30_000))]);
      expect(code, stderr).toBe(0);
      expect(await cliConnections()).toEqual([]);
      expect(await redis.zcard(semaphoreKey(key))).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 90_000);
});
