/**
 * Metadata (modules, fields, layouts), users and org through the typed client; the metadata must
 * describe what record writes enforce. Also checks the route table against the spec: every
 * operation the spec declares has a route, and each is called once here or in the other suites.
 */
import { describe, expect, it } from "vitest";
import { ACCOUNTS_OPERATIONS } from "../../src/emulator/accounts-validation.js";
import { CRM_ROUTES } from "../../src/emulator/crm-routes/index.js";
import { SpecValidator } from "../../src/emulator/spec-validator.js";
import { DEFAULT_USER_EMAIL } from "../../src/emulator/index.js";
import { startHarness, useSharedHarness, type Harness } from "./helpers.js";

let h: Harness;
const MODULES = ["Leads", "Contacts", "Accounts", "Deals", "Tasks", "Events", "Calls", "Notes", "Products"];

useSharedHarness((harness) => (h = harness));

describe("spec coverage", () => {
  it("the route table and the spec agree: same operations, methods and paths", () => {
    const spec = SpecValidator.load();
    const fromSpec = spec
      .operations()
      .map((op) => `${op.method} ${op.path} ${op.operationId}`)
      .sort();
    // The CRM route table plus the Zoho Accounts operations (served by accounts-api.ts).
    const fromRoutes = [...CRM_ROUTES, ...ACCOUNTS_OPERATIONS].map((r) => `${r.method} ${r.path} ${r.operationId}`).sort();
    expect(fromRoutes).toEqual(fromSpec);
    expect(h.emulator.stats.specMismatches).toEqual([]);
  });
});

describe("modules, fields, layouts", () => {
  it("lists the seeded modules; one module includes its fields", async () => {
    const list = await h.crm.GET("/crm/v2/settings/modules", {});
    expect(list.data!.modules.map((m) => m.api_name)).toEqual(MODULES);
    expect(list.data!.modules.find((m) => m.api_name === "Leads")).toMatchObject({ convertable: true, api_supported: true });
    const one = await h.crm.GET("/crm/v2/settings/modules/{module}", { params: { path: { module: "Deals" } } });
    expect(one.data!.modules[0]!.fields!.map((f) => f.api_name)).toContain("Stage");
    expect((await h.crm.GET("/crm/v2/settings/modules/{module}", { params: { path: { module: "Nope" } } })).error).toMatchObject({ code: "INVALID_MODULE" });
    expect((await h.crm.GET("/crm/v2/settings/modules", { params: { header: { "If-Modified-Since": new Date().toISOString() } } })).response.status).toBe(304);
  });

  it("fields describe every key of every record, with data types, mandatory, unique and picklists", async () => {
    for (const module of MODULES) {
      const { data } = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module } } });
      const names = new Set(data!.fields.map((f) => f.api_name));
      for (const record of h.emulator.state.records(module)) {
        for (const key of Object.keys(record)) if (key !== "id" && key !== "Tag" && !key.startsWith("$")) expect(names, `${module}.${key}`).toContain(key);
      }
    }
    const { data } = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Leads" } } });
    const field = (name: string) => data!.fields.find((f) => f.api_name === name)!;
    expect(field("Last_Name")).toMatchObject({ data_type: "text", system_mandatory: true, length: 80 });
    expect(field("Email")).toMatchObject({ data_type: "email", unique: { casesensitive: "false" } });
    expect(field("Lead_Status").pick_list_values!.map((v) => v.actual_value)).toContain("Contacted");
    expect(field("Owner")).toMatchObject({ data_type: "ownerlookup", json_type: "jsonobject" });
    const deals = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Deals" } } });
    expect(deals.data!.fields.find((f) => f.api_name === "Account_Name")).toMatchObject({ data_type: "lookup", lookup: { module: "Accounts" } });

    const one = await h.crm.GET("/crm/v2/settings/fields/{id}", { params: { path: { id: field("Email").id! }, query: { module: "Leads" } } });
    expect(one.data!.fields).toEqual([field("Email")]);
    expect((await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Leads", type: "unused" } } })).data!.fields).toEqual([]);
  });

  it("every lookup names a module whose fields load; Notes' polymorphic Parent_Id names se_module, as Zoho's metadata does", async () => {
    const { data: notes } = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Notes" } } });
    // Zoho's SDKs know `se_module` and skip it; `$se_module` sent them to settings/fields?module=$se_module (a 400).
    expect(notes!.fields.find((f) => f.api_name === "Parent_Id")).toMatchObject({ data_type: "lookup", lookup: { module: "se_module" } });
    for (const module of MODULES) {
      const { data } = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module } } });
      for (const field of data!.fields) {
        const target = field.lookup?.module;
        if (typeof target !== "string" || target === "se_module") continue;
        const loaded = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: target } } });
        expect(loaded.response.status, `${module}.${field.api_name} → ${target}`).toBe(200);
      }
    }
  });

  it("standard fields are not custom; activities relate to any record through What_Id + $se_module; bigint holds more than 32 bits", async () => {
    const { data } = await h.crm.GET("/crm/v2/settings/fields", { params: { query: { module: "Leads" } } });
    expect(data!.fields.filter((f) => f.custom_field).map((f) => f.api_name)).toEqual(["External_Lead_ID"]);
    const write = (module: string, record: Record<string, unknown>) =>
      h.crm.POST("/crm/v2/{module}", { params: { path: { module } }, body: { data: [record] } });
    const account = await write("Accounts", { Account_Name: "Activities Inc.", Account_Number: 12_345_678_901 });
    const accountId = String(account.data!.data[0]!.details.id);
    const hour = { Start_DateTime: "2030-01-01T10:00:00+00:00", End_DateTime: "2030-01-01T11:00:00+00:00" };
    const event = await write("Events", { Event_Title: "Kick-off", ...hour, $se_module: "Accounts", What_Id: { id: accountId } });
    const eventId = String(event.data!.data[0]!.details.id);
    const stored = await h.crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Events", id: eventId } } });
    expect(stored.data!.data[0]).toMatchObject({ What_Id: { id: accountId, name: "Activities Inc." }, $se_module: "Accounts", All_day: false });
    expect((await write("Events", { Event_Title: "No time" })).error).toMatchObject({
      data: [{ code: "MANDATORY_NOT_FOUND", details: { api_name: "Start_DateTime" } }],
    });
    expect((await write("Calls", { Subject: "Ring", Call_Type: "Sideways", Call_Start_Time: hour.Start_DateTime })).error).toMatchObject({
      data: [{ code: "INVALID_DATA", details: { api_name: "Call_Type" } }],
    });
    const found = await h.crm.GET("/crm/v2/{module}/search", {
      params: { path: { module: "Accounts" }, query: { criteria: "(Account_Number:equals:12345678901)" } },
    });
    expect(found.data!.data.map((r) => r.id)).toEqual([accountId]);
    expect((await write("Accounts", { Account_Name: "Too big", Account_Number: 2 ** 64 })).error).toMatchObject({
      data: [{ code: "INVALID_DATA", details: { api_name: "Account_Number", expected_data_type: "bigint" } }],
    });
  });

  it("settings need ?module= (REQUIRED_PARAM_MISSING) and a known module", async () => {
    expect((await h.raw("GET", "/crm/v2/settings/fields")).json).toMatchObject({ code: "REQUIRED_PARAM_MISSING", details: { param_name: "module" } });
    expect((await h.crm.GET("/crm/v2/settings/layouts", { params: { query: { module: "Nope" } } })).error).toMatchObject({ code: "INVALID_MODULE" });
  });

  it("layouts group the fields in sections, mandatory ones marked required", async () => {
    const { data } = await h.crm.GET("/crm/v2/settings/layouts", { params: { query: { module: "Leads" } } });
    const layout = data!.layouts[0]!;
    expect(layout.sections!.map((s) => s.name)).toEqual(["Lead Information", "Address Information", "Description Information"]);
    expect(layout.sections![0]!.fields!.find((f) => f.api_name === "Last_Name")).toMatchObject({ required: true });
    const one = await h.crm.GET("/crm/v2/settings/layouts/{id}", { params: { path: { id: layout.id }, query: { module: "Leads" } } });
    expect(one.data!.layouts[0]!.id).toBe(layout.id);
    expect((await h.crm.GET("/crm/v2/settings/layouts/{id}", { params: { path: { id: "1" }, query: { module: "Leads" } } })).response.status).toBe(400);
  });
});

describe("users and org", () => {
  it("CurrentUser is the user behind the token; types filter the list", async () => {
    const me = await h.crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
    expect(me.data!.users).toHaveLength(1);
    expect(me.data!.users[0]).toMatchObject({ email: DEFAULT_USER_EMAIL, profile: { name: "Administrator" }, status: "active" });
    const count = async (type: "AllUsers" | "ActiveUsers" | "DeactiveUsers" | "NotConfirmedUsers" | "AdminUsers" | "DeletedUsers") => {
      const r = await h.crm.GET("/crm/v2/users", { params: { query: { type } } });
      return r.response.status === 204 ? 0 : r.data!.users.length;
    };
    expect(await count("AllUsers")).toBe(4);
    expect(await count("ActiveUsers")).toBe(3);
    expect(await count("DeactiveUsers")).toBe(1);
    expect(await count("NotConfirmedUsers")).toBe(1);
    expect(await count("AdminUsers")).toBe(1);
    expect(await count("DeletedUsers")).toBe(0);
    const list = await h.crm.GET("/crm/v2/users", { params: { query: { per_page: 2 } } });
    expect(list.data!.info).toMatchObject({ per_page: 2, count: 2, page: 1, more_records: true });
  });

  it("gets one user; unknown → 204", async () => {
    const me = h.emulator.state.users()[0]!;
    const one = await h.crm.GET("/crm/v2/users/{id}", { params: { path: { id: me.id } } });
    expect(one.data!.users[0]!.email).toBe(me.email);
    expect((await h.crm.GET("/crm/v2/users/{id}", { params: { path: { id: "1234567890123456789" } } })).response.status).toBe(204);
  });

  it("adds, updates and deletes users (per-user results under users[])", async () => {
    const [role, profile] = [h.emulator.state.crm.roles[1]!, h.emulator.state.crm.profiles[1]!];
    const add = await h.crm.POST("/crm/v2/users", {
      body: { users: [{ email: "homer@plant.example", first_name: "Homer", last_name: "Simpson", role: role.id, profile: profile.id }] },
    });
    expect(add.response.status).toBe(201);
    const id = String(add.data!.users[0]!.details.id);
    const dup = await h.crm.POST("/crm/v2/users", {
      body: { users: [{ email: "homer@plant.example", last_name: "Again", role: role.id, profile: profile.id }] },
    });
    expect(dup.response.status).toBe(200);
    expect(dup.data!.users[0]).toMatchObject({ code: "DUPLICATE_DATA", status: "error" });
    const bulk = await h.crm.PUT("/crm/v2/users", { body: { users: [{ id, first_name: "Homer J." }, { id: "1" }] } });
    expect(bulk.response.status).toBe(207);
    const one = await h.crm.PUT("/crm/v2/users/{id}", {
      params: { path: { id } },
      body: { users: [{ status: "disabled", phone: "+1 555 0100", city: "Springfield" }] },
    });
    expect(one.data!.users[0]).toMatchObject({ code: "SUCCESS" });
    expect(h.emulator.state.crm.user(id)).toMatchObject({ full_name: "Homer J. Simpson", status: "disabled" });
    // The user's own details are kept as written and read back (they were acknowledged and dropped before).
    expect((await h.crm.GET("/crm/v2/users/{id}", { params: { path: { id } } })).data!.users[0]).toMatchObject({ phone: "+1 555 0100", city: "Springfield" });
    const del = await h.crm.DELETE("/crm/v2/users/{id}", { params: { path: { id } } });
    expect(del.data!.users[0]).toMatchObject({ code: "SUCCESS", message: "User deleted" });
    expect((await h.crm.GET("/crm/v2/users", { params: { query: { type: "DeletedUsers" } } })).data!.users.map((u) => u.id)).toEqual([id]);
  });

  it("GET /crm/v2/org answers the org envelope", async () => {
    const { data } = await h.crm.GET("/crm/v2/org", {});
    expect(data!.org[0]).toMatchObject({ company_name: "Zylker Emulated Inc.", primary_email: DEFAULT_USER_EMAIL, zgid: expect.stringMatching(/^\d+$/) });
  });

  it("the same seed gives the same data", async () => {
    const again = await startHarness({}, {}, false);
    expect(again.emulator.state.records("Leads")).toEqual(h.emulator.state.records("Leads").slice(0, again.emulator.state.count("Leads")));
    const other = await startHarness({ seed: 42 }, {}, false);
    expect(other.emulator.state.records("Leads")[0]!.id).not.toBe(h.emulator.state.records("Leads")[0]!.id);
    await again.close();
    await other.close();
  });
});
