/**
 * `X-EXTERNAL: <Module>.<external id field>` on the core record operations by id, through the
 * typed client: `{id}` is the value of the external-id field (Leads.External_Lead_ID, marked
 * `external` in the fields API) for get, update and delete; an unknown value and a header naming a
 * field that is not an external-id field are 400 INVALID_DATA naming the field.
 */
import { describe, expect, it } from "vitest";
import { useSharedHarness, type Harness } from "./helpers.js";

let h: Harness;

useSharedHarness((harness) => (h = harness));

const EXTERNAL = { "X-EXTERNAL": "Leads.External_Lead_ID" };
const at = (id: string, header: Record<string, string> = EXTERNAL) => ({ params: { path: { module: "Leads", id }, header } });

async function createLead(externalId: string, lastName: string): Promise<string> {
  const { data, error } = await h.crm.POST("/crm/v2/{module}", {
    params: { path: { module: "Leads" } },
    body: { data: [{ Last_Name: lastName, External_Lead_ID: externalId }] },
  });
  expect(error).toBeUndefined();
  return String(data!.data[0]!.details.id);
}

describe("external-id field metadata", () => {
  it("the fields API marks External_Lead_ID as an external (and unique) field, and no other Leads field", async () => {
    const { data } = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Leads" } } });
    const fields = data!.fields;
    const external = fields.filter((f) => f.external !== null && f.external !== undefined);
    expect(external.map((f) => f.api_name)).toEqual(["External_Lead_ID"]);
    expect(external[0]).toMatchObject({
      data_type: "text",
      external: { show: true, type: "user", allow_multiple_config: false },
      unique: { casesensitive: "false" },
    });
    expect(fields.find((f) => f.api_name === "Email")!.external).toBeNull();
  });

  it("external values are unique per module", async () => {
    await createLead("EXT-UNIQUE", "First");
    const dup = await h.crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Leads" } },
      body: { data: [{ Last_Name: "Second", External_Lead_ID: "ext-unique" }] },
    });
    expect(dup.error).toMatchObject({ data: [{ code: "DUPLICATE_DATA", details: { api_name: "External_Lead_ID" } }] });
  });
});

describe("X-EXTERNAL on get, update and delete by id", () => {
  it("get: {id} is the external value; the record id still works without the header", async () => {
    const id = await createLead("EXT-GET-1", "Got");
    const { data, response } = await h.crm.GET("/crm/v2/{module}/{id}", at("EXT-GET-1"));
    expect(response.status).toBe(200);
    expect(data!.data[0]).toMatchObject({ id, Last_Name: "Got", External_Lead_ID: "EXT-GET-1" });
    expect((await h.crm.GET("/crm/v2/{module}/{id}", at("ext-get-1"))).data!.data[0]!.id).toBe(id); // as case-insensitive as unique checks
    expect((await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id } } })).data!.data[0]!.id).toBe(id);
    // Without the header the external value is no id.
    expect((await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: "EXT-GET-1" } } })).error).toMatchObject({
      code: "INVALID_DATA",
      details: { resource_path_index: 1 },
    });
  });

  it("update: the external value names the record; the body may change other fields and the value itself", async () => {
    const id = await createLead("EXT-PUT-1", "Before");
    const { data, response } = await h.crm.PUT("/crm/v2/{module}/{id}", { ...at("EXT-PUT-1"), body: { data: [{ Last_Name: "After", Company: "Ext Co" }] } });
    expect(response.status).toBe(200);
    expect(data!.data[0]).toMatchObject({ code: "SUCCESS", message: "record updated", details: { id } });
    expect(h.emulator.state.record("Leads", id)).toMatchObject({ Last_Name: "After", Company: "Ext Co" });

    await h.crm.PUT("/crm/v2/{module}/{id}", { ...at("EXT-PUT-1"), body: { data: [{ External_Lead_ID: "EXT-PUT-2" }] } });
    expect((await h.crm.GET("/crm/v2/{module}/{id}", at("EXT-PUT-2"))).data!.data[0]!.id).toBe(id);
    expect((await h.crm.GET("/crm/v2/{module}/{id}", at("EXT-PUT-1"))).error).toMatchObject({ code: "INVALID_DATA" });
  });

  it("delete: the record named by its external value goes to the recycle bin", async () => {
    const id = await createLead("EXT-DEL-1", "Doomed");
    const { data, response } = await h.crm.DELETE("/crm/v2/{module}/{id}", at("EXT-DEL-1"));
    expect(response.status).toBe(200);
    expect(data!.data[0]).toMatchObject({ code: "SUCCESS", message: "record deleted", details: { id } });
    expect(h.emulator.state.record("Leads", id)).toBeUndefined();
    expect(h.emulator.state.deleted("Leads").map((d) => d.id)).toContain(id);
  });

  it("an unknown external value is 400 INVALID_DATA on get, update and delete", async () => {
    const expected = {
      code: "INVALID_DATA",
      status: "error",
      message: "The value of the external field is invalid.",
      details: { api_name: "External_Lead_ID", resource_path_index: 1 },
    };
    const count = h.emulator.state.count("Leads");
    const get = await h.crm.GET("/crm/v2/{module}/{id}", at("NO-SUCH-VALUE"));
    expect(get.response.status).toBe(400);
    expect(get.error).toEqual(expected);
    expect((await h.crm.PUT("/crm/v2/{module}/{id}", { ...at("NO-SUCH-VALUE"), body: { data: [{ Last_Name: "x" }] } })).error).toEqual(expected);
    expect((await h.crm.DELETE("/crm/v2/{module}/{id}", at("NO-SUCH-VALUE"))).error).toEqual(expected);
    expect(h.emulator.state.count("Leads")).toBe(count);
  });

  it("a header naming a field that is not an external-id field, or no field, is 400 INVALID_DATA naming it", async () => {
    const id = await createLead("EXT-BAD-1", "Guarded");
    const email = "guarded@example.com";
    await h.crm.PUT("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id } }, body: { data: [{ Email: email }] } });
    const notExternal = {
      code: "INVALID_DATA",
      status: "error",
      message: "the field given in X-EXTERNAL is not an external id field",
      details: { api_name: "Email" },
    };
    expect((await h.crm.GET("/crm/v2/{module}/{id}", at(email, { "X-EXTERNAL": "Leads.Email" }))).error).toEqual(notExternal);
    expect((await h.crm.PUT("/crm/v2/{module}/{id}", { ...at(email, { "X-EXTERNAL": "Leads.email" }), body: { data: [{ Last_Name: "x" }] } })).error).toEqual(
      notExternal,
    );
    expect((await h.crm.DELETE("/crm/v2/{module}/{id}", at(email, { "X-EXTERNAL": "Leads.Email" }))).error).toEqual(notExternal);
    expect((await h.crm.GET("/crm/v2/{module}/{id}", at("x", { "X-EXTERNAL": "Leads.No_Such_Field" }))).error).toMatchObject({
      code: "INVALID_DATA",
      details: { api_name: "No_Such_Field" },
    });
    expect((await h.crm.GET("/crm/v2/{module}/{id}", at("x", { "X-EXTERNAL": "Leads" }))).error).toMatchObject({
      code: "INVALID_DATA",
      details: { api_name: "Leads" },
    });
    expect(h.emulator.state.record("Leads", id)).toMatchObject({ Last_Name: "Guarded" });
  });

  it("a header naming another module leaves {id} a record id (it concerns lookups in the body)", async () => {
    const id = await createLead("EXT-OTHER-1", "Other");
    const { data } = await h.crm.GET("/crm/v2/{module}/{id}", at(id, { "X-EXTERNAL": "Contacts.External_Contact_ID" }));
    expect(data!.data[0]!.id).toBe(id);
  });

  it("the records-adjacent routes use the same resolver (a lead's notes by its external value)", async () => {
    const id = await createLead("EXT-NOTES-1", "Noted");
    const note = await h.crm.POST("/crm/v2/Notes", { body: { data: [{ Note_Content: "on an external lead", Parent_Id: id, $se_module: "Leads" }] } });
    const noteId = String(note.data!.data[0]!.details.id);
    const path = { module: "Leads", recordId: "EXT-NOTES-1", relatedList: "Notes" };
    const notes = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path, header: EXTERNAL } });
    expect(notes.data!.data.map((n) => n.id)).toEqual([noteId]);
    const bad = await h.crm.GET("/crm/v2/{module}/{recordId}/{relatedList}", { params: { path, header: { "X-EXTERNAL": "Leads.Last_Name" } } });
    expect(bad.error).toMatchObject({ code: "INVALID_DATA", details: { api_name: "Last_Name" } });
  });
});
