/**
 * What a sync reports while it runs (`onProgress`), and its summary. The CLI draws a progress bar
 * from these on a terminal, and prints them as JSON lines otherwise.
 */

export type SyncMode = "bulk" | "rest" | "incremental";

export type SyncEvent =
  /** A module's run starts: how (bulk initial load, REST initial load, incremental) and why. */
  | { type: "module-start"; module: string; mode: SyncMode; reason?: string }
  /** Another worker holds the module's lease: it syncs the module, this one skips it. */
  | { type: "module-skipped"; module: string; reason: string }
  /** A new field in Zoho added columns. */
  | { type: "columns-added"; module: string; columns: string[] }
  /** Records committed so far in this module's run. */
  | { type: "progress"; module: string; mode: SyncMode; records: number; total?: number | undefined }
  | { type: "module-done"; summary: ModuleSummary }
  /** A module's run failed; the others go on, and the run rejects at the end. */
  | { type: "module-failed"; module: string; message: string };

export interface ModuleSummary {
  module: string;
  mode: SyncMode | "skipped";
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  columnsAdded: string[];
  ms: number;
}

export interface SyncSummary {
  modules: ModuleSummary[];
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  ms: number;
}

export function summarize(modules: ModuleSummary[], ms: number): SyncSummary {
  const sum = (key: "inserted" | "updated" | "deleted" | "unchanged") => modules.reduce((n, m) => n + m[key], 0);
  return { modules, inserted: sum("inserted"), updated: sum("updated"), deleted: sum("deleted"), unchanged: sum("unchanged"), ms };
}
