/**
 * The sync benchmark (`npm run bench`, section 5): a 100 000-Lead emulator in its own process;
 * initial loads into fresh SQLite files by bulk read, by REST pages (syncModules) and by the
 * hand-written paginate + upsert loop, each in a fresh process (records/s, peak RSS growth, API
 * calls); then 1 000 edits and the next run of each: syncModules' incremental pull vs the loop's
 * full rescan (time, API calls).
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
}

type WorkerResult = { records: number; ms: number; recordsPerSec: number; apiCalls: number; baselineRss: number; peakRss: number };

export async function measureSync(options: { total: number; changes: number; log: (line: string) => void }): Promise<SyncBench> {
  const { total, changes, log } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), "zcrm-bench-sync-"));
  const emulator = await startChild<{ url: string; accessToken: string; leads: number }>(benchFile("sync-emulator.ts"), {
    args: ["--records", String(total)],
    timeoutMs: 300_000,
  });
  const run = async (name: string, mode: string, db: string): Promise<SyncRun> => {
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
  try {
    log(`sync: ${emulator.info.leads} Leads in the emulator`);
    const initial = [
      await run("syncModules, bulk read", "bulk", "bulk.sqlite"),
      await run("syncModules, REST pages", "rest", "rest.sqlite"),
      await run("hand-written paginate + upsert", "loop", "loop.sqlite"),
    ];
    emulator.child.stdin!.write(`change ${changes}\n`);
    const changed = (await emulator.next()) as { changed: number };
    log(`sync: ${changed.changed} Leads edited`);
    const afterChanges = [
      await run("syncModules, incremental", "bulk", "bulk.sqlite"),
      await run("hand-written paginate + upsert (full rescan)", "loop", "loop.sqlite"),
    ];
    return { total: emulator.info.leads, changes: changed.changed, initial, afterChanges };
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark's two tables, as text. */
export function syncTables(sync: SyncBench, table: (header: string[], rows: Array<Array<string | number>>) => string): string {
  const rest = sync.initial.find((r) => r.name.includes("REST"))!;
  const loop = sync.initial.find((r) => r.name.includes("hand-written"))!;
  const first = table(
    [`Initial load, ${sync.total.toLocaleString("en")} Leads into SQLite`, "records/s", "÷ hand-written loop", "÷ REST pages", "API calls", "peak RSS growth"],
    sync.initial.map((r) => [
      r.name,
      r.recordsPerSec,
      `${(r.recordsPerSec / loop.recordsPerSec).toFixed(2)}×`,
      `${(r.recordsPerSec / rest.recordsPerSec).toFixed(2)}×`,
      r.apiCalls,
      `${r.peakRssGrowthMb} MB`,
    ]),
  );
  const second = table(
    [`Next run after ${sync.changes.toLocaleString("en")} edits`, "ms", "records read", "API calls"],
    sync.afterChanges.map((r) => [r.name, r.ms, r.records, r.apiCalls]),
  );
  return `${first}\n\n${second}`;
}
