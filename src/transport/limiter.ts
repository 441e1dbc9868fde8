/**
 * Concurrency limiters. Zoho caps concurrent calls per org (5–25 by edition; 429 beyond), so every
 * attempt runs through a limiter: a local queue per client, and optionally a Redis semaphore shared
 * by every process that names the same key, so a fleet of workers stays under one org's cap.
 */
import PQueue from "p-queue";

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Drops queued work (on close). */
  clear(): void;
}

export function createLocalLimiter(options: { concurrency: number }): Limiter {
  const queue = new PQueue({ concurrency: options.concurrency });
  return {
    run: (fn) => queue.add(fn),
    clear: () => queue.clear(),
  };
}

/** Runs `inner` inside `outer`: a local slot first (cheap), then the shared one. */
export function chainLimiters(outer: Limiter, inner: Limiter): Limiter {
  return {
    run: (fn) => outer.run(() => inner.run(fn)),
    clear: () => {
      outer.clear();
      inner.clear();
    },
  };
}
