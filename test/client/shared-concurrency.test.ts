/**
 * Several OS processes share one org's concurrency cap through Redis: the server never sees more
 * requests in flight than the cap, all together.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDb, uniqueSuffix } from "../helpers/databases.js";
import { REDIS_URL, redisAvailable } from "../helpers/redis.js";
import { startFakeZoho, type FakeZoho } from "../helpers/fake-zoho.js";

const probe = await redisAvailable();
const worker = fileURLToPath(new URL("./fixtures/shared-limit-worker.ts", import.meta.url));

function runWorker(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", worker], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describeDb("shared concurrency cap across processes (Redis)", probe, () => {
  let fake: FakeZoho;
  let inFlight = 0;
  let peak = 0;
  let served = 0;

  beforeAll(async () => {
    fake = await startFakeZoho();
    fake.handler = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight -= 1;
      served += 1;
      return { body: { data: [{ id: "1" }], info: { per_page: 200, count: 1, page: 1, more_records: false } } };
    };
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("3 processes × 30 concurrent calls never exceed a shared cap of 4", async () => {
    const env = { API_URL: fake.url, REDIS_URL, KEY: `zcrm-test:${uniqueSuffix()}`, LIMIT: "4", CALLS: "30" };
    const results = await Promise.all([runWorker(env), runWorker(env), runWorker(env)]);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toEqual({ ok: 30 });
    }
    expect(served).toBe(90);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThanOrEqual(2); // the cap was actually exercised
  });
});
