/**
 * The emulator's clock: wall time plus an offset that tests can advance (token expiry, rolling
 * refresh windows) without waiting. Also Zoho's date-time text format.
 */
export class Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** How far emulator time is ahead of wall time (persisted, so a restart keeps the emulator clock). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves emulator time forward (never backward). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("clock.advance(ms) needs a finite ms >= 0");
    this.#offsetMs += ms;
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
