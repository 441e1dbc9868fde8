/**
 * Type tests: responses, write results and errors are typed from the spec (never `any`), and the
 * compiler rejects calls that break the spec. Run by vitest's typecheck mode.
 */
import { describe, expectTypeOf, it } from "vitest";
import { createZohoCRM, type components } from "../../src/index.js";

type Schemas = components["schemas"];
const crm = createZohoCRM({ accessToken: "static", apiBaseUrl: "http://127.0.0.1:1" });

describe("typed client", () => {
  it("types a record list response from the spec", async () => {
    const { data, error } = await crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { per_page: 200, sort_order: "asc" } } });
    expectTypeOf(data).not.toBeAny();
    expectTypeOf(data!.data).toBeArray();
    expectTypeOf(data!.data[0]!).toMatchTypeOf<Schemas["Record"]>();
    expectTypeOf(data!.info.more_records).toEqualTypeOf<boolean>();
    expectTypeOf(data!.info.per_page).toEqualTypeOf<number>();
    expectTypeOf(data!.data[0]!.id).toEqualTypeOf<string | undefined>();
    expectTypeOf(data!.data[0]!.Created_Time).toEqualTypeOf<string | undefined>();
    expectTypeOf(data!.data[0]!.Owner!.id).toEqualTypeOf<string>();
    // Custom fields stay reachable, as `unknown` until narrowed.
    expectTypeOf(data!.data[0]!.Custom_Field__c).toBeUnknown();
    expectTypeOf(error).not.toBeAny();
  });

  it("types write results per record", async () => {
    const { data } = await crm.POST("/crm/v2/{module}", {
      params: { path: { module: "Leads" } },
      body: { data: [{ Last_Name: "Typed" }], trigger: ["workflow"] },
    });
    expectTypeOf(data).not.toBeAny();
    type Item = NonNullable<typeof data>["data"][number];
    expectTypeOf<Item>().toMatchTypeOf<Schemas["WriteResult"]>();
    expectTypeOf<Item["status"]>().toEqualTypeOf<"success" | "error">();
    expectTypeOf<Item["code"]>().toEqualTypeOf<string>();
    expectTypeOf<Item["message"]>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Item["details"]>["id"]>().toEqualTypeOf<string | undefined>();
  });

  it("types Zoho's error bodies", async () => {
    const { error } = await crm.GET("/crm/v2/{module}/{id}", { params: { path: { module: "Leads", id: "1" } } });
    expectTypeOf(error).not.toBeAny();
    expectTypeOf(error).not.toBeUnknown();
    type RequestLevel = Extract<NonNullable<typeof error>, { code: string }>;
    expectTypeOf<RequestLevel>().not.toBeNever();
    expectTypeOf<RequestLevel["code"]>().toEqualTypeOf<string>();
    expectTypeOf<RequestLevel["status"]>().toEqualTypeOf<"error">();
    // Record-level errors (HTTP 400 with per-item results in `data`) are part of the union too.
    type RecordLevel = Extract<NonNullable<typeof error>, { data: unknown }>;
    expectTypeOf<RecordLevel["data"][number]["code"]>().toEqualTypeOf<string>();
  });

  it("types the non-data envelopes", async () => {
    const users = await crm.GET("/crm/v2/users", { params: { query: { type: "CurrentUser" } } });
    expectTypeOf(users.data!.users[0]!.id).toEqualTypeOf<string>();
    expectTypeOf(users.data!.users[0]!.email).toEqualTypeOf<string | undefined>();
    expectTypeOf(users.data!.info.more_records).toEqualTypeOf<boolean>();
    const org = await crm.GET("/crm/v2/org");
    expectTypeOf(org.data).not.toBeAny();
    expectTypeOf(org.data!.org[0]!.id).toEqualTypeOf<string>();
  });

  it("rejects calls that break the spec", () => {
    // @ts-expect-error the {module} path parameter is required
    void crm.GET("/crm/v2/{module}", { params: { path: {} } });
    // @ts-expect-error unknown path
    void crm.GET("/crm/v2/no-such-resource");
    // @ts-expect-error per_page is a number
    void crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { per_page: "200" } } });
    // @ts-expect-error sort_order is "asc" | "desc"
    void crm.GET("/crm/v2/{module}", { params: { path: { module: "Leads" }, query: { sort_order: "up" } } });
    // @ts-expect-error a write body needs `data`
    void crm.POST("/crm/v2/{module}", { params: { path: { module: "Leads" } }, body: { records: [] } });
  });

  it("paginate yields typed records", async () => {
    for await (const lead of crm.paginate("/crm/v2/{module}", { params: { path: { module: "Leads" } } })) {
      expectTypeOf(lead).not.toBeAny();
      expectTypeOf(lead.id).toEqualTypeOf<string | undefined>();
    }
    for await (const user of crm.paginate("/crm/v2/users", { params: { query: { type: "AllUsers" } } })) {
      expectTypeOf(user).not.toBeAny();
      expectTypeOf(user.id).toEqualTypeOf<string>();
    }
  });
});
