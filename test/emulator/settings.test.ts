/**
 * Org settings and metadata through the typed client: currencies (multi-currency enable, add,
 * update), org taxes and variables (CRUD, per-item errors), variable groups, custom views (sort
 * update), related lists, profiles, roles, territories, module settings update, the org photo,
 * files and functions.
 */
import { describe, expect, it } from "vitest";
import { MemoryTokenStore } from "../../src/stores/memory-token-store.js";
import { client, useSharedHarness, type Harness } from "./helpers.js";

let h: Harness;

useSharedHarness((harness) => (h = harness));

const Leads = { query: { module: "Leads" } } as const;
const format = { decimal_separator: "Period", thousand_separator: "Comma", decimal_places: "2" } as const;

describe("currencies", () => {
  it("multi-currency: off (204) → enable with a base currency → add, update, get one", async () => {
    expect((await h.crm.GET("/crm/v2/org/currencies", {})).response.status).toBe(204);
    expect((await h.crm.POST("/crm/v2/org/currencies", { body: { currencies: [{ iso_code: "EUR", exchange_rate: "0.9", format }] } })).error).toMatchObject({
      code: "MULTI_CURRENCY_DISABLED",
    });

    const enabled = await h.crm.POST("/crm/v2/org/currencies/actions/enable", { body: { base_currency: { iso_code: "USD", exchange_rate: "1.0", format } } });
    expect(enabled.response.status).toBe(201);
    expect(enabled.data!.base_currency).toMatchObject({ code: "SUCCESS", status: "success" });
    expect((await h.crm.GET("/crm/v2/org", {})).data!.org[0]).toMatchObject({ mc_status: true, iso_code: "USD" });
    expect((await h.crm.POST("/crm/v2/org/currencies/actions/enable", { body: { base_currency: { iso_code: "USD" } } })).error).toMatchObject({
      code: "ALREADY_ENABLED",
    });

    const added = await h.crm.POST("/crm/v2/org/currencies", {
      body: {
        currencies: [
          { iso_code: "EUR", exchange_rate: "0.92", format, prefix_symbol: true },
          { iso_code: "USD", exchange_rate: "1" },
        ],
      },
    });
    expect(added.response.status).toBe(207);
    expect(added.data!.currencies.map((c) => c.code)).toEqual(["SUCCESS", "DUPLICATE_DATA"]);
    const eur = added.data!.currencies[0]!.details.id!;

    const list = await h.crm.GET("/crm/v2/org/currencies", {});
    expect(list.data!.currencies.map((c) => [c.iso_code, c.is_base, c.exchange_rate])).toEqual([
      ["USD", true, "1.000000000"],
      ["EUR", false, "0.92"],
    ]);
    const base = list.data!.currencies[0]!;

    const one = await h.crm.PUT("/crm/v2/org/currencies/{id}", {
      params: { path: { id: eur } },
      body: { currencies: [{ exchange_rate: "0.95", symbol: "EUR " }] },
    });
    expect(one.data!.currencies[0]!.status).toBe("success");
    const bulk = await h.crm.PUT("/crm/v2/org/currencies", {
      body: {
        currencies: [
          { id: eur, is_active: false },
          { id: "1", is_active: true },
        ],
      },
    });
    expect(bulk.response.status).toBe(207);
    const got = await h.crm.GET("/crm/v2/org/currencies/{id}", { params: { path: { id: eur } } });
    expect(got.data!.currencies[0]).toMatchObject({ exchange_rate: "0.95", symbol: "EUR ", is_active: false });

    const rebased = await h.crm.PUT("/crm/v2/org/currencies/actions/enable", {
      body: { base_currency: { id: base.id, symbol: "US$", format: { decimal_places: "3" } } },
    });
    expect(rebased.data!.base_currency.status).toBe("success");
    expect((await h.crm.GET("/crm/v2/org/currencies/{id}", { params: { path: { id: base.id } } })).data!.currencies[0]).toMatchObject({
      symbol: "US$",
      format: { decimal_places: "3" },
    });
    expect((await h.crm.PUT("/crm/v2/org/currencies/actions/enable", { body: { base_currency: { id: base.id, exchange_rate: "2" } } })).error).toMatchObject({
      code: "INVALID_DATA",
    });
    expect((await h.crm.GET("/crm/v2/org/currencies/{id}", { params: { path: { id: "404" } } })).error).toMatchObject({ code: "INVALID_DATA" });
  });
});

describe("taxes", () => {
  it("list, create, update, get, delete (bulk and one); all-failed writes are 400 with per-item results", async () => {
    const seeded = (await h.crm.GET("/crm/v2/org/taxes", {})).data!;
    expect(seeded.taxes.map((t) => t.display_label)).toEqual(["Sales Tax - 10.0 %", "Vat - 5.5 %"]);
    expect(seeded.preference).toMatchObject({ auto_populate_tax: false });

    const created = await h.crm.POST("/crm/v2/org/taxes", {
      body: {
        taxes: [
          { name: "GST", value: 18 },
          { name: "Luxury", value: 28 },
        ],
      },
    });
    expect(created.response.status).toBe(201);
    const [gst, luxury] = created.data!.taxes.map((t) => t.details.id!);
    const dup = await h.crm.POST("/crm/v2/org/taxes", { body: { taxes: [{ name: "gst", value: 1 }] } });
    expect(dup.response.status).toBe(400);
    expect(dup.error).toMatchObject({ taxes: [{ code: "DUPLICATE_DATA" }] });
    expect((await h.crm.POST("/crm/v2/org/taxes", { body: { taxes: [{ name: "Too much", value: 101 }] } })).error).toMatchObject({ code: "INVALID_DATA" });

    expect((await h.crm.PUT("/crm/v2/org/taxes", { body: { taxes: [{ id: gst!, value: 12 }] } })).data!.taxes[0]!.status).toBe("success");
    expect((await h.crm.GET("/crm/v2/org/taxes/{id}", { params: { path: { id: gst! } } })).data!.taxes[0]).toMatchObject({
      name: "GST",
      value: 12,
      display_label: "GST - 12.0 %",
    });

    const deleted = await h.crm.DELETE("/crm/v2/org/taxes", { params: { query: { ids: [luxury!, "404"] } } });
    expect(deleted.response.status).toBe(207);
    expect((await h.crm.DELETE("/crm/v2/org/taxes/{id}", { params: { path: { id: gst! } } })).data!.taxes[0]!.status).toBe("success");
    expect((await h.crm.GET("/crm/v2/org/taxes", {})).data!.taxes).toHaveLength(2);
  });
});

describe("variables and variable groups", () => {
  it("groups by id or API name; variables CRUD with type checks, by id or API name", async () => {
    const groups = (await h.crm.GET("/crm/v2/settings/variable_groups", {})).data!.variable_groups;
    expect(groups.map((g) => g.api_name)).toEqual(["General", "Integration"]);
    const general = groups[0]!;
    expect((await h.crm.GET("/crm/v2/settings/variable_groups/{id}", { params: { path: { id: "Integration" } } })).data!.variable_groups[0]!.id).toBe(
      groups[1]!.id,
    );

    const seeded = await h.crm.GET("/crm/v2/settings/variables", { params: { query: { group: "General" } } });
    expect(seeded.data!.variables.map((v) => v.api_name)).toEqual(["Default_Tax_Rate"]);

    const created = await h.crm.POST("/crm/v2/settings/variables", {
      body: {
        variables: [
          { name: "Retries", api_name: "Retries", type: "integer", value: "3", variable_group: { id: general.id } },
          { name: "Bad", api_name: "Bad_Int", type: "integer", value: "three", variable_group: { api_name: "General" } },
          { name: "Dup", api_name: "retries", type: "text", variable_group: { api_name: "General" } },
        ],
      },
    });
    expect(created.response.status).toBe(207);
    expect(created.data!.variables.map((v) => v.code)).toEqual(["SUCCESS", "INVALID_DATA", "DUPLICATE_DATA"]);
    const id = created.data!.variables[0]!.details.id!;

    expect((await h.crm.GET("/crm/v2/settings/variables/{id}", { params: { path: { id: "Retries" } } })).data!.variables[0]).toMatchObject({
      id,
      type: "integer",
      value: "3",
      variable_group: { api_name: "General" },
    });
    expect(
      (await h.crm.PUT("/crm/v2/settings/variables/{id}", { params: { path: { id: "Retries" } }, body: { variables: [{ value: 5 }] } })).data!.variables[0]!
        .status,
    ).toBe("success");
    expect((await h.crm.PUT("/crm/v2/settings/variables", { body: { variables: [{ id, description: "max retries" }] } })).data!.variables[0]!.status).toBe(
      "success",
    );
    expect((await h.crm.GET("/crm/v2/settings/variables/{id}", { params: { path: { id }, query: { group: general.id } } })).data!.variables[0]).toMatchObject({
      value: 5,
      description: "max retries",
    });
    expect((await h.crm.GET("/crm/v2/settings/variables/{id}", { params: { path: { id }, query: { group: "Integration" } } })).error).toMatchObject({
      code: "INVALID_DATA",
    });
    expect((await h.crm.PUT("/crm/v2/settings/variables", { body: { variables: [{ id: "404", value: 1 }] } })).error).toMatchObject({
      variables: [{ code: "INVALID_DATA" }],
    });

    expect((await h.crm.DELETE("/crm/v2/settings/variables/{id}", { params: { path: { id } } })).data!.variables[0]!.status).toBe("success");
    const again = await h.crm.POST("/crm/v2/settings/variables", {
      body: { variables: [{ name: "Temp", api_name: "Temp", type: "checkbox", value: true, variable_group: { api_name: "Integration" } }] },
    });
    const temp = again.data!.variables[0]!.details.id!;
    const bulk = await h.crm.DELETE("/crm/v2/settings/variables", { params: { query: { ids: [temp] } } });
    expect(bulk.data!.variables[0]!.status).toBe("success");
    expect((await h.crm.GET("/crm/v2/settings/variables", { params: { query: { group: "Integration" } } })).data!.variables.map((v) => v.api_name)).toEqual([
      "Support_Email",
    ]);
    expect((await h.crm.GET("/crm/v2/settings/variables", { params: { query: { group: "Nope" } } })).error).toMatchObject({ code: "INVALID_DATA" });
  });
});

describe("custom views, related lists", () => {
  it("custom views: list (info.default), get one with fields, change the sort", async () => {
    const views = await h.crm.GET("/crm/v2/settings/custom_views", { params: Leads });
    expect(views.data!.custom_views.map((v) => v.name)).toEqual(["All Leads", "My Leads"]);
    expect(views.data!.info).toMatchObject({ default: views.data!.custom_views[0]!.id, count: 2, more_records: false });
    const id = views.data!.custom_views[1]!.id;
    const one = await h.crm.GET("/crm/v2/settings/custom_views/{id}", { params: { path: { id }, ...Leads } });
    expect(one.data!.custom_views[0]).toMatchObject({ id, system_name: "MYVIEWS", sort_by: null });
    expect(one.data!.custom_views[0]!.fields).toContain("Last_Name");
    const sorted = await h.crm.PUT("/crm/v2/settings/custom_views/{id}", {
      params: { path: { id }, ...Leads },
      body: { custom_views: [{ sort_by: "Company", sort_order: "desc" }] },
    });
    expect(sorted.data!.custom_views[0]).toMatchObject({ code: "SUCCESS", details: { id } });
    expect((await h.crm.GET("/crm/v2/settings/custom_views/{id}", { params: { path: { id }, ...Leads } })).data!.custom_views[0]).toMatchObject({
      sort_by: "Company",
      sort_order: "desc",
    });
    expect(
      (await h.crm.PUT("/crm/v2/settings/custom_views/{id}", { params: { path: { id }, ...Leads }, body: { custom_views: [{ sort_by: "Nope" }] } })).error,
    ).toMatchObject({ code: "INVALID_DATA" });
    expect((await h.crm.GET("/crm/v2/settings/custom_views/{id}", { params: { path: { id }, query: { module: "Deals" } } })).error).toMatchObject({
      code: "INVALID_DATA",
    });
  });

  it("related lists follow the modules' lookups", async () => {
    const lists = await h.crm.GET("/crm/v2/settings/related_lists", { params: { query: { module: "Accounts" } } });
    const names = lists.data!.related_lists.map((l) => l.api_name);
    expect(names).toEqual(expect.arrayContaining(["Contacts", "Deals", "Notes", "Attachments"]));
    const contacts = lists.data!.related_lists.find((l) => l.api_name === "Contacts")!;
    expect(contacts).toMatchObject({ module: "Contacts", type: "default", sequence_number: "1" });
    const one = await h.crm.GET("/crm/v2/settings/related_lists/{id}", { params: { path: { id: contacts.id }, query: { module: "Accounts" } } });
    expect(one.data!.related_lists).toEqual([contacts]);
    expect((await h.raw("GET", "/crm/v2/settings/related_lists")).json).toMatchObject({ code: "REQUIRED_PARAM_MISSING" });
  });
});

describe("profiles, roles, territories, modules", () => {
  it("profiles (permissions on the single one, 304), roles (hierarchy), territories (tree)", async () => {
    const profiles = (await h.crm.GET("/crm/v2/settings/profiles", {})).data!.profiles;
    expect(profiles.map((p) => p.name)).toEqual(["Administrator", "Standard"]);
    const users = h.emulator.state.users();
    expect(new Set(users.map((u) => u.profile.id))).toEqual(new Set(profiles.map((p) => p.id)));
    const standard = await h.crm.GET("/crm/v2/settings/profiles/{id}", { params: { path: { id: profiles[1]!.id } } });
    const perms = standard.data!.profiles[0]!.permissions_details!;
    expect(perms.find((p) => p.name === "Leads_Delete")).toMatchObject({ enabled: false });
    expect(perms.find((p) => p.name === "Leads_Edit")).toMatchObject({ enabled: true });
    expect((await h.crm.GET("/crm/v2/settings/profiles", { params: { header: { "If-Modified-Since": new Date().toISOString() } } })).response.status).toBe(304);

    const roles = (await h.crm.GET("/crm/v2/settings/roles", {})).data!.roles;
    expect(roles.map((r) => [r.name, r.reporting_to?.name ?? null])).toEqual([
      ["CEO", null],
      ["Manager", "CEO"],
    ]);
    expect((await h.crm.GET("/crm/v2/settings/roles/{id}", { params: { path: { id: roles[1]!.id } } })).data!.roles[0]!.admin_user).toBe(false);
    expect((await h.crm.GET("/crm/v2/settings/roles/{id}", { params: { path: { id: "1" } } })).error).toMatchObject({ code: "INVALID_DATA" });

    const territories = (await h.crm.GET("/crm/v2/settings/territories", {})).data!.territories;
    const root = territories.find((t) => t.parent_id === null)!;
    expect(territories.filter((t) => t.parent_id === root.id).map((t) => t.name)).toEqual(["North America", "Europe"]);
    // The custom-view criteria shape of v2 (Zoho's SDK: custom_views/criteria): `field` is an API name, not an object.
    expect(territories.find((t) => t.name === "Europe")!.criteria).toEqual({
      comparator: "in",
      field: "Country",
      value: ["Germany", "Portugal", "United Kingdom"],
    });
    expect((await h.crm.GET("/crm/v2/settings/territories/{id}", { params: { path: { id: root.id } } })).data!.territories[0]!.name).toBe("Zylker");
  });

  it("module settings: relabel by API name or id", async () => {
    const deals = (await h.crm.GET("/crm/v2/settings/modules/{module}", { params: { path: { module: "Deals" } } })).data!.modules[0]!;
    const updated = await h.crm.PUT("/crm/v2/settings/modules/{module}", {
      params: { path: { module: "Deals" } },
      body: { modules: [{ plural_label: "Opportunities", singular_label: "Opportunity" }] },
    });
    expect(updated.data!.modules[0]).toMatchObject({ code: "SUCCESS", details: { id: deals.id } });
    await h.crm.PUT("/crm/v2/settings/modules/{module}", { params: { path: { module: deals.id! } }, body: { modules: [{ singular_label: "Deal" }] } });
    expect((await h.crm.GET("/crm/v2/settings/modules/{module}", { params: { path: { module: "Deals" } } })).data!.modules[0]).toMatchObject({
      plural_label: "Opportunities",
      singular_label: "Deal",
    });
    expect(
      (await h.crm.PUT("/crm/v2/settings/modules/{module}", { params: { path: { module: "Deals" } }, body: { modules: [{ profiles: [{ id: "1" }] }] } })).error,
    ).toMatchObject({ code: "INVALID_DATA" });
    expect(
      (await h.crm.PUT("/crm/v2/settings/modules/{module}", { params: { path: { module: "Nope" } }, body: { modules: [{ plural_label: "X" }] } })).error,
    ).toMatchObject({ code: "INVALID_MODULE" });
  });
});

describe("org photo, files, functions", () => {
  const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
  const formWith = (field: string, ...files: Array<[Buffer, string]>) => {
    const form = new FormData();
    for (const [data, name] of files) form.append(field, new Blob([data]), name);
    return form;
  };

  it("org photo: 204 before, upload an image, download the same bytes; non-images are refused", async () => {
    expect((await h.crm.GET("/crm/v2/org/photo", { parseAs: "arrayBuffer" })).response.status).toBe(204);
    const up = await h.crm.POST("/crm/v2/org/photo", { body: { file: "" }, bodySerializer: () => formWith("file", [PNG, "logo.png"]) });
    expect(up.data).toMatchObject({ code: "SUCCESS", status: "success" });
    const down = await h.crm.GET("/crm/v2/org/photo", { parseAs: "arrayBuffer" });
    expect(down.response.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(down.data as ArrayBuffer)).toEqual(PNG);
    expect((await h.crm.GET("/crm/v2/org", {})).data!.org[0]!.photo_id).toEqual(expect.any(String));
    expect(
      (await h.crm.POST("/crm/v2/org/photo", { body: { file: "" }, bodySerializer: () => formWith("file", [Buffer.from("hello"), "x.txt"]) })).error,
    ).toMatchObject({ code: "INVALID_DATA" });
  });

  it("files: upload several, download each by id; at most 10", async () => {
    const up = await h.crm.POST("/crm/v2/files", {
      params: { query: { type: "inline" } },
      body: { file: "" },
      bodySerializer: () => formWith("file", [Buffer.from("first file"), "a.txt"], [PNG, "b.png"]),
    });
    expect(up.data!.data.map((d) => [d.code, d.details.name])).toEqual([
      ["SUCCESS", "a.txt"],
      ["SUCCESS", "b.png"],
    ]);
    const id = up.data!.data[0]!.details.id!;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const file = await h.crm.GET("/crm/v2/files", { params: { query: { id } }, parseAs: "text" });
    expect(file.data).toBe("first file");
    expect(file.response.headers.get("content-disposition")).toBe('attachment; filename="a.txt"');
    expect((await h.crm.GET("/crm/v2/files", { params: { query: { id: "nope" } } })).error).toMatchObject({ code: "INVALID_DATA" });
    const eleven = Array.from({ length: 11 }, (_, i): [Buffer, string] => [Buffer.from(String(i)), `${i}.txt`]);
    expect((await h.crm.POST("/crm/v2/files", { body: { file: "" }, bodySerializer: () => formWith("file", ...eleven) })).error).toMatchObject({
      code: "LIMIT_EXCEEDED",
    });
  });

  it("functions: arguments in the query, a JSON body or a file", async () => {
    const get = await h.crm.GET("/crm/v2/functions/{functionName}/actions/execute", {
      params: { path: { functionName: "add_numbers" }, query: { auth_type: "oauth", arguments: JSON.stringify({ a: 2, b: 40 }) } },
    });
    expect(get.data).toMatchObject({ code: "success", message: "function executed successfully", details: { output: "42", output_type: "string" } });
    const post = await h.crm.POST("/crm/v2/functions/{functionName}/actions/execute", {
      params: { path: { functionName: "echo" }, query: { arguments: JSON.stringify({ from: "query" }) } },
      body: { greeting: "hi", arguments: { nested: true } },
    });
    expect(JSON.parse(post.data!.details.output!)).toEqual({ from: "query", greeting: "hi", nested: true });
    const count = await h.crm.POST("/crm/v2/functions/{functionName}/actions/execute", {
      params: { path: { functionName: "count_records" } },
      body: { module: "Deals" },
    });
    expect(count.data!.details.output).toBe(String(h.emulator.state.count("Deals")));
    const withFile = await h.crm.POST("/crm/v2/functions/{functionName}/actions/execute", {
      params: { path: { functionName: "file_info" } },
      body: { inputFile: "" },
      bodySerializer: () => {
        const form = formWith("inputFile", [Buffer.from("a\nb\nc\n"), "lines.txt"]);
        form.append("note", "x");
        return form;
      },
    });
    expect(JSON.parse(withFile.data!.details.output!)).toEqual({ name: "lines.txt", size: 6, lines: 3 });
    expect((await h.crm.GET("/crm/v2/functions/{functionName}/actions/execute", { params: { path: { functionName: "nope" } } })).error).toMatchObject({
      code: "INVALID_URL_PATTERN",
    });
    expect(
      (await h.crm.GET("/crm/v2/functions/{functionName}/actions/execute", { params: { path: { functionName: "add_numbers" }, query: { arguments: "{bad" } } }))
        .error,
    ).toMatchObject({ code: "INVALID_DATA" });
  });
});

describe("scopes", () => {
  it("settings targets (ZohoCRM.settings.variables.READ) and the new families (bulk, notifications, files, functions) are enforced", async () => {
    const store = new MemoryTokenStore();
    const narrow = client(h.emulator, store);
    await narrow.auth.exchangeGrantToken(h.emulator.mintGrantCode({ scopes: ["ZohoCRM.settings.variables.READ", "ZohoCRM.functions.execute.READ"] }));
    try {
      expect((await narrow.GET("/crm/v2/settings/variables", {})).response.status).toBe(200);
      expect((await narrow.GET("/crm/v2/functions/{functionName}/actions/execute", { params: { path: { functionName: "echo" } } })).response.status).toBe(200);
      for (const call of [
        narrow.GET("/crm/v2/settings/roles", {}),
        narrow.POST("/crm/v2/settings/variables", {
          body: { variables: [{ name: "x", api_name: "x", type: "text", variable_group: { api_name: "General" } }] },
        }),
        narrow.GET("/crm/v2/actions/watch", {}),
        narrow.POST("/crm/bulk/v2/read", { body: { query: { module: "Leads" } } }),
        narrow.GET("/crm/v2/files", { params: { query: { id: "x" } } }),
        narrow.POST("/crm/v2/functions/{functionName}/actions/execute", { params: { path: { functionName: "echo" } }, body: {} }),
      ]) {
        expect((await call).error).toMatchObject({ code: "OAUTH_SCOPE_MISMATCH" });
      }
    } finally {
      await narrow.close();
    }
  });
});
