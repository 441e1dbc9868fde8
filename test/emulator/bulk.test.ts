/**
 * Bulk read and bulk write against the emulator through the typed client: jobs move ADDED → IN
 * PROGRESS → COMPLETED on the emulator clock, results are real ZIP files (CSV inside), uploads go
 * through `POST /crm/v2/upload` with the bulk-write headers, rows land in the module, the result
 * download uses the job's absolute `download_url`, and callbacks are POSTed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/emulator/csv-codec.js";
import { BULK_COMPLETED_MS, BULK_IN_PROGRESS_MS } from "../../src/emulator/crm-routes/bulk-read-routes.js";
import { readZip, writeZip } from "../../src/emulator/zip.js";
import { startCallbackReceiver, type CallbackReceiver } from "./callback-receiver.js";
import { startHarness, type Harness } from "./helpers.js";

let h: Harness;
let hooks: CallbackReceiver;

beforeAll(async () => {
  [h, hooks] = await Promise.all([startHarness(), startCallbackReceiver()]);
});
afterEach(() => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
});
afterAll(async () => {
  await Promise.all([h.close(), hooks.close()]);
});

const csvOf = (zip: ArrayBuffer) => {
  const entries = readZip(Buffer.from(zip));
  expect(entries).toHaveLength(1);
  return { name: entries[0]!.name, rows: parseCsv(entries[0]!.data.toString("utf8")) };
};

describe("bulk read", () => {
  it("a job moves ADDED → IN PROGRESS → COMPLETED and its result is a ZIP of the module's records", async () => {
    const created = await h.crm.POST("/crm/bulk/v2/read", {
      body: { query: { module: "Leads", fields: ["Last_Name", "Email", "Owner", "Owner.last_name"] }, callback: { url: hooks.url, method: "post" } },
    });
    expect(created.response.status).toBe(201);
    const added = created.data!.data[0]!;
    expect(added).toMatchObject({ code: "ADDED_SUCCESSFULLY", status: "success", details: { operation: "read", state: "ADDED" } });
    const jobId = added.details.id!;
    const job = () => h.crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId } } });

    expect((await job()).data!.data[0]!.state).toBe("ADDED");
    const early = await h.crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId } }, parseAs: "arrayBuffer" });
    expect(early.response.status).toBe(400);
    h.emulator.state.advanceClock(BULK_IN_PROGRESS_MS);
    expect((await job()).data!.data[0]!.state).toBe("IN PROGRESS");
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    const done = (await job()).data!.data[0]!;
    const leads = h.emulator.state.records("Leads");
    expect(done).toMatchObject({
      state: "COMPLETED",
      file_type: "csv",
      query: { module: "Leads", fields: ["Last_Name", "Email", "Owner", "Owner.last_name"], page: 1 },
      result: { page: 1, count: leads.length, more_records: false, download_url: `/crm/bulk/v2/read/${jobId}/result` },
    });

    const file = await h.crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId } }, parseAs: "arrayBuffer" });
    expect(file.response.status).toBe(200);
    expect(file.response.headers.get("content-type")).toBe("application/zip");
    // Quoted, like every other download: Zoho's SDK reads only filename="..." (or filename*=).
    expect(file.response.headers.get("content-disposition")).toBe(`attachment; filename="${jobId}.zip"`);
    const { name, rows } = csvOf(file.data as ArrayBuffer);
    expect(name).toBe(`${jobId}.csv`);
    expect(rows[0]).toEqual(["Id", "Last_Name", "Email", "Owner", "Owner.last_name"]);
    expect(rows).toHaveLength(leads.length + 1);
    const first = leads.find((l) => l.id === rows[1]![0])!;
    const owner = first.Owner as { id: string };
    expect(rows[1]).toEqual([first.id, first.Last_Name, first.Email ?? "", owner.id, h.emulator.state.users().find((u) => u.id === owner.id)!.last_name]);

    const callback = await hooks.waitForBody((b) => (b as { data?: Array<{ id?: string }> }).data?.[0]?.id === jobId);
    expect(callback).toMatchObject({ data: [{ id: jobId, state: "COMPLETED", result: { count: leads.length } }] });
  });

  it("criteria (groups, comparators) and cvid filter the export; bad fields and modules are 400", async () => {
    await h.crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Leads" } },
      body: { data: [{ Last_Name: "Bulkfilter", Company: "Q", Annual_Revenue: 5000, Email: "bulk.filter@example.com" }] },
    });
    const created = await h.crm.POST("/crm/bulk/v2/read", {
      body: {
        query: {
          module: { api_name: "Leads" },
          fields: ["Last_Name", "Annual_Revenue"],
          criteria: {
            group_operator: "and",
            group: [
              { field: { api_name: "Last_Name" }, comparator: "starts_with", value: "bulkf" },
              { api_name: "Annual_Revenue", comparator: "between", value: [1000, 9000] },
            ],
          },
        },
      },
    });
    const jobId = created.data!.data[0]!.details.id!;
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    // The job echoes its query in v2 shapes, whatever form the request used: the module's API name, fields by api_name.
    expect((await h.crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId } } })).data!.data[0]!.query).toEqual({
      module: "Leads",
      fields: ["Last_Name", "Annual_Revenue"],
      criteria: {
        group_operator: "and",
        group: [
          { api_name: "Last_Name", comparator: "starts_with", value: "bulkf" },
          { api_name: "Annual_Revenue", comparator: "between", value: [1000, 9000] },
        ],
      },
      page: 1,
    });
    const file = await h.crm.GET("/crm/bulk/v2/read/{jobId}/result", { params: { path: { jobId } }, parseAs: "arrayBuffer" });
    expect(
      csvOf(file.data as ArrayBuffer)
        .rows.slice(1)
        .map((r) => r.slice(1)),
    ).toEqual([["Bulkfilter", "5000"]]);

    const views = await h.crm.GET("/crm/v2/settings/custom_views", { params: { query: { module: "Leads" } } });
    const mine = views.data!.custom_views.find((v) => v.system_name === "MYVIEWS")!;
    const byView = await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Leads", cvid: mine.id, fields: ["Owner"] } } });
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    const viewFile = await h.crm.GET("/crm/bulk/v2/read/{jobId}/result", {
      params: { path: { jobId: byView.data!.data[0]!.details.id! } },
      parseAs: "arrayBuffer",
    });
    const me = h.emulator.state.users()[0]!.id;
    const owners = csvOf(viewFile.data as ArrayBuffer)
      .rows.slice(1)
      .map((r) => r[1]);
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set([me]));

    expect((await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Leads", fields: ["Nope"] } } })).error).toMatchObject({
      code: "INVALID_DATA",
      details: { api_name: "Nope" },
    });
    expect((await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Nope" } } })).error).toMatchObject({ code: "INVALID_MODULE" });
    expect((await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Leads" }, file_type: "ics" } })).error).toMatchObject({ code: "INVALID_DATA" });
    expect((await h.crm.GET("/crm/bulk/v2/read/{jobId}", { params: { path: { jobId: "42" } } })).error).toMatchObject({ code: "INVALID_DATA" });
  });

  it("jobs complete on the emulator clock's timer, and callbacks arrive without polling", async () => {
    const created = await h.crm.POST("/crm/bulk/v2/read", { body: { query: { module: "Deals" }, callback: { url: hooks.url, method: "post" } } });
    const jobId = created.data!.data[0]!.details.id!;
    h.emulator.state.advanceClock(BULK_COMPLETED_MS + 10); // no GET: only the timer can complete it
    const body = await hooks.waitForBody((b) => (b as { data?: Array<{ id?: string }> }).data?.[0]?.id === jobId);
    expect(body).toMatchObject({ data: [{ state: "COMPLETED", query: { module: "Deals" } }] });
  });
});

describe("bulk write", () => {
  const zgid = () => String(h.emulator.state.crm.org.zgid);
  const upload = (zip: Buffer, headers: { feature: "bulk-write"; "X-CRM-ORG": string } = { feature: "bulk-write", "X-CRM-ORG": zgid() }) => {
    const form = new FormData();
    form.append("file", new Blob([zip], { type: "application/zip" }), "contacts.zip");
    return h.crm.POST("/crm/v2/upload", { params: { header: headers }, body: { file: "" }, bodySerializer: () => form });
  };
  const csvZip = (text: string) => writeZip([{ name: "Contacts.csv", data: Buffer.from(text, "utf8") }]);

  it("upload → insert job → COMPLETED; rows are records; the result ZIP (absolute download_url) has each row's outcome", async () => {
    const before = h.emulator.state.count("Contacts");
    const up = await upload(
      csvZip(
        'Last_Name,First_Name,Email,Lead_Source\r\nImported,One,imp.one@example.com,Partner\r\nImported,"Two, Jr.",imp.two@example.com,Partner\r\n,Nameless,nameless@example.com,Partner\r\n',
      ),
    );
    expect(up.data).toMatchObject({ status: "success", code: "FILE_UPLOAD_SUCCESS", message: "file uploaded." });
    const fileId = up.data!.details.file_id!;

    const created = await h.crm.POST("/crm/bulk/v2/write", {
      body: { operation: "insert", callback: { url: hooks.url, method: "post" }, resource: [{ type: "data", module: "Contacts", file_id: fileId }] },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ status: "success", code: "SUCCESS" });
    const jobId = created.data!.details.id!;
    const job = () => h.crm.GET("/crm/bulk/v2/write/{jobId}", { params: { path: { jobId } } });
    expect((await job()).data!.status).toBe("ADDED");
    h.emulator.state.advanceClock(BULK_IN_PROGRESS_MS);
    expect((await job()).data!.status).toBe("IN PROGRESS");
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    const done = (await job()).data!;
    expect(done).toMatchObject({
      status: "COMPLETED",
      operation: "insert",
      resource: [
        { status: "COMPLETED", module: "Contacts", file: { name: "Contacts.csv", added_count: 2, skipped_count: 1, updated_count: 0, total_count: 3 } },
      ],
    });
    expect(h.emulator.state.count("Contacts")).toBe(before + 2);
    expect(h.emulator.state.records("Contacts").find((c) => c.Email === "imp.two@example.com")).toMatchObject({
      First_Name: "Two, Jr.",
      Last_Name: "Imported",
    });

    const url = new URL(done.result!.download_url!);
    expect(url.origin).toBe(h.emulator.url);
    const result = await h.crm.GET("/{downloadUrl}", {
      baseUrl: url.origin,
      params: { path: { downloadUrl: url.pathname.slice(1) } },
      pathSerializer: (template, params) => template.replace("{downloadUrl}", String(params.downloadUrl)),
      parseAs: "arrayBuffer",
    });
    expect(result.response.status).toBe(200);
    expect(result.response.headers.get("content-disposition")).toBe(`attachment; filename="${jobId}.zip"`);
    const { rows } = csvOf(result.data as ArrayBuffer);
    expect(rows[0]).toEqual(["Last_Name", "First_Name", "Email", "Lead_Source", "ID", "STATUS", "ERRORS"]);
    expect(rows.slice(1).map((r) => r.slice(5))).toEqual([
      ["ADDED", ""],
      ["ADDED", ""],
      ["SKIPPED", "MANDATORY_NOT_FOUND:Last_Name"],
    ]);
    await hooks.waitForBody((b) => (b as { id?: string }).id === jobId);
  });

  it("update and upsert by find_by with field mappings", async () => {
    const existing = h.emulator.state.records("Contacts").find((c) => c.Email === "imp.one@example.com")!;
    const up = await upload(csvZip("mail,title,last\r\nimp.one@example.com,Buyer,Imported\r\nnew.person@example.com,CTO,Newcomer\r\n"));
    const mappings = [
      { api_name: "Email", index: 0 },
      { api_name: "Title", index: 1 },
      { api_name: "Last_Name", index: 2 },
      { api_name: "Lead_Source", default_value: { value: "Trade Show" } },
    ];
    const update = await h.crm.POST("/crm/bulk/v2/write", {
      body: {
        operation: "update",
        resource: [{ type: "data", module: { api_name: "Contacts" }, file_id: up.data!.details.file_id!, find_by: "Email", field_mappings: mappings }],
      },
    });
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    const updated = await h.crm.GET("/crm/bulk/v2/write/{jobId}", { params: { path: { jobId: update.data!.details.id! } } });
    expect(updated.data!.resource![0]!.file).toMatchObject({ added_count: 0, updated_count: 1, skipped_count: 1 });
    expect(h.emulator.state.record("Contacts", existing.id as string)).toMatchObject({ Title: "Buyer", Lead_Source: "Trade Show" });

    const upsert = await h.crm.POST("/crm/bulk/v2/write", {
      body: {
        operation: "upsert",
        resource: [{ type: "data", module: "Contacts", file_id: up.data!.details.file_id!, find_by: "Email", field_mappings: mappings }],
      },
    });
    h.emulator.state.advanceClock(BULK_COMPLETED_MS);
    const upserted = await h.crm.GET("/crm/bulk/v2/write/{jobId}", { params: { path: { jobId: upsert.data!.details.id! } } });
    expect(upserted.data!.resource![0]!.file).toMatchObject({ added_count: 1, updated_count: 1, skipped_count: 0 });
    expect(h.emulator.state.records("Contacts").find((c) => c.Email === "new.person@example.com")).toMatchObject({ Last_Name: "Newcomer", Title: "CTO" });
  });

  it("uploads need the bulk-write headers, the org's zgid and a ZIP holding one CSV; jobs need known files", async () => {
    const zip = csvZip("Last_Name\r\nX\r\n");
    expect((await upload(zip, { feature: "bulk-write", "X-CRM-ORG": "1" })).error).toMatchObject({
      code: "INVALID_DATA",
      details: { param_name: "X-CRM-ORG" },
    });
    expect((await upload(Buffer.from("Last_Name\nX\n"))).error).toMatchObject({ code: "INVALID_FILE_FORMAT" });
    expect((await upload(writeZip([]))).error).toMatchObject({ code: "INVALID_FILE_FORMAT" });
    expect((await h.raw("POST", "/crm/v2/upload", { headers: { "x-crm-org": zgid() } })).json).toMatchObject({
      code: "REQUIRED_PARAM_MISSING",
      details: { param_name: "feature" },
    });
    const bad = await h.crm.POST("/crm/bulk/v2/write", { body: { operation: "insert", resource: [{ type: "data", module: "Contacts", file_id: "404" }] } });
    expect(bad.error).toMatchObject({ code: "INVALID_DATA", details: { api_name: "file_id" } });
    expect(
      (await h.crm.POST("/crm/bulk/v2/write", { body: { operation: "merge" as "insert", resource: [{ type: "data", module: "Contacts", file_id: "1" }] } }))
        .error,
    ).toMatchObject({ code: "INVALID_DATA" });
  });
});
