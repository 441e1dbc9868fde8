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
  | { type: "module-failed"; module: string; message: string }
  | WatchEvent;

/** What `watchModules` reports besides the runs' own events (the channel token is never in them). */
export type WatchEvent =
  /** The receiver listens; Zoho is told to POST to `notifyUrl`. */
  | { type: "watch-listening"; url: string; notifyUrl: string }
  /** The notification channel was enabled, renewed, enabled again (after a failed renewal) or disabled. */
  | { type: "watch-channel"; action: "enabled" | "renewed" | "re-enabled" | "disabled"; channelId: string; expiresAt?: string | undefined }
  /** A verified notification came in for a watched module. */
  | { type: "watch-notified"; module: string; operation: string; ids: number }
  /** A run starts: the first full one, after notifications, or the polling fallback. */
  | { type: "watch-run"; reason: WatchRunReason; modules: string[] }
  | { type: "watch-run-done"; reason: WatchRunReason; summary: SyncSummary }
  /** Something in the background failed; watching goes on (the next notification or poll retries). */
  | { type: "watch-error"; message: string; module?: string | undefined };

export type WatchRunReason = "initial" | "notification" | "poll";

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
