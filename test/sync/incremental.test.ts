/**
 * The incremental pull's edge cases, on SQLite: an edit made while a same-second group bigger than
 * a page is being read shifts a record across a page boundary (the group is read again and the
 * record is not lost); API calls grow with the changes, not with the module; an idle run costs
 * three calls (fields, 304 records, 304 deletions).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startSyncHarness, type SyncHarness } from "./helpers.js";

let s: SyncHarness | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function createLeads(s: SyncHarness, n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < n; done += 100) {
    const made = await s.h.crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Leads" } },
      body: { data: Array.from({ length: Math.min(100, n - done) }, (_, j) => ({ Last_Name: `${tag}-${done + j}`, Company: "Group" })) },
    });
    for (const item of made.data!.data) ids.push(String((item as { details: { id: string } }).details.id));
  }
  return ids;
}

describe("incremental pulls", () => {
  it("an edit during a same-second group's pages shifts a record across a page boundary: it is still mirrored", async () => {
    s = await startSyncHarness("sqlite");
    await s.sync(["Leads"]);
    s.h.emulator.state.advanceClock(2000);
    const ids = await createLeads(s, 450, "Group"); // one second, three pages
    s.h.emulator.state.advanceClock(1000);
    let edited = false;
    s.h.crm.use({
      async onRequest({ request }) {
        const url = new URL(request.url);
        if (edited || url.pathname !== "/crm/v2/Leads" || url.searchParams.get("page") !== "2") return undefined;
        edited = true;
        // The group's first record changes a second later: it moves to the end, the rest one place up.
        s!.h.emulator.state.advanceClock(1000);
        const reply = await s!.h.raw("PUT", `/crm/v2/Leads/${ids[0]}`, { body: { data: [{ Last_Name: "Moved" }] } });
        expect(reply.status).toBe(200);
        return undefined;
      },
    });
    const run = await s.sync(["Leads"]);
    expect(edited).toBe(true);
    expect(run.inserted).toBe(450);
    await s.expectExact("Leads");
  });

  it("API calls grow with the changes, not with the module; an idle run makes three", async () => {
    s = await startSyncHarness("sqlite", { generatedRecords: 5000, generatedModules: ["Leads"] });
    await s.sync(["Leads"]);
    s.h.emulator.state.advanceClock(5000);

    const calls = () => s!.h.emulator.stats.apiCalls;
    let before = calls();
    const idle = await s.sync(["Leads"]);
    expect(idle.inserted + idle.updated + idle.deleted).toBe(0);
    expect(calls() - before).toBe(3); // fields, records 304, deletions 304

    const leads = s.h.emulator.state.records("Leads");
    expect(leads.length).toBeGreaterThan(5000);
    for (let i = 0; i < 300; i += 100) {
      await s.h.crm.PUT("/crm/v2/{module}", {
        params: { path: { module: "Leads" } },
        body: { data: leads.slice(i * 10, i * 10 + 100).map((r) => ({ id: String(r.id), Description: "changed" })) },
      });
      s.h.emulator.state.advanceClock(1000);
    }
    before = calls();
    const changed = await s.sync(["Leads"]);
    expect(changed.updated).toBe(300);
    // fields + two pages + the window restarting at the last second + deletions; a rescan would be 26 pages
    expect(calls() - before).toBeLessThanOrEqual(6);
    await s.expectExact("Leads");
  });
});
