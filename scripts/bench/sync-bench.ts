/**
 * The sync benchmark (`npm run bench`, section 5): a 100 000-Lead emulator in its own process;
 * initial loads into fresh SQLite files by bulk read, by REST pages (syncModules) and by the
 * hand-written paginate + upsert loop, each in a fresh process (records/s, peak RSS growth, API
 * calls); then 1 000 edits and the next run of each: syncModules' incremental pull vs the loop's
 * full rescan (time, API calls). Loopback has no round-trip time, so the initial loads run again
 * on a smaller module with a modelled latency on every call.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchFile, runChild, startChild } from "./child.js";
import { mb, round } from "./stats.js";

export interface SyncRun {
  name: string;
  records: number;
  ms: number;
  recordsPerSec: number;
  apiCalls: number;
  peakRssGrowthMb: number;
}

export interface SyncBench {
  total: number;
  changes: number;
  initial: SyncRun[];
  afterChanges: SyncRun[];
  /** Initial loads again with a modelled round-trip time on every API call. */
  withLatency: { latencyMs: number; total: number; initial: SyncRun[] };
}

type WorkerResult = { records: number; ms: number; recordsPerSec: number; apiCalls: number; baselineRss: number; peakRss: number };

const startEmulator = (total: number, latencyMs: number) =>
  startChild<{ url: string; accessToken: string; leads: number }>(benchFile("sync-emulator.ts"), {
    args: ["--records", String(total), "--latency-ms", String(latencyMs)],
    timeoutMs: 300_000,
  });
type Emulator = Awaited<ReturnType<typeof startEmulator>>;

function runner(emulator: Emulator, dir: string, log: (line: string) => void) {
  return async (name: string, mode: string, db: string): Promise<SyncRun> => {
    const r = await runChild<WorkerResult>(benchFile("sync-worker.ts"), {
      args: ["--mode", mode, "--db", path.join(dir, db), "--url", emulator.info.url, "--token", emulator.info.accessToken],
    });
    const result = {
      name,
      records: r.records,
      ms: r.ms,
      recordsPerSec: r.recordsPerSec,
      apiCalls: r.apiCalls,
      peakRssGrowthMb: round(mb(r.peakRss - r.baselineRss), 1),
    };
    log(
      `  ${name}: ${result.records} records in ${result.ms} ms (${result.recordsPerSec}/s), ${result.apiCalls} API calls, peak RSS +${result.peakRssGrowthMb} MB`,
    );
    return result;
  };
}

async function initialLoads(run: ReturnType<typeof runner>, prefix: string): Promise<SyncRun[]> {
  return [
    await run("syncModules, bulk read", "bulk", `${prefix}bulk.sqlite`),
    await run("syncModules, REST pages", "rest", `${prefix}rest.sqlite`),
    await run("hand-written paginate + upsert", "loop", `${prefix}loop.sqlite`),
  ];
}

export async function measureSync(options: {
  total: number;
  changes: number;
  latencyMs: number;
  latencyTotal: number;
  log: (line: string) => void;
}): Promise<SyncBench> {
  const { total, changes, log } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), "zcrm-bench-sync-"));
  let emulator = await startEmulator(total, 0);
  try {
    log(`sync: ${emulator.info.leads} Leads in the emulator`);
    const run = runner(emulator, dir, log);
    const initial = await initialLoads(run, "");
    emulator.child.stdin!.write(`change ${changes}\n`);
    const changed = (await emulator.next()) as { changed: number };
    log(`sync: ${changed.changed} Leads edited`);
    const afterChanges = [
      await run("syncModules, incremental", "bulk", "bulk.sqlite"),
      await run("hand-written paginate + upsert (full rescan)", "loop", "loop.sqlite"),
    ];
    const zeroLatencyTotal = emulator.info.leads;
    await emulator.stop();
    emulator = await startEmulator(options.latencyTotal, options.latencyMs);
    log(`sync: ${emulator.info.leads} Leads in an emulator answering every call ${options.latencyMs} ms late`);
    const withLatency = { latencyMs: options.latencyMs, total: emulator.info.leads, initial: await initialLoads(runner(emulator, dir, log), "latency-") };
    return { total: zeroLatencyTotal, changes: changed.changed, initial, afterChanges, withLatency };
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark's tables, as text. */
export function syncTables(sync: SyncBench, table: (header: string[], rows: Array<Array<string | number>>) => string): string {
  const loads = (title: string, runs: SyncRun[]) => {
    const rest = runs.find((r) => r.name.includes("REST"))!;
    const loop = runs.find((r) => r.name.includes("hand-written"))!;
    return table(
      [title, "records/s", "÷ hand-written loop", "÷ REST pages", "API calls", "peak RSS growth"],
      runs.map((r) => [
        r.name,
        r.recordsPerSec,
        `${(r.recordsPerSec / loop.recordsPerSec).toFixed(2)}×`,
        `${(r.recordsPerSec / rest.recordsPerSec).toFixed(2)}×`,
        r.apiCalls,
        `${r.peakRssGrowthMb} MB`,
      ]),
    );
  };
  const first = loads(`Initial load, ${sync.total.toLocaleString("en")} Leads into SQLite, emulator on loopback`, sync.initial);
  const latency = loads(
    `Initial load, ${sync.withLatency.total.toLocaleString("en")} Leads, every call ${sync.withLatency.latencyMs} ms late`,
    sync.withLatency.initial,
  );
  const second = table(
    [`Next run after ${sync.changes.toLocaleString("en")} edits`, "ms", "records read", "API calls"],
    sync.afterChanges.map((r) => [r.name, r.ms, r.records, r.apiCalls]),
  );
  return `${first}\n\n${latency}\n\n${second}`;
}
