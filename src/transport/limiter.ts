/**
 * Concurrency limiters. Zoho caps concurrent calls per org (5–25 by edition; 429 beyond), so every
 * attempt holds a slot from before it is sent until its response body is consumed, cancelled or
 * fails — not just until the headers arrive. A local queue per client, and optionally a Redis
 * semaphore shared by every process that names the same key, so a fleet stays under one org's cap.
 */
import PQueue from "p-queue";

/** Frees a slot; idempotent. */
export type ReleaseSlot = () => void;

export interface Limiter {
  /** Waits for a slot (rejects with `signal.reason` when aborted while waiting). */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
}

export function createLocalLimiter(options: { concurrency: number }): Limiter {
  const queue = new PQueue({ concurrency: options.concurrency });
  return {
    acquire(signal) {
      return new Promise<ReleaseSlot>((resolve, reject) => {
        let settled = false;
        const onAbort = () => {
          if (settled) return;
          settled = true;
          reject(signal?.reason);
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        // The queued task lasts until the slot is released. The signal is not handed to p-queue: it
        // would free the slot on abort while the request may still be on the wire.
        void queue.add(
          () =>
            new Promise<void>((done) => {
              signal?.removeEventListener("abort", onAbort);
              if (settled) return done(); // gave up while queued
              settled = true;
              let released = false;
              resolve(() => {
                if (released) return;
                released = true;
                done();
              });
            }),
        );
      });
    },
  };
}

/** A slot of `outer` (local, cheap) first, then one of `inner` (shared). */
export function chainLimiters(outer: Limiter, inner: Limiter): Limiter {
  return {
    async acquire(signal) {
      const releaseOuter = await outer.acquire(signal);
      try {
        const releaseInner = await inner.acquire(signal);
        return () => {
          releaseInner();
          releaseOuter();
        };
      } catch (error) {
        releaseOuter();
        throw error;
      }
    },
  };
}

/**
 * The response with its body wrapped so `release` runs once the body is read to the end, cancelled
 * or errors. Bodiless responses release at once.
 */
export function releaseWhenConsumed(response: Response, release: ReleaseSlot): Response {
  const body = response.body;
  if (!body) {
    release();
    return response;
  }
  const reader = body.getReader();
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  const copy = new Response(wrapped, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}
