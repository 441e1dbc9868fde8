/**
 * The watcher's run queue: one run at a time; requests during a run coalesce into exactly one
 * follow-up; a failing run is reported, never thrown.
 */
import { describe, expect, it } from "vitest";
import type { WatchRunReason } from "../../src/sync/progress.js";
import { SyncQueue } from "../../src/sync/sync-queue.js";
import { waitUntil } from "../helpers/wait.js";

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("SyncQueue", () => {
  it("runs one at a time and coalesces requests during a run into one follow-up", async () => {
    const runs: Array<{ modules: string[]; reason: WatchRunReason }> = [];
    const gates = [gate(), gate(), gate()];
    const errors: unknown[] = [];
    const queue = new SyncQueue({
      debounceMs: 0,
      onError: (e) => errors.push(e),
      run: async (modules, reason) => {
        runs.push({ modules, reason });
        await gates[runs.length - 1]!.promise;
        if (runs.length === 2) throw new Error("boom");
      },
    });
    queue.request(["Leads", "Contacts"], "initial", true);
    expect(runs).toEqual([{ modules: ["Leads", "Contacts"], reason: "initial" }]);
    for (let i = 0; i < 5; i++) queue.request(["Leads"], "notification");
    queue.request(["Deals"], "poll", true);
    expect(runs).toHaveLength(1); // still one run
    gates[0]!.open();
    await waitUntil(() => runs.length === 2);
    expect(runs[1]).toEqual({ modules: ["Leads", "Deals"], reason: "notification" });
    gates[1]!.open();
    await waitUntil(() => errors.length === 1);
    expect(String(errors[0])).toContain("boom");
    expect(queue.busy).toBe(false);
    expect(runs).toHaveLength(2); // nothing more was asked for
    queue.request(["Leads"], "notification");
    await waitUntil(() => runs.length === 3);
    const closing = queue.close();
    queue.request(["Leads"], "notification"); // ignored once closing
    gates[2]!.open();
    await closing;
    expect(runs).toHaveLength(3);
  });
});
