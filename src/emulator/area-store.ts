/**
 * Write-through of the state parts (`state-parts.ts`) with `persistPath`: restored on start before
 * routes run, then flushed synchronously after each request (before its reply is written, so a
 * crash loses nothing that was answered), after timers change an area, and on close. An area is
 * snapshotted only when a request or timer touched it, and written only when its JSON changed.
 * Memory mode never loads this file.
 */
import type { CrmState } from "./crm-state.js";
import type { Persistence } from "./persistence.js";
import type { StatePart } from "./state-parts.js";

export class AreaStore {
  readonly #state: CrmState;
  readonly #persistence: Persistence;
  readonly #parts: readonly StatePart[];
  /** The JSON last written (or loaded), by part name. */
  readonly #written = new Map<string, string>();
  readonly #touched = new Set<string>();
  #scheduled = false;
  #closed = false;

  constructor(state: CrmState, persistence: Persistence, parts: readonly StatePart[]) {
    this.#state = state;
    this.#persistence = persistence;
    this.#parts = parts;
  }

  /** Restores the saved parts (none for a new store), then starts tracking area access. */
  restore(saved: Map<string, string> | undefined): void {
    for (const part of this.#parts) {
      const text = saved?.get(part.name);
      if (text === undefined) continue;
      part.restore(JSON.parse(text), this.#state);
      this.#written.set(part.name, text);
    }
    this.#state.areas.onAccess = (name) => this.#touch(name);
  }

  /** Writes every part whose snapshot changed (areas: only those touched since the last flush). */
  flush(): void {
    if (this.#closed) return;
    const changed: Array<[string, string]> = [];
    for (const part of this.#parts) {
      if (part.area !== undefined && !this.#touched.has(part.area)) continue;
      const json = part.snapshot(this.#state);
      if (json === undefined) continue;
      const text = JSON.stringify(json);
      if (this.#written.get(part.name) === text) continue;
      changed.push([part.name, text]);
      this.#written.set(part.name, text);
    }
    this.#touched.clear();
    if (changed.length > 0) this.#persistence.saveAreas(changed);
  }

  /** Last flush; later timer ticks no longer write. */
  close(): void {
    this.flush();
    this.#closed = true;
    this.#state.areas.onAccess = undefined;
  }

  #touch(name: string): void {
    this.#touched.add(name);
    // Timers (bulk jobs completing) change areas outside requests: flush those soon too.
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.flush();
    }).unref();
  }
}
