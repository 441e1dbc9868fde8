/** `crm.module(name)` and `crm.modules<Org>()` on the real client, against the emulator. */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createZohoCRM, type ZohoCRMClient } from "../../src/client.js";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

interface Lead {
  id?: string;
  Last_Name: string;
  Company?: string | null;
}
interface Org {
  Leads: { record: Lead; create: Omit<Lead, "id">; update: Partial<Lead> & { id: string } };
}

let emulator: Emulator;
let crm: ZohoCRMClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  crm = createZohoCRM({ clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.url, tokenStore: new MemoryTokenStore() });
  await crm.auth.exchangeGrantToken(emulator.mintGrantCode(), { makeDefault: true });
});
afterAll(async () => {
  await crm?.close();
  await emulator?.close();
});

describe("crm.module", () => {
  it("creates in chunks of 100, iterates, searches and deletes", async () => {
    const leads = crm.modules<Org>()("Leads");
    const input = Array.from({ length: 230 }, (_, i) => ({ Last_Name: `ModuleApi${i}`, Company: "Chunked Ltd" }));
    const before = emulator.stats.apiCalls;
    const { succeeded, failed } = await leads.create(input);
    expect(failed).toEqual([]);
    expect(succeeded).toHaveLength(230);
    expect(succeeded[229]?.index).toBe(229);
    expect(emulator.stats.apiCalls - before).toBe(3);
    const ids: string[] = [];
    for await (const lead of leads.iterate({ fields: ["Last_Name", "Company"] })) {
      expectTypeOf(lead).toEqualTypeOf<Lead>();
      if (lead.Company === "Chunked Ltd") ids.push(lead.id!);
    }
    expect(new Set(ids).size).toBe(230);
    const found = await crm.module("Leads").search({ word: "ModuleApi7" });
    expect(found.records.length).toBeGreaterThan(0);
    const removed = await leads.delete(ids);
    expect(removed.succeeded).toHaveLength(230);
    expect(emulator.stats.responseValidationFailures).toEqual([]);
  });
});
