/**
 * Waiting on a condition in tests: polls until it holds. The deadline is generous on purpose — it
 * only turns a hang into a failure; no test relies on something happening within a short time.
 */
export async function waitUntil(predicate: () => boolean, options: { timeoutMs?: number; what?: string } = {}): Promise<void> {
  const { timeoutMs = 30_000, what = "condition" } = options;
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
