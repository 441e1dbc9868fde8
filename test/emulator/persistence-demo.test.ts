/**
 * State that survives a restart with `persistPath` (SQLite), and `npm run demo` run as a
 * subprocess (exit code 0, a summary line, no secrets printed).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_CLIENT_SECRET, startEmulator } from "../../src/emulator/index.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { client, leads } from "./helpers.js";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "zcrm-emulator-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("persistPath", () => {
  it("records, deletions, users and tokens survive a restart", async () => {
    const file = path.join(dir, "emulator.sqlite");
    const store = new MemoryTokenStore();
    const first = await startEmulator({ port: 0, persistPath: file });
    const crm1 = client(first, store);
    await crm1.auth.exchangeGrantToken(first.mintGrantCode());
    const created = await crm1.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: leads(3, "persist") } });
    const ids = created.data!.data.map((i) => String(i.details.id));
    await crm1.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[2]! } } });
    const count = first.state.count("Leads");
    await crm1.close();
    await first.close();

    const second = await startEmulator({ port: 0, persistPath: file });
    expect(second.state.count("Leads")).toBe(count);
    expect(second.state.record("Leads", ids[0]!)).toMatchObject({ Last_Name: "persist-1" });
    expect(second.state.deleted("Leads").map((d) => d.id)).toEqual([ids[2]]);
    // The tokens issued before the restart still work (the api_domain changed with the port).
    const crm2 = client(second, store, { apiBaseUrl: second.url });
    const { data, response } = await crm2.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[1]! } } });
    expect(response.status).toBe(200);
    expect(data!.data[0]!.Last_Name).toBe("persist-2");
    const more = await crm2.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { data: leads(1, "after") } });
    expect(ids).not.toContain(String(more.data!.data[0]!.details.id)); // ids keep counting after a restart
    await expect(crm2.auth.refresh()).resolves.toMatchObject({ expired: false });
    expect(second.stats.responseValidationFailures).toEqual([]);
    await crm2.close();
    await second.close();
  });
});

describe("npm run demo", () => {
  it("exits 0 with a summary, printing no secret", async () => {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      timeout: 170_000,
    });
    expect(stdout).toMatch(/Demo OK: \d+ steps in [\d.]+ s/);
    expect(stdout).toContain("250 leads inserted in 3 calls");
    expect(stdout).toContain("expired access token refreshed 1x transparently");
    expect(stdout).not.toContain(EMULATOR_CLIENT_SECRET);
    expect(stdout + stderr).not.toMatch(/1000\.[0-9a-f]{32}\.[0-9a-f]{32}/);
  }, 180_000);
});
