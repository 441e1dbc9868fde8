/**
 * The emulator's clock: emulator time is a base plus an offset that tests advance (token expiry,
 * job progress, refresh windows) without waiting. In "real" mode the base is wall time, so jobs
 * finish on their own (the CLI, the demo); in "manual" mode the base is frozen at start, so emulator
 * time moves only when advanced and nothing a test checks depends on how fast the machine is.
 * Timers (`at`) are due on emulator time: `advance()` runs every timer it passes; in "real" mode a
 * wall-clock timer also runs them when their time comes.
 */
export type ClockMode = "real" | "manual";

interface ClockTimer {
  dueMs: number;
  fn: () => void;
  wall: NodeJS.Timeout | undefined;
}

export class Clock {
  readonly mode: ClockMode;
  readonly #frozenAt: number;
  #offsetMs = 0;
  readonly #timers = new Set<ClockTimer>();

  constructor(options: { mode?: ClockMode } = {}) {
    this.mode = options.mode ?? "real";
    this.#frozenAt = Date.now();
  }

  now(): number {
    return (this.mode === "manual" ? this.#frozenAt : Date.now()) + this.#offsetMs;
  }

  /** How far emulator time is ahead of its base (persisted, so a restart keeps the emulator clock). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** What a restart needs to carry the clock on (see `restore`). */
  snapshot(): { offsetMs: number; nowMs: number } {
    return { offsetMs: this.#offsetMs, nowMs: this.now() };
  }

  /**
   * Carries a saved clock on: a manual clock resumes exactly where it stood; a real clock keeps its
   * offset ahead of wall time (so it never runs backward). Older snapshots hold just the offset.
   */
  restore(saved: unknown): void {
    const { offsetMs, nowMs } = typeof saved === "number" ? { offsetMs: saved, nowMs: undefined } : ((saved ?? {}) as { offsetMs?: number; nowMs?: number });
    if (this.mode === "manual" && typeof nowMs === "number" && Number.isFinite(nowMs)) this.#offsetMs = nowMs - this.#frozenAt;
    else if (typeof offsetMs === "number" && Number.isFinite(offsetMs)) this.#offsetMs = Math.max(this.#offsetMs, offsetMs);
  }

  /** Moves emulator time forward (never backward) and runs the timers that came due. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("clock.advance(ms) needs a finite ms >= 0");
    this.#offsetMs += ms;
    this.#runDue();
  }

  /** Runs `fn` once emulator time reaches `dueMs` (soon, when it already has). */
  at(dueMs: number, fn: () => void): void {
    const timer: ClockTimer = { dueMs, fn, wall: undefined };
    this.#timers.add(timer);
    const delay = Math.max(0, dueMs - this.now());
    // Even a manual clock runs an already-due timer on its own: "at once" must not wait for a test.
    if (this.mode === "real" || delay === 0) {
      timer.wall = setTimeout(() => this.#runDue(), delay);
      timer.wall.unref();
    }
  }

  /** Drops every pending timer (the emulator closed). */
  clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer.wall);
    this.#timers.clear();
  }

  #runDue(): void {
    const now = this.now();
    const due = [...this.#timers].filter((t) => t.dueMs <= now).sort((a, b) => a.dueMs - b.dueMs);
    for (const timer of due) {
      this.#timers.delete(timer);
      clearTimeout(timer.wall);
      timer.fn();
    }
  }
}

/** `2024-01-15T10:30:00+00:00`: ISO 8601 with an offset and second precision, as Zoho writes it. */
export function zohoDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** `2024-01-15`. */
export function zohoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses an ISO 8601 (or HTTP) date header; undefined when absent or unparseable. */
export function parseHeaderDate(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
