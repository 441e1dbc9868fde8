/**
 * One full scan in a fresh process (so its RSS is the client's alone): every page of `--url`
 * (a server that generates pages on the fly) through `crm.paginate` (`--mode zcrm-typed`) or a raw
 * fetch loop (`--mode fetch`). Samples RSS every 5 ms and after every page; prints
 * {"records", "ms", "recordsPerSec", "baselineRss", "peakRss", "retainedHeap"} (heap still used
 * after a GC at the end, minus the same after the warm-up: what the scan kept).
 */
import { createZohoCRM } from "../../src/client.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1]!;
};
const url = arg("url", "");
const mode = arg("mode", "zcrm-typed");
const authorization = "Zoho-oauthtoken 1000.bench.token";
const crm = createZohoCRM({ accessToken: "1000.bench.token", apiBaseUrl: url, tokenStore: new MemoryTokenStore() });

async function scanZcrm(maxRecords?: number): Promise<number> {
  let n = 0;
  for await (const record of crm.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } }, maxRecords === undefined ? {} : { maxRecords })) {
    if (record.id) n += 1;
    if (n % 200 === 0) sample();
  }
  return n;
}

async function scanFetch(maxRecords = Number.POSITIVE_INFINITY): Promise<number> {
  let n = 0;
  for (let page = 1; n < maxRecords; page++) {
    const response = await fetch(`${url}/crm/v2/Leads?page=${page}&per_page=200`, { headers: { authorization } });
    if (response.status === 204) break;
    const body = (await response.json()) as { data: Array<{ id?: string }>; info: { more_records: boolean } };
    for (const record of body.data) if (record.id) n += 1;
    sample();
    if (!body.info.more_records) break;
  }
  return n;
}

let peak = 0;
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
};
const scan = mode === "fetch" ? scanFetch : scanZcrm;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
await scan(2000); // warm-up: connections, JIT, first pages
gc();
const baseline = process.memoryUsage.rss();
const baselineHeap = process.memoryUsage().heapUsed;
peak = baseline;
const timer = setInterval(sample, 5);
const started = performance.now();
const records = await scan();
const ms = performance.now() - started;
clearInterval(timer);
sample();
gc();
const retainedHeap = process.memoryUsage().heapUsed - baselineHeap;
await crm.close();
process.stdout.write(
  JSON.stringify({ mode, records, ms: Math.round(ms), recordsPerSec: Math.round((records * 1000) / ms), baselineRss: baseline, peakRss: peak, retainedHeap }) +
    "\n",
);
