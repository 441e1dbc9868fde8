/**
 * What `zcrm sync` shows while it runs. On a terminal: one line per module (mode, records,
 * records/s, state) redrawn in place on stderr, notable watch events as lines above it, and a
 * summary table on stdout. Otherwise (or with --json): every event as a JSON line on stdout, and
 * the summary as the last line (`{"type":"summary",...}`).
 */
import type { SyncEvent, SyncSummary } from "../sync/progress.js";

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

interface ModuleLine {
  module: string;
  mode: string;
  records: number;
  total: number | undefined;
  started: number;
  ended: number | undefined;
  state: "running" | "done" | "failed" | "skipped";
}

export interface SyncOutput {
  event(event: SyncEvent): void;
  summary(summary: SyncSummary, extra?: Record<string, unknown>): void;
  /** A line for the reader (stderr on a terminal; a `{"type":"note"}` JSON line otherwise). */
  note(text: string): void;
}

const CLEAR_LINE = "\x1b[2K";
const up = (n: number) => (n > 0 ? `\x1b[${n}A` : "");

export function jsonSyncOutput(stdout: Stream): SyncOutput {
  const line = (value: Record<string, unknown>) => stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...value })}\n`);
  return {
    event: (event) => line(event),
    summary: (summary, extra = {}) => line({ type: "summary", ...extra, ...summary }),
    note: (text) => line({ type: "note", message: text }),
  };
}

function rate(line: ModuleLine, now: number): string {
  const seconds = Math.max(0.001, ((line.ended ?? now) - line.started) / 1000);
  return `${Math.round(line.records / seconds).toLocaleString("en-US")}/s`;
}

function render(line: ModuleLine, now: number): string {
  const count = line.total ? `${line.records.toLocaleString("en-US")}/${line.total.toLocaleString("en-US")}` : line.records.toLocaleString("en-US");
  return `${line.module.padEnd(16)} ${line.mode.padEnd(11)} ${count.padStart(12)} records ${rate(line, now).padStart(10)}  ${line.state}`;
}

/** The terminal display: progress on `stderr` (redrawn at most every `intervalMs`), summary on `stdout`. */
export function ttySyncOutput(stdout: Stream, stderr: Stream, options: { intervalMs?: number } = {}): SyncOutput {
  const intervalMs = options.intervalMs ?? 100;
  const lines = new Map<string, ModuleLine>();
  let drawn = 0;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!stderr.isTTY || (!force && now - lastDraw < intervalMs)) return;
    lastDraw = now;
    let text = up(drawn);
    for (const line of lines.values()) text += `${CLEAR_LINE}${render(line, now)}\n`;
    drawn = lines.size;
    stderr.write(text);
  };
  const above = (text: string) => {
    if (!stderr.isTTY) return;
    // Printed over the block's first line; the block is drawn again right below it.
    stderr.write(`${up(drawn)}${CLEAR_LINE}${text}\n`);
    drawn = 0;
    draw(true);
  };
  const line = (module: string) => {
    let l = lines.get(module);
    if (!l) {
      l = { module, mode: "", records: 0, total: undefined, started: Date.now(), ended: undefined, state: "running" };
      lines.set(module, l);
    }
    return l;
  };
  return {
    event(event) {
      switch (event.type) {
        case "module-start":
          Object.assign(line(event.module), { mode: event.mode, records: 0, total: undefined, started: Date.now(), ended: undefined, state: "running" });
          if (event.reason) above(`${event.module}: ${event.reason}`);
          return draw(true);
        case "progress":
          Object.assign(line(event.module), { records: event.records, total: event.total });
          return draw(false);
        case "module-done": {
          const l = line(event.summary.module);
          const m = event.summary;
          Object.assign(l, { state: "done", ended: Date.now(), records: Math.max(l.records, m.inserted + m.updated + m.unchanged + m.deleted) });
          return draw(true);
        }
        case "module-skipped":
          Object.assign(line(event.module), { mode: "-", state: "skipped" });
          return draw(true);
        case "module-failed":
          Object.assign(line(event.module), { state: "failed", ended: Date.now() });
          return draw(true);
        case "watch-run":
          // Each run gets a block of its own below the last one.
          lines.clear();
          drawn = 0;
          return;
        case "watch-run-done": {
          const s = event.summary;
          if (event.reason !== "initial") above(`${event.reason} run: ${s.inserted} inserted, ${s.updated} updated, ${s.deleted} deleted (${s.ms} ms)`);
          return;
        }
        case "watch-listening":
          return above(`Listening on ${event.url}; Zoho notifies ${event.notifyUrl}`);
        case "watch-channel":
          return above(`Notification channel ${event.channelId} ${event.action}${event.expiresAt ? ` (until ${event.expiresAt})` : ""}`);
        case "watch-notified":
          return above(`Notified: ${event.module} ${event.operation} (${event.ids} records)`);
        case "watch-error":
          return above(`Watch error${event.module ? ` (${event.module})` : ""}: ${event.message}`);
        default:
          return;
      }
    },
    summary(summary) {
      draw(true);
      const rows = [
        ["module", "mode", "inserted", "updated", "deleted", "unchanged", "duration"],
        ...summary.modules.map((m) => [m.module, m.mode, m.inserted, m.updated, m.deleted, m.unchanged, seconds(m.ms)]),
        ["total", "", summary.inserted, summary.updated, summary.deleted, summary.unchanged, seconds(summary.ms)],
      ].map((r) => r.map(String));
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      const text = rows.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")).join("\n");
      stdout.write(`${text}\n`);
    },
    note: (text) => above(text),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
