/**
 * What `syncModules` must do on every database, against the emulator: bulk initial load,
 * incremental changes with same-second groups bigger than a page, deletions, REST fallback.
 * Each database's test file runs it.
 */
import { afterEach, expect, it } from "vitest";
import type { SyncEvent } from "../../src/sync/index.js";
import { startSyncHarness, type DbKind, type SyncHarness } from "./helpers.js";

export function syncContract(kind: DbKind): void {
  let s: SyncHarness | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });
  it("loads modules by bulk read, then applies changes, same-second groups and deletions exactly", async () => {
    s = await startSyncHarness(kind);
    const events: SyncEvent[] = [];
    const first = await s.sync(["Leads", "Contacts"], { onProgress: (e) => events.push(e) });
    expect(first.modules.map((m) => m.mode)).toEqual(["bulk", "bulk"]);
    expect(first.inserted).toBe(s.h.emulator.state.records("Leads").length + s.h.emulator.state.records("Contacts").length);
    await s.expectExact("Leads");
    await s.expectExact("Contacts");

    // Nothing changed: an incremental run applies nothing new.
    s.h.emulator.state.advanceClock(5000);
    const idle = await s.sync(["Leads", "Contacts"]);
    expect(idle.modules.map((m) => m.mode)).toEqual(["incremental", "incremental"]);
    expect(idle.inserted + idle.updated + idle.deleted).toBe(0);

    // 450 records created in one second (a group over two pages), edits and deletions.
    const crm = s.h.crm;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const made = await crm.POST("/crm/v2/{module}", {
        params: { path: { module: "Leads" } },
        body: { data: Array.from({ length: 90 }, (_, j) => ({ Last_Name: `Tie${i}-${j}`, Company: "Same Second" })) },
      });
      for (const item of made.data!.data) ids.push(String((item as { details: { id: string } }).details.id));
    }
    const existing = s.h.emulator.state.records("Leads")[0]!;
    await crm.PUT("/crm/v2/{module}/{id}", {
      params: { path: { module: "Leads", id: String(existing.id) } },
      body: { data: [{ Last_Name: "Edited" }] },
    });
    await crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[3]! } } });
    s.h.emulator.state.advanceClock(1000);
    const second = await s.sync(["Leads"]);
    expect(second.inserted).toBe(449);
    expect(second.updated).toBe(1);
    await s.expectExact("Leads");
    const rows = await s.mirror("Leads");
    expect(rows.get(ids[3]!)).toBeUndefined(); // created and deleted between runs: never mirrored
    expect(rows.get(String(existing.id))!.Last_Name).toBe("Edited");

    await crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[5]! } } });
    s.h.emulator.state.advanceClock(1000);
    const third = await s.sync(["Leads"]);
    expect(third.deleted).toBe(1);
    await s.expectExact("Leads");
    expect((await s.mirror("Leads")).get(ids[5]!)!.deleted_at).not.toBeNull();
    expect(events.some((e) => e.type === "progress")).toBe(true);
  });

  it("falls back to REST pages when the token lacks the bulk scope, and says so", async () => {
    s = await startSyncHarness(kind);
    const { DEFAULT_SCOPES } = await import("../../src/emulator/scopes.js");
    await s.h.crm.auth.exchangeGrantToken(s.h.emulator.mintGrantCode({ scopes: DEFAULT_SCOPES.filter((x) => !x.startsWith("ZohoCRM.bulk")) }));
    const events: SyncEvent[] = [];
    const summary = await s.sync(["Leads"], { onProgress: (e) => events.push(e) });
    expect(summary.modules[0]!.mode).toBe("rest");
    const start = events.filter((e) => e.type === "module-start");
    expect(start.at(-1)).toMatchObject({ mode: "rest", reason: expect.stringContaining("OAUTH_SCOPE_MISMATCH") });
    await s.expectExact("Leads");
  });

  it("a custom field added in Zoho adds its column on the next run, filled from then on", async () => {
    s = await startSyncHarness(kind);
    await s.sync(["Leads"]);
    s.h.emulator.state.addField("Leads", { api_name: "Loyalty_Score", data_type: "integer" });
    s.h.emulator.state.addField("Leads", { api_name: "Interests", data_type: "multiselectpicklist", pick_list_values: ["Golf", "Chess"] });
    const lead = s.h.emulator.state.records("Leads")[1]!;
    await s.h.crm.PUT("/crm/v2/{module}/{id}", {
      params: { path: { module: "Leads", id: String(lead.id) } },
      body: { data: [{ Loyalty_Score: 42, Interests: ["Golf", "Chess"] }] },
    });
    s.h.emulator.state.advanceClock(1000);
    const events: SyncEvent[] = [];
    const run = await s.sync(["Leads"], { onProgress: (e) => events.push(e) });
    expect(run.modules[0]!.columnsAdded.sort()).toEqual(["Interests", "Loyalty_Score"]);
    expect(events).toContainEqual({ type: "columns-added", module: "Leads", columns: expect.arrayContaining(["Loyalty_Score", "Interests"]) });
    const row = (await s.mirror("Leads")).get(String(lead.id))!;
    expect(Number(row.Loyalty_Score)).toBe(42);
    expect(typeof row.Interests === "string" ? JSON.parse(row.Interests) : row.Interests).toEqual(["Golf", "Chess"]);
    await s.expectExact("Leads");
    // A fresh mirror loads the new field from the bulk CSV too.
    const fresh = await s.sync(["Leads"], { tablePrefix: `${s.prefix}b_` });
    expect(fresh.modules[0]!.mode).toBe("bulk");
  });

  it("loads a module bigger than a bulk job's page through several jobs", async () => {
    s = await startSyncHarness(kind, { bulkReadPageSize: 40, generatedRecords: 100, generatedModules: ["Leads"] });
    const count = s.h.emulator.state.records("Leads").length;
    expect(count).toBeGreaterThan(80);
    const run = await s.sync(["Leads"]);
    expect(run.inserted).toBe(count);
    expect(s.h.emulator.stats.perOperation.createBulkReadJob).toBe(Math.ceil(count / 40));
    await s.expectExact("Leads");
  });
}
