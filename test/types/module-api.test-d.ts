/**
 * Type tests of `crm.module()` (issue 16): standard modules are typed out of the box by the shipped
 * standard types (generated/standard-modules.ts), field names are checked wherever the API takes
 * them, other module names get the spec's open record, and org types from `zcrm gen-types` take
 * precedence module by module. Run by vitest's typecheck mode; every `@ts-expect-error` must be an
 * error (an unused directive fails the run).
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  createModuleApi,
  createZohoCRM,
  type components,
  type GenericOrg,
  type ModuleTypesOf,
  type NoOrgTypes,
  type StandardModuleName,
  type StandardModules,
  type StandardTypes,
} from "../../src/index.js";

type OpenRecord = components["schemas"]["Record"];
const crm = createZohoCRM({ accessToken: "static", apiBaseUrl: "http://127.0.0.1:1" });

/** What `zcrm gen-types` writes for an org, reduced: Leads with a custom field and a custom picklist value, and a custom module. */
interface OrgLeads {
  readonly id: string;
  Last_Name: string;
  Lead_Source?: "Web" | "Carrier Pigeon" | null;
  Region__c?: string | null;
}
interface OrgLeadsCreate {
  Last_Name: string;
  Lead_Source?: "Web" | "Carrier Pigeon" | null;
  Region__c?: string | null;
}
interface Widgets {
  readonly id: string;
  Widget_Name: string;
}
type OrgModules = {
  Leads: { record: OrgLeads; create: OrgLeadsCreate; update: Partial<OrgLeadsCreate> & { id: string } };
  Widgets: { record: Widgets; create: Omit<Widgets, "id">; update: Partial<Omit<Widgets, "id">> & { id: string } };
};

describe("crm.module() on a standard module", () => {
  it("types records by the standard fields: mandatory text non-null, others optional and nullable, picklists as unions, lookups as {id, name?}", async () => {
    const page = await crm.module("Leads").list();
    const lead = page.records[0]!;
    expectTypeOf(lead).not.toBeAny();
    expectTypeOf(lead).toEqualTypeOf<StandardTypes.Leads>();
    expectTypeOf(lead.Last_Name).toEqualTypeOf<string>();
    expectTypeOf(lead.id).toEqualTypeOf<string>();
    expectTypeOf(lead.Email).toEqualTypeOf<string | null | undefined>();
    expectTypeOf(lead.No_of_Employees).toEqualTypeOf<number | null | undefined>();
    expectTypeOf(lead.Email_Opt_Out).toEqualTypeOf<boolean | null | undefined>();
    expectTypeOf(lead.Lead_Source).toEqualTypeOf<StandardTypes.Leads_Lead_Source | null | undefined>();
    expectTypeOf<"Web Download">().toMatchTypeOf<StandardTypes.Leads_Lead_Source>();
    expectTypeOf<"Carrier Pigeon">().not.toMatchTypeOf<StandardTypes.Leads_Lead_Source>();
    expectTypeOf(lead.Owner).toEqualTypeOf<{ id: string; name?: string } | null | undefined>();
    expectTypeOf(lead.Tag).toEqualTypeOf<Array<{ name: string; id: string }> | undefined>();
    // @ts-expect-error a field Leads does not have
    void lead.Bogus_Field;
    // @ts-expect-error read-only fields cannot be assigned
    lead.Created_Time = "2020-01-01T00:00:00+00:00";

    const deal = (await crm.module("Deals").get("1"))!;
    expectTypeOf(deal.Deal_Name).toEqualTypeOf<string>();
    expectTypeOf(deal.Stage).toEqualTypeOf<StandardTypes.Deals_Stage>();
    expectTypeOf(deal.Closing_Date).toEqualTypeOf<string>();
    expectTypeOf(deal.Account_Name).toEqualTypeOf<StandardTypes.ZohoLookup | null | undefined>();
    for await (const task of crm.module("Tasks").iterate()) expectTypeOf(task.Subject).toEqualTypeOf<string>();
  });

  it("ships the required standard modules", () => {
    expectTypeOf<"Leads" | "Contacts" | "Accounts" | "Deals" | "Tasks" | "Events" | "Calls" | "Products" | "Notes">().toMatchTypeOf<StandardModuleName>();
    expectTypeOf<ModuleTypesOf<NoOrgTypes, "Leads">>().toEqualTypeOf<StandardModules["Leads"]>();
  });

  it("accepts only the module's field names in fields, sortBy and duplicateCheckFields", async () => {
    const leads = crm.module("Leads");
    for await (const lead of leads.iterate({ fields: ["Last_Name", "Email"], sortBy: "Created_Time", maxRecords: 5 })) void lead;
    await leads.list({ fields: ["Last_Name"], page: 2 });
    await leads.get("1", { fields: ["Lead_Source"] });
    await leads.search({ word: "Boyle" }, { fields: ["Company"] });
    for await (const page of leads.pages({ fields: ["Last_Name"] })) void page;
    await leads.upsert([{ Last_Name: "x" }], { duplicateCheckFields: ["Email"] });
    // @ts-expect-error not a Leads field
    leads.iterate({ fields: ["Bogus"] });
    // @ts-expect-error not a Leads field
    await leads.list({ fields: ["Last_Name", "Bogus"] });
    // @ts-expect-error not a Leads field
    await leads.get("1", { fields: ["Bogus"] });
    // @ts-expect-error not a Leads field
    await leads.search({ word: "Boyle" }, { fields: ["Bogus"] });
    // @ts-expect-error not a Leads field
    leads.pages({ fields: ["Bogus"] });
    // @ts-expect-error not a Leads field
    await leads.list({ sortBy: "Bogus" });
    // @ts-expect-error not a Leads field
    await leads.upsert([{ Last_Name: "x" }], { duplicateCheckFields: ["Bogus"] });
    // @ts-expect-error a Deals field, not a Leads one
    leads.iterate({ fields: ["Deal_Name"] });
  });

  it("types create and update inputs: mandatory fields required, read-only and unknown fields rejected, update needs an id", async () => {
    const leads = crm.module("Leads");
    const created = await leads.create([{ Last_Name: "Boyle", Lead_Source: "Web Download", Email: null, Owner: { id: "1" } }]);
    expectTypeOf(created.succeeded[0]!.input).toEqualTypeOf<StandardTypes.LeadsCreate | undefined>();
    await leads.update([{ id: "1", Lead_Status: "Contacted" }]);
    await crm.module("Deals").create([{ Deal_Name: "x", Stage: "Qualification", Closing_Date: "2025-01-01", Account_Name: { id: "1" } }]);
    // @ts-expect-error Last_Name is mandatory on a Leads insert
    await leads.create([{ Company: "Acme" }]);
    // @ts-expect-error Stage and Closing_Date are mandatory on a Deals insert
    await crm.module("Deals").create([{ Deal_Name: "x" }]);
    // @ts-expect-error not a Leads field
    await leads.create([{ Last_Name: "x", Bogus_Field: 1 }]);
    // @ts-expect-error not a Lead Source value
    await leads.create([{ Last_Name: "x", Lead_Source: "Carrier Pigeon" }]);
    // @ts-expect-error Full_Name is read-only
    await leads.create([{ Last_Name: "x", Full_Name: "y" }]);
    // @ts-expect-error a number into a text field
    await leads.create([{ Last_Name: 42 }]);
    // @ts-expect-error an update needs the record's id
    await leads.update([{ Last_Name: "x" }]);
    // @ts-expect-error a mandatory field cannot be cleared
    await leads.update([{ id: "1", Last_Name: null }]);
  });
});

describe("crm.module() on any other module", () => {
  it("takes and returns the spec's open record, any field name", async () => {
    const widgets = crm.module("My_Widgets");
    const page = await widgets.list({ fields: ["Anything__c"], sortBy: "Whatever" });
    expectTypeOf(page.records[0]!).toEqualTypeOf<OpenRecord>();
    expectTypeOf(page.records[0]!.Anything__c).toBeUnknown();
    await widgets.create([{ Anything__c: 1 }]);
    for await (const record of widgets.iterate({ fields: ["Anything__c"] })) expectTypeOf(record).toEqualTypeOf<OpenRecord>();
    // A module name only known at run time is a custom module too.
    const name: string = "Leads";
    expectTypeOf((await crm.module(name).list()).records[0]!).toEqualTypeOf<OpenRecord>();
  });
});

describe("org types from zcrm gen-types", () => {
  const org = crm.modules<OrgModules>();

  it("take precedence for the modules they have: custom fields and the org's picklist values", async () => {
    const lead = (await org("Leads").list()).records[0]!;
    expectTypeOf(lead).toEqualTypeOf<OrgLeads>();
    expectTypeOf(lead.Region__c).toEqualTypeOf<string | null | undefined>();
    await org("Leads").create([{ Last_Name: "x", Lead_Source: "Carrier Pigeon", Region__c: "EU" }]);
    await org("Leads").list({ fields: ["Region__c"] });
    // @ts-expect-error the org's Leads types have no such field
    await org("Leads").list({ fields: ["Bogus"] });
    // @ts-expect-error the org's Leads types have no such field
    void lead.Bogus_Field;
    const widget = (await org("Widgets").get("1"))!;
    expectTypeOf(widget.Widget_Name).toEqualTypeOf<string>();
    // @ts-expect-error Widget_Name is mandatory in the org's types
    await org("Widgets").create([{}]);
  });

  it("fall back to the standard types for standard modules the org types lack, then to the open record", async () => {
    const deal = (await org("Deals").list()).records[0]!;
    expectTypeOf(deal).toEqualTypeOf<StandardTypes.Deals>();
    // @ts-expect-error the standard Deals fields
    await org("Deals").list({ fields: ["Bogus"] });
    const other = (await org("Gadgets").list()).records[0]!;
    expectTypeOf(other).toEqualTypeOf<OpenRecord>();
  });

  it("createModuleApi<Org>(crm) and the forUser view type the same way as crm.modules<Org>() and crm.module", async () => {
    expectTypeOf(createModuleApi<OrgModules>(crm)).toEqualTypeOf(org);
    expectTypeOf(createModuleApi(crm)).toEqualTypeOf(crm.module);
    const view = crm.forUser("other@example.com");
    expectTypeOf(view.module).toEqualTypeOf(crm.module);
    expectTypeOf(view.modules<OrgModules>()).toEqualTypeOf(org);
    expectTypeOf((await view.module("Leads").list()).records[0]!.Last_Name).toEqualTypeOf<string>();
    // @ts-expect-error not a Leads field
    view.module("Leads").iterate({ fields: ["Bogus"] });
    expectTypeOf((await view.modules<OrgModules>()("Leads").list()).records[0]!).toEqualTypeOf<OrgLeads>();
  });

  it("GenericOrg opts out: every module gets the open record", async () => {
    const leads = crm.modules<GenericOrg>()("Leads");
    const lead = (await leads.list({ fields: ["Anything"] })).records[0]!;
    expectTypeOf(lead).toEqualTypeOf<OpenRecord>();
  });
});
