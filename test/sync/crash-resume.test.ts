/**
 * Crashes: a sync worker process SIGKILLed at random points (mid bulk file, mid page, mid
 * transaction) N times while Zoho keeps changing — creations in one second, edits, deletions —
 * then run to the end: the mirror equals the emulator exactly. The seed is in the test's name.
 */
import { join } from "node:path";
import { afterEach, describe, expect } from "vitest";
import { DEFAULT_USER_EMAIL } from "../../src/emulator/index.js";
import { SeededRandom } from "../../src/emulator/random.js";
import { TypeOrmTokenStore, type TypeOrmTokenStoreOptions } from "../../src/typeorm.js";
import { describeDb, mariadbAvailable } from "../helpers/databases.js";
import { itFull } from "../helpers/quick.js";
import { dataSourceOptions, startSyncHarness, type DbKind, type SyncHarness } from "./helpers.js";
import { startWorker } from "./worker-process.js";

const KILLS = 6;
const MODULES = ["Leads", "Contacts"];

let s: SyncHarness | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function changeZoho(s: SyncHarness, random: SeededRandom, round: number): Promise<void> {
  const crm = s.h.crm;
  for (const module of MODULES) {
    const last = module === "Leads" ? "Last_Name" : "Last_Name";
    await crm.POST("/crm/v2/{module}", {
      params: { path: { module } },
      body: { data: Array.from({ length: 60 }, (_, j) => ({ [last]: `Round${round}-${j}`, ...(module === "Leads" ? { Company: "Crash Co" } : {}) })) },
    });
    const live = s.h.emulator.state.records(module);
    for (let i = 0; i < 4; i++) {
      const record = live[random.int(0, live.length - 1)]!;
      await crm.PUT("/crm/v2/{module}/{id}", { params: { path: { module, id: String(record.id) } }, body: { data: [{ [last]: `Edited${round}-${i}` }] } });
    }
    for (let i = 0; i < 2; i++) {
      const pool = s.h.emulator.state.records(module);
      const record = pool[random.int(0, pool.length - 1)]!;
      await crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module, id: String(record.id) } } });
    }
  }
  // Sometimes the next changes share this second, sometimes not.
  if (random.int(0, 1) === 1) s.h.emulator.state.advanceClock(1000);
}

function crashSuite(kind: DbKind): void {
  const seed = Number(process.env.ZCRM_TEST_SEED ?? Date.now() % 100_000);
  itFull(
    `SIGKILLed at ${KILLS} random points, then completed: the mirror equals Zoho (seed ${seed})`,
    async () => {
      s = await startSyncHarness(kind);
      const random = new SeededRandom(String(seed));
      for (let i = 0; i < 8; i++) await changeZoho(s, random, 100 + i); // enough rows for many commits
      const storeOptions = { type: "better-sqlite3", database: join(s.dir, "tokens.sqlite"), synchronize: true } as unknown as TypeOrmTokenStoreOptions;
      const store = new TypeOrmTokenStore(storeOptions);
      await store.save((await s.h.store.get(DEFAULT_USER_EMAIL))!);
      await store.close();
      const env = {
        STORE_OPTIONS: JSON.stringify(storeOptions),
        CLIENT_ID: s.h.emulator.clientId,
        CLIENT_SECRET: s.h.emulator.clientSecret,
        ZOHO_USER: DEFAULT_USER_EMAIL,
        ACCOUNTS_URL: s.h.emulator.url,
        DB_OPTIONS: JSON.stringify(dataSourceOptions(kind, s.dir)),
        PREFIX: s.prefix,
        MODULES: MODULES.join(","),
        BATCH_SIZE: "40",
        WORKER_ID: "crash-worker", // a restarted worker takes its own lease back at once
        TEMP_DIR: s.dir,
      };
      let killed = 0;
      for (let round = 0; round < KILLS; round++) {
        const worker = startWorker(env);
        await worker.eventCount(random.int(1, 12));
        const killedNow = worker.child.kill("SIGKILL");
        const end = await worker.done;
        if (end.signal === "SIGKILL" && killedNow) killed += 1;
        else expect(end.code, `${end.err}\n${JSON.stringify(worker.events.slice(-3))}`).toBe(0);
        await changeZoho(s, random, round);
      }
      expect(killed, "most runs were killed before they finished").toBeGreaterThanOrEqual(KILLS / 2);
      const last = startWorker(env);
      const end = await last.done;
      expect(end.code, `${end.err}\n${JSON.stringify(last.events.at(-1))}`).toBe(0);
      for (const module of MODULES) await s.expectExact(module);
    },
    240_000,
  );
}

describe("crash and resume on SQLite", () => crashSuite("sqlite"));
describeDb("crash and resume on MariaDB", await mariadbAvailable(), () => crashSuite("mariadb"));
