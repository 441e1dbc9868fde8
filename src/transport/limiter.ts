/**
 * Concurrency limiters. Zoho caps concurrent calls per org (5–25 by edition; 429 beyond), so every
 * attempt holds a slot from before it is sent until its response is done with — the body parsed,
 * cancelled or failed, not just the headers received. A local semaphore per client, and optionally
 * a Redis semaphore shared by every process that names the same key, so a fleet stays under one
 * org's cap. (A counter and a FIFO of waiters: lighter per call than a task queue, and a slot can
 * outlive the function that took it.)
 */

/** Frees a slot; idempotent. */
export type ReleaseSlot = () => void;

export interface Limiter {
  /** Waits for a slot (rejects with `signal.reason` when aborted while waiting). */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
}

export function createLocalLimiter(options: { concurrency: number }): Limiter {
  const max = options.concurrency;
  let active = 0;
  const waiting: Array<() => void> = [];
  const slot = (): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else active -= 1;
    };
  };
  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < max) {
        active += 1;
        return Promise.resolve(slot());
      }
      return new Promise<ReleaseSlot>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(slot());
        };
        const onAbort = () => {
          const index = waiting.indexOf(grant);
          if (index !== -1) waiting.splice(index, 1);
          reject(signal?.reason);
        };
        waiting.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
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
 * `stream` with `done` run once it is read to the end, cancelled or errors: for bodies handed to
 * the caller unread (`parseAs: "stream"`, `crm.fetch()`), whose slot must last as long as they do.
 */
export function onStreamDone(stream: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: finished, value } = await reader.read();
        if (finished) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

/** The response with its body wrapped by `onStreamDone` (bodiless responses: `done` at once). */
export function releaseWhenConsumed(response: Response, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  const copy = new Response(onStreamDone(response.body, done), { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}
