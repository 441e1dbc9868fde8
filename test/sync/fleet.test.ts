/**
 * Many workers: two processes sync the same modules into one MariaDB at once, sharing one token
 * store whose access token has expired. Each module is loaded by exactly one of them, the mirror
 * is exact, and Zoho sees one refresh. Leases: a live one makes a worker skip the module, a dead
 * worker's lapsed one is taken over.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_USER_EMAIL } from "../../src/emulator/index.js";
import { TypeOrmTokenStore, type TypeOrmTokenStoreOptions } from "../../src/typeorm.js";
import { describeDb, MARIADB, mariadbAvailable, uniqueSuffix } from "../helpers/databases.js";
import { itFull } from "../helpers/quick.js";
import { dataSourceOptions, startSyncHarness, type SyncHarness } from "./helpers.js";
import { startWorker } from "./worker-process.js";

const MODULES = ["Leads", "Contacts", "Accounts", "Deals"];

let s: SyncHarness | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describeDb("two sync workers on one MariaDB", await mariadbAvailable(), () => {
  itFull(
    "each module is loaded by one worker, the mirror is exact, and the expired token is refreshed once",
    async () => {
      s = await startSyncHarness("mariadb");
      const storeOptions = {
        type: "mariadb",
        host: MARIADB.host,
        port: MARIADB.port,
        username: MARIADB.username,
        password: MARIADB.password,
        database: MARIADB.database,
        table: `oauthtokens_sync_${uniqueSuffix()}`,
        columns: { apiDomain: "apidomain" },
        synchronize: true,
      } as unknown as TypeOrmTokenStoreOptions;
      const store = new TypeOrmTokenStore(storeOptions);
      const tokens = (await s.h.store.get(DEFAULT_USER_EMAIL))!;
      await store.save({ ...tokens, expiresAt: Date.now() - 60_000, apiDomain: s.h.emulator.url });
      await store.close();
      const refreshesBefore = s.h.emulator.stats.refreshes;
      const env = (id: string) => ({
        STORE_OPTIONS: JSON.stringify(storeOptions),
        CLIENT_ID: s!.h.emulator.clientId,
        CLIENT_SECRET: s!.h.emulator.clientSecret,
        ZOHO_USER: DEFAULT_USER_EMAIL,
        ACCOUNTS_URL: s!.h.emulator.url,
        DB_OPTIONS: JSON.stringify(dataSourceOptions("mariadb", s!.dir)),
        PREFIX: s!.prefix,
        MODULES: MODULES.join(","),
        BATCH_SIZE: "25",
        WORKER_ID: id,
        TEMP_DIR: s!.dir,
        WAIT_GO: "1",
      });
      const workers = [startWorker(env("worker-a")), startWorker(env("worker-b"))];
      await Promise.all(workers.map((w) => w.eventCount(0)));
      for (const w of workers) w.child.stdin!.end("go\n");
      const ends = await Promise.all(workers.map((w) => w.done));
      for (const [i, end] of ends.entries()) expect(end.code, `${end.err}\n${JSON.stringify(workers[i]!.events.slice(-3))}`).toBe(0);

      const done = workers.flatMap((w) =>
        w.events.filter((e) => e.type === "module-done").map((e) => e.summary as { module: string; mode: string; inserted: number }),
      );
      for (const module of MODULES) {
        const loads = done.filter((d) => d.module === module && d.mode === "bulk");
        expect(loads, `${module} loaded once`).toHaveLength(1);
        expect(done.filter((d) => d.module === module).reduce((n, d) => n + d.inserted, 0)).toBe(s.h.emulator.state.records(module).length);
        await s.expectExact(module);
      }
      expect(s.h.emulator.stats.refreshes - refreshesBefore).toBe(1);
    },
    180_000,
  );
});

describe("leases", () => {
  it("a live lease of another worker makes this one skip the module; a lapsed one is taken over", async () => {
    s = await startSyncHarness("sqlite");
    const first = await s.sync(["Leads"], { workerId: "a" });
    expect(first.modules[0]!.mode).toBe("bulk");
    const state = `${s.prefix}sync_state`;
    await s.ds.query(`UPDATE "${state}" SET lease_owner = 'b', lease_until = ? WHERE module = 'Leads'`, [Date.now() + 3_600_000]);
    const skipped = await s.sync(["Leads"], { workerId: "a" });
    expect(skipped.modules[0]).toMatchObject({ module: "Leads", mode: "skipped" });

    await s.ds.query(`UPDATE "${state}" SET lease_owner = 'b', lease_until = ? WHERE module = 'Leads'`, [Date.now() - 1]);
    const taken = await s.sync(["Leads"], { workerId: "a" });
    expect(taken.modules[0]!.mode).toBe("incremental");
    const [row] = (await s.ds.query(`SELECT lease_owner FROM "${state}" WHERE module = 'Leads'`)) as Array<{ lease_owner: string | null }>;
    expect(row!.lease_owner).toBeNull(); // released at the end of the run
  });

  it("a worker that loses its lease mid-run stops with SYNC_LEASE_LOST and commits nothing after", async () => {
    s = await startSyncHarness("sqlite");
    const run = s.sync(["Leads"], {
      workerId: "a",
      batchSize: 5,
      onProgress: (event) => {
        // Another worker takes over after the first committed batch.
        if (event.type === "progress" && event.records === 5) {
          s!.ds.query(`UPDATE "${s!.prefix}sync_state" SET lease_owner = 'b', lease_until = ? WHERE module = 'Leads'`, [Date.now() + 3_600_000]);
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: "SYNC_LEASE_LOST", module: "Leads" });
    const rows = await s.mirror("Leads");
    expect(rows.size).toBeLessThanOrEqual(10);
  });
});
