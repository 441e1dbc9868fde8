/**
 * Search (criteria, email, phone, word; 204 on no match), COQL (select/where/order/limit, 204,
 * SYNTAX_ERROR, INVALID_QUERY) and lead conversion (v2 shape, ID_ALREADY_CONVERTED) against the
 * emulator through the typed client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./helpers.js";

let h: Harness;
const Leads = { path: { module: "Leads" } } as const;
const people = [
  {
    First_Name: "Burns",
    Last_Name: "Montgomery",
    Email: "monty@plant.example",
    Phone: "+1 (555) 010-0001",
    Company: "Springfield Nuclear",
    Annual_Revenue: 900000,
    Lead_Source: "Partner",
    Description: "owns the plant",
  },
  {
    First_Name: "Bart",
    Last_Name: "Burns",
    Email: "bart@school.example",
    Phone: "555-010-0002",
    Company: "Springfield Elementary",
    Annual_Revenue: 100,
    Lead_Source: "Cold Call",
  },
  {
    First_Name: "Lisa",
    Last_Name: "Burnside",
    Email: "lisa@school.example",
    Phone: "555 010 0003",
    Company: "Springfield Elementary",
    Annual_Revenue: 50000,
    Lead_Source: "Trade Show",
  },
  {
    First_Name: "Ned",
    Last_Name: "Flanders",
    Email: "ned@leftorium.example",
    Phone: "555-010-0004",
    Company: "Leftorium",
    Annual_Revenue: 20000,
    Lead_Source: "Trade Show",
  },
];

beforeAll(async () => {
  h = await startHarness({ seedRecords: false });
  const { response } = await h.crm.POST("/crm/v2/{module}", { params: Leads, body: { data: people } });
  expect(response.status).toBe(201);
});
afterEach(() => {
  expect(h.emulator.stats.responseValidationFailures).toEqual([]);
});
afterAll(async () => {
  await h.close();
});

const search = (query: Record<string, string>) => h.crm.GET("/crm/v2/{module}/search", { params: { ...Leads, query } });
const lastNames = (r: Awaited<ReturnType<typeof search>>) => (r.data?.data ?? []).map((x) => x.Last_Name).sort();

describe("search", () => {
  it("criteria: equals (case-insensitive), starts_with, and/or groups", async () => {
    expect(lastNames(await search({ criteria: "(Last_Name:equals:burns)" }))).toEqual(["Burns"]);
    expect(lastNames(await search({ criteria: "(Last_Name:starts_with:Burn)" }))).toEqual(["Burns", "Burnside"]);
    expect(lastNames(await search({ criteria: "((Last_Name:starts_with:Burn)and(First_Name:equals:Lisa))" }))).toEqual(["Burnside"]);
    expect(lastNames(await search({ criteria: "((Last_Name:equals:Flanders)or(First_Name:equals:Bart))" }))).toEqual(["Burns", "Flanders"]);
    expect(
      lastNames(await search({ criteria: "(((Lead_Source:equals:Trade Show)and(Annual_Revenue:greater_than:30000))or(Last_Name:equals:Burns))" })),
    ).toEqual(["Burns", "Burnside"]);
  });

  it("criteria: not_equal, in, between, less_than, escaped values", async () => {
    expect(lastNames(await search({ criteria: "(Company:not_equal:Springfield Elementary)" }))).toEqual(["Flanders", "Montgomery"]);
    expect(lastNames(await search({ criteria: "(Lead_Source:in:Partner,Cold Call)" }))).toEqual(["Burns", "Montgomery"]);
    expect(lastNames(await search({ criteria: "(Annual_Revenue:between:10000,60000)" }))).toEqual(["Burnside", "Flanders"]);
    expect(lastNames(await search({ criteria: "(Annual_Revenue:less_than:1000)" }))).toEqual(["Burns"]);
    expect((await search({ criteria: "(Company:equals:Springfield \\(Nuclear\\))" })).response.status).toBe(204);
  });

  it("email, phone (digits) and word", async () => {
    expect(lastNames(await search({ email: "LISA@school.example" }))).toEqual(["Burnside"]);
    expect(lastNames(await search({ phone: "5550100004" }))).toEqual(["Flanders"]);
    expect(lastNames(await search({ word: "plant" }))).toEqual(["Montgomery"]);
  });

  it("no match → 204 with an empty body", async () => {
    const r = await search({ criteria: "(Last_Name:equals:Simpson)" });
    expect(r.response.status).toBe(204);
    expect(r.data).toBeUndefined();
  });

  it("bad criteria → 400 INVALID_QUERY; no search parameter → REQUIRED_PARAM_MISSING", async () => {
    expect((await search({ criteria: "(Last_Name:resembles:x)" })).error).toMatchObject({ code: "INVALID_QUERY", details: { operator: "resembles" } });
    expect((await search({ criteria: "(Nickname:equals:x)" })).error).toMatchObject({ code: "INVALID_QUERY", details: { api_name: "Nickname" } });
    expect((await search({ criteria: "(Last_Name:equals:x" })).error).toMatchObject({ code: "INVALID_QUERY" });
    expect((await search({})).error).toMatchObject({ code: "REQUIRED_PARAM_MISSING" });
  });
});

describe("COQL", () => {
  const coql = (select_query: string) => h.crm.POST("/crm/v2/coql", { body: { select_query } });

  it("select, where with and/or/like/in/between, order by, limit offset; info has count and more_records only", async () => {
    const r = await coql(
      "select Last_Name, Annual_Revenue from Leads where Company like 'Springfield%' and Annual_Revenue >= 100 order by Annual_Revenue desc limit 0, 2",
    );
    expect(r.response.status).toBe(200);
    expect(r.data!.data).toEqual([
      { Last_Name: "Montgomery", Annual_Revenue: 900000, id: expect.any(String) },
      { Last_Name: "Burnside", Annual_Revenue: 50000, id: expect.any(String) },
    ]);
    expect(r.data!.info).toEqual({ count: 2, more_records: true });
    const or = await coql(
      "select Last_Name from Leads where (Lead_Source in ('Partner', 'Cold Call') or Annual_Revenue between 10000 and 30000) order by Last_Name",
    );
    expect(or.data!.data.map((x) => x.Last_Name)).toEqual(["Burns", "Flanders", "Montgomery"]);
    const owner = await coql("select Last_Name, Owner.email from Leads where Owner.email = 'patricia.boyle@zylker.example' and Description is not null");
    expect(owner.data!.data).toEqual([{ Last_Name: "Montgomery", "Owner.email": "patricia.boyle@zylker.example", id: expect.any(String) }]);
  });

  it("no rows → 204", async () => {
    expect((await coql("select Last_Name from Leads where Last_Name = 'Nobody'")).response.status).toBe(204);
  });

  it("syntax errors → 400 SYNTAX_ERROR (missing where clause, bad tokens); unknown columns → INVALID_QUERY", async () => {
    const missing = await coql("select Last_Name from Leads");
    expect(missing.response.status).toBe(400);
    expect(missing.error).toEqual({ code: "SYNTAX_ERROR", details: { clause: "where" }, message: "missing clause", status: "error" });
    expect((await coql("select from Leads where")).error).toMatchObject({ code: "SYNTAX_ERROR" });
    expect((await coql("select * from Leads where id is not null")).error).toMatchObject({ code: "SYNTAX_ERROR" });
    expect((await coql("select Nickname from Leads where id is not null")).error).toMatchObject({
      code: "INVALID_QUERY",
      details: { column_name: "Nickname" },
    });
    expect((await coql("select Last_Name from Widgets where id is not null")).error).toMatchObject({ code: "INVALID_QUERY" });
    expect((await coql("select Last_Name from Leads where id is not null limit 5000")).error).toMatchObject({ code: "LIMIT_EXCEEDED" });
  });
});

describe("convert lead", () => {
  it("creates contact, account and deal, answers the v2 shape, hides the lead; twice → ID_ALREADY_CONVERTED", async () => {
    const lead = h.emulator.state.records("Leads").find((r) => r.Last_Name === "Flanders")!;
    const id = String(lead.id);
    const r = await h.crm.POST("/crm/v2/Leads/{id}/actions/convert", {
      params: { path: { id } },
      body: {
        data: [
          {
            overwrite: false,
            notify_lead_owner: true,
            Deals: { Deal_Name: "Left-handed scissors", Closing_Date: "2030-06-30", Stage: "Qualification", Amount: 1200 },
          },
        ],
      },
    });
    expect(r.response.status).toBe(200);
    const result = r.data!.data[0] as { Contacts: string; Deals: string; Accounts: string };
    expect(result).toEqual({ Contacts: expect.stringMatching(/^\d+$/), Deals: expect.stringMatching(/^\d+$/), Accounts: expect.stringMatching(/^\d+$/) });
    expect(h.emulator.state.record("Contacts", result.Contacts)).toMatchObject({
      Last_Name: "Flanders",
      Email: "ned@leftorium.example",
      Account_Name: { id: result.Accounts },
    });
    expect(h.emulator.state.record("Accounts", result.Accounts)).toMatchObject({ Account_Name: "Leftorium" });
    expect(h.emulator.state.record("Deals", result.Deals)).toMatchObject({
      Deal_Name: "Left-handed scissors",
      Contact_Name: { id: result.Contacts },
      Account_Name: { id: result.Accounts },
    });
    expect(h.emulator.state.record("Leads", id)).toMatchObject({ $converted: true });
    // Converted leads leave the default list and searches (converted=true shows them).
    expect((await h.crm.GET("/crm/v2/{module}/search", { params: { ...Leads, query: { criteria: "(Last_Name:equals:Flanders)" } } })).response.status).toBe(
      204,
    );
    const converted = await h.crm.GET("/crm/v2/{module}", { params: { ...Leads, query: { converted: "true" } } });
    expect(converted.data!.data.map((x) => x.id)).toEqual([id]);

    const again = await h.crm.POST("/crm/v2/Leads/{id}/actions/convert", { params: { path: { id } }, body: { data: [{}] } });
    expect(again.response.status).toBe(400);
    expect(again.error).toEqual({ code: "ID_ALREADY_CONVERTED", details: { resource_path_index: 1 }, message: "id already converted", status: "error" });
  });

  it("without Deals only a contact (and the company's account) is created; the existing account is reused", async () => {
    const lead = h.emulator.state.records("Leads").find((r) => r.Last_Name === "Burns")!;
    const accountsBefore = h.emulator.state.count("Accounts");
    const first = await h.crm.POST("/crm/v2/Leads/{id}/actions/convert", { params: { path: { id: String(lead.id) } }, body: { data: [{}] } });
    expect(first.data!.data[0]).toMatchObject({ Deals: null, Accounts: expect.any(String) });
    const sibling = h.emulator.state.records("Leads").find((r) => r.Last_Name === "Burnside")!;
    const second = await h.crm.POST("/crm/v2/Leads/{id}/actions/convert", { params: { path: { id: String(sibling.id) } }, body: { data: [{}] } });
    expect((second.data!.data[0] as { Accounts: string }).Accounts).toBe((first.data!.data[0] as { Accounts: string }).Accounts);
    expect(h.emulator.state.count("Accounts")).toBe(accountsBefore + 1);
  });

  it("an invalid deal is rejected before anything is saved", async () => {
    const lead = h.emulator.state.records("Leads").find((r) => r.Last_Name === "Montgomery")!;
    const contacts = h.emulator.state.count("Contacts");
    const r = await h.crm.POST("/crm/v2/Leads/{id}/actions/convert", {
      params: { path: { id: String(lead.id) } },
      body: { data: [{ Deals: { Deal_Name: "No stage", Closing_Date: "2030-01-01" } }] },
    });
    expect(r.error).toMatchObject({ data: [{ code: "MANDATORY_NOT_FOUND", details: { api_name: "Stage" } }] });
    expect(h.emulator.state.count("Contacts")).toBe(contacts);
    expect(h.emulator.state.record("Leads", String(lead.id))).toMatchObject({ $converted: false });
    const unknown = await h.crm.POST("/crm/v2/Leads/{id}/actions/convert", { params: { path: { id: "1234567890123456789" } }, body: { data: [{}] } });
    expect(unknown.error).toMatchObject({ code: "INVALID_DATA" });
  });
});
