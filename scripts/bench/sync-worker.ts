/**
 * One sync in a fresh process (its RSS is the sync's alone), into the SQLite file `--db`:
 * `--mode bulk|rest` runs syncModules (bulk read or REST initial load; on a mirror that exists, an
 * incremental run), `--mode loop` the loop people write by hand — crm.paginate over every page,
 * each page upserted in a transaction. Counts its own API calls; prints {"records", "ms",
 * "recordsPerSec", "apiCalls", "baselineRss", "peakRss"}.
 */
import { DataSource } from "typeorm";
import { createZohoCRM } from "../../src/client.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { syncModules } from "../../src/sync/index.js";

const args = process.argv.slice(2);
const arg = (name: string) => args[args.indexOf(`--${name}`) + 1]!;
const mode = arg("mode");
let apiCalls = 0;
const crm = createZohoCRM({
  accessToken: arg("token"),
  apiBaseUrl: arg("url"),
  tokenStore: new MemoryTokenStore(),
  fetch: (input, init) => {
    apiCalls += 1;
    return fetch(input, init);
  },
});
const dataSource = new DataSource({ type: "better-sqlite3", database: arg("db") });
await dataSource.initialize();

let peak = 0;
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
};

/** The hand-written mirror: every page, upserted by id, no checkpoint (so every run is a full scan). */
async function handLoop(): Promise<number> {
  await dataSource.query(
    "CREATE TABLE IF NOT EXISTS hand_leads (id TEXT PRIMARY KEY, Last_Name TEXT, Email TEXT, Company TEXT, Modified_Time TEXT, record_json TEXT)",
  );
  let n = 0;
  for await (const page of crm.paginate.pages("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) {
    const rows = page.items.map((r) => {
      const record = r as Record<string, unknown>;
      return {
        id: String(record.id),
        Last_Name: record.Last_Name ?? null,
        Email: record.Email ?? null,
        Company: record.Company ?? null,
        Modified_Time: record.Modified_Time ?? null,
        record_json: JSON.stringify(record),
      };
    });
    await dataSource.transaction((manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into("hand_leads")
        .values(rows)
        .orUpdate(["Last_Name", "Email", "Company", "Modified_Time", "record_json"], ["id"])
        .execute(),
    );
    n += rows.length;
    sample();
  }
  return n;
}

sample();
const baseline = process.memoryUsage.rss();
peak = baseline;
const timer = setInterval(sample, 10);
const started = performance.now();
let records: number;
if (mode === "loop") records = await handLoop();
else {
  const summary = await syncModules({
    crm,
    dataSource,
    modules: ["Leads"],
    initialLoad: mode === "rest" ? "rest" : "bulk",
    bulkPoll: { minMs: 200, maxMs: 1000 },
  });
  records = summary.inserted + summary.updated + summary.unchanged;
}
const ms = performance.now() - started;
clearInterval(timer);
sample();
process.stdout.write(
  `${JSON.stringify({ records, ms: Math.round(ms), recordsPerSec: Math.round((records / ms) * 1000), apiCalls, baselineRss: baseline, peakRss: peak })}\n`,
);
await dataSource.destroy();
await crm.close();
