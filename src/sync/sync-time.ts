/**
 * Zoho's date-times (`2026-03-01T10:15:00+05:30`, second resolution) as epoch ms, and the
 * `If-Modified-Since` header for "changed at or after t": the header means "after", at second
 * resolution, so it names the second before t's.
 */

/** Epoch ms of a Zoho date-time, or `undefined` when it is not one. */
export function zohoTimeMs(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The `If-Modified-Since` value that includes everything modified in t's second or later. */
export function sinceHeader(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 - 1000).toUTCString();
}

/** The second a time falls in (epoch ms, floored): Zoho compares times at that resolution. */
export function secondOf(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
