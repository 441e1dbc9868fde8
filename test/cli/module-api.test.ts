/**
 * createModuleApi() against the emulator, in-process: 100-record write chunks with per-record
 * outcomes indexed over the whole input, typed errors, list/get/search/iterate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZohoCRM, MemoryTokenStore, ZohoApiError, type ZohoCRMClient } from "../../src/index.js";
import { startEmulator, DEFAULT_USER_EMAIL, type Emulator } from "../../src/emulator/index.js";
import { createModuleApi, MAX_WRITE_BATCH, type ModuleApiClient } from "../../src/module-api.js";

interface LeadTypes {
  record: { readonly id: string; Last_Name: string; Email?: string | null; Company?: string | null };
  create: { Last_Name: string; Email?: string | null; Company?: string | null };
  update: { id: string; Last_Name?: string; Email?: string | null; Company?: string | null };
}
type Org = { Leads: LeadTypes };

let emulator: Emulator;
let crm: ZohoCRMClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seedRecords: false });
  crm = createZohoCRM({
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    accountsUrl: emulator.url,
    apiBaseUrl: emulator.url,
    tokenStore: new MemoryTokenStore(),
    user: DEFAULT_USER_EMAIL,
    retry: false,
  });
  await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
});

afterAll(async () => {
  await crm?.close();
  await emulator?.close();
});

const calls = (operation: string) => emulator.stats.perOperation[operation] ?? 0;

describe("createModuleApi", () => {
  it("writes in chunks of 100 and reports every record's outcome at its index in the whole input", async () => {
    const leads = createModuleApi<Org>(crm)("Leads");
    const input = Array.from({ length: 250 }, (_, i) => ({ Last_Name: `Chunk-${i}`, Email: `chunk-${i}@example.com` }));
    (input[150] as { Last_Name?: string }).Last_Name = undefined as unknown as string; // MANDATORY_NOT_FOUND
    delete (input[150] as { Last_Name?: string }).Last_Name;
    input[249]!.Email = "not an email";
    const before = calls("createRecords");
    const created = await leads.create(input);
    expect(MAX_WRITE_BATCH).toBe(100);
    expect(calls("createRecords") - before).toBe(3);
    expect(created.failed.map((o) => [o.index, o.result.code])).toEqual([
      [150, "MANDATORY_NOT_FOUND"],
      [249, "INVALID_DATA"],
    ]);
    expect(created.failed[1]!.input).toBe(input[249]);
    expect(created.succeeded.map((o) => o.index)).toEqual(Array.from({ length: 250 }, (_, i) => i).filter((i) => i !== 150 && i !== 249));
    const ids = created.succeeded.map((o) => String(o.result.details?.id));
    expect(new Set(ids).size).toBe(248);
    expect(emulator.state.count("Leads")).toBe(248);

    const updated = await leads.update(ids.slice(0, 120).map((id) => ({ id, Company: "Updated Inc" })));
    expect(updated.succeeded).toHaveLength(120);
    expect(emulator.state.record("Leads", ids[119]!)).toMatchObject({ Company: "Updated Inc" });

    const upserted = await leads.upsert(
      [
        { Last_Name: "Chunk-0b", Email: "chunk-0@example.com" },
        { Last_Name: "Fresh", Email: "fresh@example.com" },
      ],
      { duplicateCheckFields: ["Email"] },
    );
    expect(upserted.succeeded.map((o) => [o.index, o.result.action])).toEqual([
      [0, "update"],
      [1, "insert"],
    ]);

    const before2 = calls("deleteRecords");
    const deleted = await leads.delete(ids.slice(0, 201));
    expect(calls("deleteRecords") - before2).toBe(3);
    expect(deleted.succeeded).toHaveLength(201);
    expect(deleted.succeeded[200]).toMatchObject({ index: 200, input: ids[200] });
  });

  it("throws a typed ZohoApiError for request-level errors, saying what earlier chunks did", async () => {
    await expect(createModuleApi(crm)("NoSuchModule").list()).rejects.toMatchObject({ name: "ZohoApiError", code: "INVALID_MODULE", status: 400 });
    // A write's errors inside `data` (even a module-level one) stay per-record outcomes.
    const bad = await createModuleApi(crm)("NoSuchModule").create([{ Last_Name: "x" }]);
    expect(bad.failed.map((o) => [o.index, o.result.code])).toEqual([[0, "INVALID_MODULE"]]);

    let posts = 0;
    const faulty: ModuleApiClient = {
      ...crm,
      paginate: crm.paginate,
      POST: ((path: string, init: unknown) => {
        posts += 1;
        if (posts === 2) emulator.faults.failNext({ kind: "500", match: { method: "POST", path: "/crm/v2/Leads" } });
        return (crm.POST as unknown as (p: string, i: unknown) => Promise<unknown>)(path, init);
      }) as unknown as ZohoCRMClient["POST"],
    };
    const error = await createModuleApi<Org>(faulty)("Leads")
      .create(Array.from({ length: 150 }, (_, i) => ({ Last_Name: `Fault-${i}` })))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZohoApiError);
    expect((error as ZohoApiError).message).toMatch(/after 100 of 150 records were sent in earlier calls: 100 succeeded, 0 failed/);
    expect((error as ZohoApiError).method).toBe("POST");
  });

  it("list, get, search and iterate return typed records; get of an unknown id is undefined", async () => {
    const leads = createModuleApi<Org>(crm)("Leads");
    await leads.create([{ Last_Name: "Findable", Email: "findable@example.com", Company: "Find Co" }]);
    const page = await leads.list({ perPage: 2, fields: ["Last_Name"] });
    expect(page.records).toHaveLength(2);
    expect(page.moreRecords).toBe(true);
    expect(page.page).toBe(1);

    const found = await leads.search({ email: "findable@example.com" });
    expect(found.records.map((r) => r.Company)).toEqual(["Find Co"]);
    const none = await leads.search({ word: "zzzznothing" });
    expect(none).toMatchObject({ records: [], moreRecords: false });
    expect(() => leads.search({} as { word: string })).toThrow(/exactly one of criteria, email, phone or word/);

    const id = found.records[0]!.id;
    expect(await leads.get(id)).toMatchObject({ id, Last_Name: "Findable" });
    expect(await leads.get("1234567")).toBeUndefined();

    const total = emulator.state.count("Leads");
    const seen: string[] = [];
    for await (const lead of leads.iterate({ perPage: 40, fields: ["Last_Name"] })) seen.push(lead.id);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    let pages = 0;
    for await (const p of leads.pages({ perPage: 10, maxRecords: 25 })) pages += p.records.length > 0 ? 1 : 0;
    expect(pages).toBe(3);
    expect(() => createModuleApi(crm)("Leads/../x")).toThrow(/module API name/);
  });
});
