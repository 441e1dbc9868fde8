/**
 * Coalesces requests to sync modules into runs, one run at a time in this process: a request
 * during a run adds its modules to the single follow-up run (however many notifications came in),
 * and a short debounce gathers a burst of notifications into one run. One run at a time also
 * keeps a single SQLite connection free of overlapping transactions.
 */
import type { WatchRunReason } from "./progress.js";

export interface SyncQueueOptions {
  /** Runs a sync of `modules`; its rejection is reported through `onError`, never thrown. */
  run(modules: string[], reason: WatchRunReason): Promise<void>;
  onError(error: unknown): void;
  /** How long a notification waits for others before its run starts. */
  debounceMs: number;
}

export class SyncQueue {
  readonly #o: SyncQueueOptions;
  /** Modules waiting for the next run, with the reason that asked first. */
  readonly #pending = new Map<string, WatchRunReason>();
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SyncQueueOptions) {
    this.#o = options;
  }

  /** Whether a run is going on now. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Asks for a run of `modules`; `immediate` skips the debounce (polling, the first run). */
  request(modules: readonly string[], reason: WatchRunReason, immediate = false): void {
    if (this.#closed) return;
    for (const m of modules) if (!this.#pending.has(m)) this.#pending.set(m, reason);
    if (this.#running) return; // the follow-up starts when this run ends
    if (immediate || this.#o.debounceMs <= 0) {
      this.#start();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#start();
    }, this.#o.debounceMs);
  }

  #start(): void {
    if (this.#closed || this.#running || this.#pending.size === 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const modules = [...this.#pending.keys()];
    const reason = this.#pending.get(modules[0]!)!;
    this.#pending.clear();
    this.#running = this.#o
      .run(modules, reason)
      .catch((error: unknown) => {
        try {
          this.#o.onError(error);
        } catch {
          // A throwing reporter must not turn into an unhandled rejection.
        }
      })
      .finally(() => {
        this.#running = undefined;
        this.#start();
      });
  }

  /** Takes no more requests and waits for the run in progress (the pending ones are dropped). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
    while (this.#running) await this.#running;
  }
}
