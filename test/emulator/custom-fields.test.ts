/**
 * Runtime custom fields: `emulator.state.addField` and `POST /emulator/fields` add a field that
 * settings/fields lists, record writes accept, reads return and bulk-read CSVs carry; the control
 * endpoint keeps its guards (JSON only, no foreign Origin).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/emulator/csv-codec.js";
import { BULK_COMPLETED_MS } from "../../src/emulator/crm-routes/bulk-read-routes.js";
import { readZip } from "../../src/emulator/zip.js";
import { startHarness, type Harness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
});
afterAll(async () => {
  await h.close();
});

const control = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.emulator.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

const fieldsOf = async (module: string) => {
  const res = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module } } });
  return res.data!.fields;
};

describe("runtime custom fields", () => {
  it("state.addField: settings/fields lists it, records take and return it, older records read null", async () => {
    const before = h.emulator.state.records("Leads")[0]!;
    const added = h.emulator.state.addField("Leads", { api_name: "Score_Band", data_type: "picklist", pick_list_values: ["A", "B", "C"] });
    expect(added).toMatchObject({ api_name: "Score_Band", data_type: "picklist", custom_field: true, field_label: "Score Band" });
    const listed = (await fieldsOf("Leads")).find((f) => f.api_name === "Score_Band");
    expect(listed).toMatchObject({
      id: added.id,
      data_type: "picklist",
      pick_list_values: [{ actual_value: "A" }, { actual_value: "B" }, { actual_value: "C" }],
    });

    const created = await h.crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Leads" } },
      body: {
        data: [
          { Last_Name: "Custom", Company: "C", Score_Band: "B" },
          { Last_Name: "Bad", Company: "C", Score_Band: "Z" },
        ],
      },
    });
    expect(created.response.status).toBe(207);
    const id = created.data!.data[0]!.details.id!;
    expect(created.data!.data[1]).toMatchObject({ code: "INVALID_DATA", details: { api_name: "Score_Band" } });
    const read = await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id } } });
    expect(read.data!.data[0]).toMatchObject({ Score_Band: "B" });
    expect(h.emulator.state.record("Leads", before.id as string)!.Score_Band).toBeNull();

    expect(() => h.emulator.state.addField("Leads", { api_name: "Score_Band", data_type: "text" })).toThrow(/already has/);
    expect(() => h.emulator.state.addField("Nope", { api_name: "X", data_type: "text" })).toThrow(/unknown module/);
  });

  it("POST /emulator/fields adds one (multi-select, lookup) and guards like the rest of the control plane", async () => {
    const res = await control("/emulator/fields", {
      module: "Contacts",
      api_name: "Interests",
      data_type: "multiselectpicklist",
      pick_list_values: ["Golf", "Chess", "Jazz"],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ fields: [{ api_name: "Interests", data_type: "multiselectpicklist", json_type: "jsonarray" }] });
    const lookup = await control("/emulator/fields", { module: "Contacts", api_name: "Referred_Deal", data_type: "lookup", lookup_module: "Deals" });
    expect(await lookup.json()).toMatchObject({ fields: [{ lookup: { module: "Deals" } }] });
    expect((await control("/emulator/fields", { module: "Contacts", api_name: "1bad", data_type: "text" })).status).toBe(400);
    expect((await control("/emulator/fields", { api_name: "X", data_type: "text" })).status).toBe(400);
    expect((await control("/emulator/fields", { module: "Contacts", api_name: "Y", data_type: "text" }, { origin: "https://evil.example" })).status).toBe(403);
    const plain = await fetch(`${h.emulator.url}/emulator/fields`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(plain.status).toBe(415);

    const deal = h.emulator.state.records("Deals")[0]!;
    const created = await h.crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Contacts" } },
      body: { data: [{ Last_Name: "Fan", Interests: ["Golf", "Jazz"], Referred_Deal: { id: deal.id as string } }] },
    });
    const id = created.data!.data[0]!.details.id!;
    expect(h.emulator.state.record("Contacts", id)).toMatchObject({ Interests: ["Golf", "Jazz"], Referred_Deal: { id: deal.id, name: deal.Deal_Name } });

    // The bulk-read CSV has the new columns: multi-select values joined by ";", the lookup as its id.
    const job = await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Contacts" } } });
    const jobId = job.data!.data[0]!.details.id!;
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    const file = await h.crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId } }, parseAs: "arrayBuffer" });
    const [header, ...rows] = parseCsv(readZip(Buffer.from(file.data!))[0]!.data.toString("utf8"));
    expect(header).toEqual(expect.arrayContaining(["Id", "Interests", "Referred_Deal"]));
    const row = rows.find((r) => r[0] === id)!;
    expect(row[header!.indexOf("Interests")]).toBe("Golf;Jazz");
    expect(row[header!.indexOf("Referred_Deal")]).toBe(deal.id);
  });
});
