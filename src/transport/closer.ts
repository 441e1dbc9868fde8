/**
 * `close()` for the transport: aborts every attempt and backoff sleep in flight, then refuses new
 * ones. Attempts register their controller in a Set — cheaper per call than an abort listener on a
 * shared signal, and nothing accumulates on it.
 */
export class Closer {
  #closed = false;
  readonly #active = new Set<AbortController>();

  get closed(): boolean {
    return this.#closed;
  }

  /** Registers an attempt's controller (aborted at once if the client is already closed). */
  track(controller: AbortController): void {
    if (this.#closed) controller.abort(CLOSED);
    else this.#active.add(controller);
  }

  untrack(controller: AbortController): void {
    this.#active.delete(controller);
  }

  close(): void {
    this.#closed = true;
    for (const controller of this.#active) controller.abort(CLOSED);
    this.#active.clear();
  }
}

/** The abort reason of a closed client; callers see a typed CLIENT_CLOSED error instead. */
const CLOSED = new Error("client closed");
