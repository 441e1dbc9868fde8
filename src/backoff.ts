/**
 * Exponential backoff with full jitter, shared by API retries and token-store lock polling:
 * attempt 1 waits up to `baseMs`, each further attempt doubles the ceiling, capped at `capMs`.
 * Never 0, so a polling loop always yields.
 */
export function backoffMs(options: { attempt: number; baseMs: number; capMs: number; random?: () => number }): number {
  const { attempt, baseMs, capMs, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.max(1, Math.round(random() * ceiling));
}
