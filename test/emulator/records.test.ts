/**
 * Records through the typed client against the emulator: list/get/insert/update/upsert/delete,
 * deleted records, and Zoho's rules (mandatory, unique, data types, 100 per write, 200 per page,
 * 204 past the end, 201/207/400 statuses, 304 with If-Modified-Since, 412 with If-Unmodified-Since,
 * INVALID_MODULE, INVALID_URL_PATTERN, non-JSON bodies). Every response is checked against the spec.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { leads, useSharedHarness, type Harness } from "./helpers.js";

let h: Harness;
const Leads = { path: { module: "Leads" } } as const;

useSharedHarness((harness) => (h = harness));

async function insert(records: Array<Record<string, unknown>>, module = "Leads") {
  return h.crm.POST("/crm/v2/{module}", { params: { path: { module } }, body: { data: records } });
}

async function insertIds(records: Array<Record<string, unknown>>): Promise<string[]> {
  const { data } = await insert(records);
  return (data?.data ?? []).map((item) => String(item.details.id));
}

describe("insert", () => {
  it("201 with per-record results carrying id and system fields", async () => {
    const { data, response } = await insert(leads(2, "ins"));
    expect(response.status).toBe(201);
    for (const item of data!.data) {
      expect(item).toMatchObject({ code: "SUCCESS", message: "record added", status: "success" });
      expect(item.details).toMatchObject({
        id: expect.stringMatching(/^\d{19}$/),
        Created_Time: expect.any(String),
        Modified_Time: expect.any(String),
        Created_By: { id: expect.any(String), name: "Patricia Boyle" },
        Modified_By: { id: expect.any(String) },
      });
    }
  });

  it("207 when some records fail, each failure naming the field", async () => {
    const { data, response } = await insert([...leads(1, "mixed"), { First_Name: "No last name" }]);
    expect(response.status).toBe(207);
    expect(data!.data[0]!.status).toBe("success");
    expect(data!.data[1]).toEqual({ code: "MANDATORY_NOT_FOUND", details: { api_name: "Last_Name" }, message: "required field not found", status: "error" });
  });

  it("400 with record-level errors in data[] when every record fails", async () => {
    const { error, response } = await insert([{ Company: "x" }]);
    expect(response.status).toBe(400);
    expect(error).toEqual({
      data: [{ code: "MANDATORY_NOT_FOUND", details: { api_name: "Last_Name" }, message: "required field not found", status: "error" }],
    });
  });

  it("DUPLICATE_DATA on a unique field (Leads.Email), naming the field and the existing record", async () => {
    const [id] = await insertIds(leads(1, "dup"));
    const { error } = await insert([{ Last_Name: "Again", Email: "DUP.1@example.com" }]);
    expect(error).toEqual({ data: [{ code: "DUPLICATE_DATA", details: { api_name: "Email", id }, message: "duplicate data", status: "error" }] });
  });

  it("INVALID_DATA with expected_data_type for wrong types, bad picklist values and unknown lookups", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ Last_Name: "t", No_of_Employees: "many" }, "No_of_Employees", "integer"],
      [{ Last_Name: "t", Email: "not-an-email" }, "Email", "email"],
      [{ Last_Name: "t", Lead_Status: "Sleeping" }, "Lead_Status", "picklist"],
      [{ Last_Name: "t", Email_Opt_Out: "yes" }, "Email_Opt_Out", "boolean"],
    ];
    for (const [record, apiName, type] of cases) {
      const { error, response } = await insert([record]);
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ data: [{ code: "INVALID_DATA", details: { api_name: apiName, expected_data_type: type }, status: "error" }] });
    }
    const deal = await insert([{ Deal_Name: "d", Stage: "Qualification", Closing_Date: "2030-01-01", Account_Name: { id: "1234" } }], "Deals");
    expect(deal.error).toMatchObject({ data: [{ code: "INVALID_DATA", details: { api_name: "Account_Name", expected_data_type: "lookup" } }] });
    const longText = await insert([{ Last_Name: "x".repeat(81) }]);
    expect(longText.error).toMatchObject({ data: [{ code: "INVALID_DATA", details: { api_name: "Last_Name", maximum_length: 80 } }] });
  });

  it("more than 100 records → 400 LIMIT_EXCEEDED; nothing is inserted", async () => {
    const before = h.emulator.state.count("Leads");
    const { error, response } = await insert(leads(101, "limit"));
    expect(response.status).toBe(400);
    expect(error).toEqual({
      data: [
        {
          code: "LIMIT_EXCEEDED",
          details: { maximum_length: 100, api_name: "data" },
          message: "count of records in your request exceeds the limit",
          status: "error",
        },
      ],
    });
    expect(h.emulator.state.count("Leads")).toBe(before);
  });

  it("a body that breaks the spec's schema is 400 INVALID_DATA with the schema error in details", async () => {
    const { error, response } = await h.crm.POST("/crm/v2/{module}", {
      params: Leads,
      body: { data: [{ Last_Name: "x", Owner: "not-an-object" as unknown as { id: string } }] },
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({
      code: "INVALID_DATA",
      details: { api_name: "Owner", json_path: "$.data[0].Owner", reason: expect.any(String) },
      status: "error",
    });
    const empty = await h.crm.POST("/crm/v2/{module}", { params: Leads, body: { data: [] } });
    expect(empty.error).toMatchObject({ code: "INVALID_DATA" });
  });

  it("a body that is not JSON is 400 INVALID_DATA; a body without data is REQUIRED_PARAM_MISSING", async () => {
    const notJson = await h.raw("POST", "/crm/v2/Leads", { rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ code: "INVALID_DATA", status: "error" });
    const noData = await h.raw("POST", "/crm/v2/Leads", { body: { records: [] } });
    expect(noData.json).toMatchObject({ code: "REQUIRED_PARAM_MISSING", details: { param_name: "data" } });
  });
});

describe("list and get", () => {
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (let i = 0; i < 3; i++) ids.push(...(await insertIds(leads(100, `page${i}`))));
  });

  it("pages of at most 200 with info.more_records, then 204 with an empty body past the end", async () => {
    const total = h.emulator.state.records("Leads").filter((r) => r.$converted !== true).length;
    const first = await h.crm.GET("/crm/v2/{module}", { params: { ...Leads, query: { page: 1, per_page: 200 } } });
    expect(first.response.status).toBe(200);
    expect(first.data!.data).toHaveLength(200);
    expect(first.data!.info).toEqual({ per_page: 200, count: 200, page: 1, more_records: true });
    const second = await h.crm.GET("/crm/v2/{module}", { params: { ...Leads, query: { page: 2 } } });
    expect(second.data!.info).toEqual({ per_page: 200, count: total - 200, page: 2, more_records: false });
    const past = await h.crm.GET("/crm/v2/{module}", { params: { ...Leads, query: { page: 3 } } });
    expect(past.response.status).toBe(204);
    expect(past.data).toBeUndefined();
    const raw = await h.raw("GET", "/crm/v2/Leads?page=99");
    expect(raw).toMatchObject({ status: 204, text: "" });
    let count = 0;
    for await (const _ of h.crm.paginate("/crm/v2/{module}", { params: Leads })) count++;
    expect(count).toBe(total);
  });

  it("per_page above 200 is 400 INVALID_DATA naming per_page", async () => {
    const r = await h.raw("GET", "/crm/v2/Leads?per_page=201");
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "INVALID_DATA", details: { param_name: "per_page" } });
  });

  it("fields, ids, sort_by and sort_order", async () => {
    const picked = ids.slice(0, 3);
    const { data } = await h.crm.GET("/crm/v2/{module}", {
      params: { ...Leads, query: { ids: picked, fields: ["Last_Name", "Email"], sort_by: "Last_Name", sort_order: "desc" } },
    });
    expect(data!.data.map((r) => r.id).sort()).toEqual([...picked].sort());
    expect(Object.keys(data!.data[0]!).sort()).toEqual(["Email", "Last_Name", "id"]);
    const names = data!.data.map((r) => String(r.Last_Name));
    expect(names).toEqual([...names].sort().reverse());
  });

  it("gets one record; an unknown id is 204, a malformed one 400 INVALID_DATA", async () => {
    const one = await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[0]! } } });
    expect(one.data!.data[0]).toMatchObject({ id: ids[0], Last_Name: "page0-1", Owner: { email: "patricia.boyle@zylker.example" }, $converted: false });
    expect((await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: "1234567890123456789" } } })).response.status).toBe(204);
    const bad = await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: "abc" } } });
    expect(bad.error).toMatchObject({ code: "INVALID_DATA", message: "the id given seems to be invalid" });
  });

  it("If-Modified-Since → 304 with no body when nothing changed, 200 with the changes otherwise", async () => {
    const future = new Date(h.emulator.state.clock.now() + 60_000).toISOString();
    const list = await h.crm.GET("/crm/v2/{module}", { params: { ...Leads, header: { "If-Modified-Since": future } } });
    expect(list.response.status).toBe(304);
    expect(list.data).toBeUndefined();
    const one = await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[0]! }, header: { "If-Modified-Since": future } } });
    expect(one.response.status).toBe(304);
    const users = await h.crm.GET("/crm/v2/users", { params: { header: { "If-Modified-Since": future } } });
    expect(users.response.status).toBe(304);
    const before = h.emulator.state.clock.now();
    const [fresh] = await insertIds(leads(1, "ims"));
    const since = new Date(before - 2000).toISOString();
    const changed = await h.crm.GET("/crm/v2/{module}", { params: { ...Leads, query: { ids: [fresh!] }, header: { "If-Modified-Since": since } } });
    expect(changed.response.status).toBe(200);
    expect(changed.data!.data.map((r) => r.Last_Name)).toContain("ims-1");
    const seedTime = "2020-01-01T00:00:00+00:00";
    expect((await h.crm.GET("/crm/v2/{module}", { params: { path: { module: "Products" }, header: { "If-Modified-Since": seedTime } } })).response.status).toBe(
      200,
    );
  });
});

describe("update, upsert, delete", () => {
  it("bulk update: 200, 207 with an unknown id, MANDATORY_NOT_FOUND without id", async () => {
    const ids = await insertIds(leads(2, "upd"));
    const ok = await h.crm.PUT("/crm/v2/{module}", { params: Leads, body: { data: ids.map((id) => ({ id, Lead_Status: "Contacted" })) } });
    expect(ok.response.status).toBe(200);
    expect(ok.data!.data.every((i) => i.message === "record updated")).toBe(true);
    expect(h.emulator.state.record("Leads", ids[0]!)?.Lead_Status).toBe("Contacted");
    const mixed = await h.crm.PUT("/crm/v2/{module}", {
      params: Leads,
      body: { data: [{ id: ids[0]!, City: "Oslo" }, { id: "1111111111111111111", City: "Oslo" }, { City: "Oslo" }] },
    });
    expect(mixed.response.status).toBe(207);
    expect(mixed.data!.data[1]).toMatchObject({ code: "INVALID_DATA", details: { id: "1111111111111111111" }, status: "error" });
    expect(mixed.data!.data[2]).toMatchObject({ code: "MANDATORY_NOT_FOUND", details: { api_name: "id" } });
  });

  it("update by id; clearing a mandatory field fails; If-Unmodified-Since in the past → 412 ALREADY_MODIFIED", async () => {
    const [id] = await insertIds(leads(1, "one"));
    const path = { path: { module: "Leads", id: id! } };
    const ok = await h.crm.PUT("/crm/v2/{module}/{id}", { params: path, body: { data: [{ Phone: "+1 555 0199" }] } });
    expect(ok.data!.data[0]).toMatchObject({ code: "SUCCESS", details: { id } });
    const cleared = await h.crm.PUT("/crm/v2/{module}/{id}", { params: path, body: { data: [{ Last_Name: null }] } });
    expect(cleared.error).toMatchObject({ data: [{ code: "MANDATORY_NOT_FOUND", details: { api_name: "Last_Name" } }] });
    const stale = await h.crm.PUT("/crm/v2/{module}/{id}", {
      params: { ...path, header: { "If-Unmodified-Since": "2020-01-01T00:00:00+00:00" } },
      body: { data: [{ City: "Rome" }] },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error).toMatchObject({ data: [{ code: "ALREADY_MODIFIED", details: { id } }] });
  });

  it("upsert updates on the duplicate-check field and inserts the rest", async () => {
    const [id] = await insertIds([{ Last_Name: "Up", Email: "upsert.me@example.com" }]);
    const { data, response } = await h.crm.POST("/crm/v2/{module}/upsert", {
      params: Leads,
      body: {
        data: [
          { Last_Name: "Up2", Email: "upsert.me@example.com" },
          { Last_Name: "New", Email: "upsert.new@example.com" },
        ],
        duplicate_check_fields: ["Email"],
      },
    });
    expect(response.status).toBe(200);
    expect(data!.data[0]).toMatchObject({ action: "update", duplicate_field: "Email", message: "record updated", details: { id } });
    expect(data!.data[1]).toMatchObject({ action: "insert", duplicate_field: null, message: "record added" });
    expect(h.emulator.state.record("Leads", id!)?.Last_Name).toBe("Up2");
  });

  it("delete by ids (200, 207 with an unknown id), by id, and the recycle bin", async () => {
    const ids = await insertIds(leads(3, "del"));
    const bulk = await h.crm.DELETE("/crm/v2/{module}", { params: { ...Leads, query: { ids: [ids[0]!, "1111111111111111111"] } } });
    expect(bulk.response.status).toBe(207);
    expect(bulk.data!.data).toEqual([
      { code: "SUCCESS", details: { id: ids[0] }, message: "record deleted", status: "success" },
      { code: "INVALID_DATA", details: { id: "1111111111111111111" }, message: "record not deleted", status: "error" },
    ]);
    const one = await h.crm.DELETE("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: ids[1]! } } });
    expect(one.response.status).toBe(200);
    const all = await h.crm.DELETE("/crm/v2/{module}", { params: { ...Leads, query: { ids: [ids[2]!] } } });
    expect(all.response.status).toBe(200);
    expect(h.emulator.state.record("Leads", ids[0]!)).toBeUndefined();
    const bin = await h.crm.GET("/crm/v2/{module}/deleted", { params: { ...Leads, query: { type: "recycle" } } });
    expect(bin.data!.data.map((d) => d.id)).toEqual(expect.arrayContaining(ids));
    expect(bin.data!.data[0]).toMatchObject({
      type: "recycle",
      display_name: expect.stringContaining("del-"),
      deleted_by: { name: "Patricia Boyle" },
      deleted_time: expect.any(String),
    });
    expect((await h.crm.GET("/crm/v2/{module}/deleted", { params: { ...Leads, query: { type: "permanent" } } })).response.status).toBe(204);
    expect((await h.crm.GET("/crm/v2/{module}/deleted", { params: { path: { module: "Products" }, query: { type: "all" } } })).response.status).toBe(204);
  });

  it("delete without ids is REQUIRED_PARAM_MISSING; more than 100 ids is LIMIT_EXCEEDED", async () => {
    const none = await h.raw("DELETE", "/crm/v2/Leads");
    expect(none.json).toMatchObject({ code: "REQUIRED_PARAM_MISSING", details: { param_name: "ids" } });
    const many = Array.from({ length: 101 }, (_, i) => String(1_000_000 + i));
    const tooMany = await h.raw("DELETE", `/crm/v2/Leads?ids=${many.join(",")}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ code: "LIMIT_EXCEEDED" });
  });
});

describe("bad requests", () => {
  it("an unknown module is 400 INVALID_MODULE", async () => {
    const { error, response } = await h.crm.GET("/crm/v2/{module}", { params: { path: { module: "Widgets" } } });
    expect(response.status).toBe(400);
    expect(error).toEqual({
      code: "INVALID_MODULE",
      details: { resource_path_index: 0 },
      message: "the module name given seems to be invalid",
      status: "error",
    });
    const write = await insert([{ Name: "x" }], "Widgets");
    expect(write.error).toMatchObject({ data: [{ code: "INVALID_MODULE" }] });
  });

  it("an unknown path is 404 INVALID_URL_PATTERN; a wrong method is 400 INVALID_REQUEST_METHOD", async () => {
    const r = await h.raw("GET", "/crm/v2/Leads/1/not/a/path");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ code: "INVALID_URL_PATTERN", details: {}, message: "Please check if the URL trying to access is a correct one", status: "error" });
    expect((await h.raw("GET", "/nowhere")).status).toBe(404);
    const method = await h.raw("PATCH", "/crm/v2/Leads");
    expect(method.json).toMatchObject({ code: "INVALID_REQUEST_METHOD" });
  });

  it("module names are case-insensitive, as at Zoho", async () => {
    expect((await h.crm.GET("/crm/v2/{module}", { params: { path: { module: "leads" }, query: { per_page: 1 } } })).response.status).toBe(200);
  });
});
