/**
 * Metadata through Zoho's SDK: ModulesOperations (list, one, update by API name and by id),
 * FieldsOperations (Notes' Parent_Id lookup names se_module, deviation 6), LayoutsOperations,
 * CustomViewsOperations and RelatedListsOperations, each compared with the emulator's own model.
 */
import { expect } from "vitest";
import { modelOf, successes } from "../checks.js";
import type { AreaContext } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";

const { ModulesOperations } = zohoApi("modules/modules_operations");
const { ResponseWrapper: ModulesResponseWrapper } = zohoApi("modules/response_wrapper");
const { BodyWrapper: ModulesBodyWrapper } = zohoApi("modules/body_wrapper");
const { ActionWrapper: ModulesActionWrapper } = zohoApi("modules/action_wrapper");
const { SuccessResponse: ModulesSuccess } = zohoApi("modules/success_response");
const { Module } = zohoApi("modules/module");
const { FieldsOperations } = zohoApi("fields/fields_operations");
const { ResponseWrapper: FieldsResponseWrapper } = zohoApi("fields/response_wrapper");
const { LayoutsOperations } = zohoApi("layouts/layouts_operations");
const { ResponseWrapper: LayoutsResponseWrapper } = zohoApi("layouts/response_wrapper");
const { CustomViewsOperations } = zohoApi("custom_views/custom_views_operations");
const { ResponseWrapper: CustomViewsResponseWrapper } = zohoApi("custom_views/response_wrapper");
const { RelatedListsOperations } = zohoApi("related_lists/related_lists_operations");
const { ResponseWrapper: RelatedListsResponseWrapper } = zohoApi("related_lists/response_wrapper");

const AREA = "metadata";

function relabel(singular: string, plural: string): ZohoValue {
  const module = new Module();
  module.setSingularLabel(singular);
  module.setPluralLabel(plural);
  const body = new ModulesBodyWrapper();
  body.setModules([module]);
  return body;
}

export async function metadataArea(ctx: AreaContext): Promise<void> {
  const { ledger, session } = ctx;
  const modulesOps = new ModulesOperations();
  const tasks = session.emulator.state.crm.module("Tasks")!;

  await ledger.ok(AREA, "ModulesOperations.getModules", async () => {
    const names = modelOf(await modulesOps.getModules(), ModulesResponseWrapper)
      .getModules()
      .map((m: ZohoValue) => m.getAPIName());
    for (const name of ["Leads", "Contacts", "Accounts", "Deals", "Notes"]) expect(names).toContain(name);
  });
  await ledger.ok(AREA, "ModulesOperations.getModule", async () => {
    const [leads] = modelOf(await modulesOps.getModule("Leads"), ModulesResponseWrapper).getModules();
    expect([leads.getAPIName(), leads.getSingularLabel(), leads.getConvertable()]).toEqual(["Leads", "Lead", true]);
  });
  await ledger.ok(AREA, "ModulesOperations.updateModuleByAPIName", async () => {
    successes(modelOf(await modulesOps.updateModuleByAPIName("Tasks", relabel("To-do", "To-dos")), ModulesActionWrapper).getModules(), ModulesSuccess);
    const [updated] = modelOf(await modulesOps.getModule("Tasks"), ModulesResponseWrapper).getModules();
    expect([updated.getSingularLabel(), updated.getPluralLabel()]).toEqual(["To-do", "To-dos"]);
  });
  await ledger.ok(AREA, "ModulesOperations.updateModuleById", async () => {
    successes(modelOf(await modulesOps.updateModuleById(BigInt(tasks.id), relabel("Task", "Tasks")), ModulesActionWrapper).getModules(), ModulesSuccess);
    expect([tasks.singular, tasks.plural]).toEqual(["Task", "Tasks"]);
  });

  const noteFields = await ledger.ok(AREA, "FieldsOperations.getFields", async () => {
    const fields = modelOf(await new FieldsOperations("Notes").getFields(), FieldsResponseWrapper).getFields();
    const parent = fields.find((f: ZohoValue) => f.getAPIName() === "Parent_Id");
    expect([parent.getDataType(), parent.getLookup().getModule()]).toEqual(["lookup", "se_module"]);
    return fields;
  });
  await ledger.ok(AREA, "FieldsOperations.getField", async () => {
    const content = noteFields.find((f: ZohoValue) => f.getAPIName() === "Note_Content");
    const [one] = modelOf(await new FieldsOperations("Notes").getField(content.getId()), FieldsResponseWrapper).getFields();
    expect([one.getAPIName(), one.getDataType(), String(one.getId())]).toEqual(["Note_Content", "textarea", String(content.getId())]);
  });

  const layouts = await ledger.ok(AREA, "LayoutsOperations.getLayouts", async () => {
    const all = modelOf(await new LayoutsOperations("Leads").getLayouts(), LayoutsResponseWrapper).getLayouts();
    const fields = all[0].getSections().flatMap((s: ZohoValue) => s.getFields().map((f: ZohoValue) => f.getAPIName()));
    expect(fields).toContain("Last_Name");
    return all;
  });
  await ledger.ok(AREA, "LayoutsOperations.getLayout", async () => {
    const [one] = modelOf(await new LayoutsOperations("Leads").getLayout(layouts[0].getId()), LayoutsResponseWrapper).getLayouts();
    expect([String(one.getId()), one.getName()]).toEqual([String(layouts[0].getId()), layouts[0].getName()]);
  });

  const views = await ledger.ok(AREA, "CustomViewsOperations.getCustomViews", async () => {
    const all = modelOf(await new CustomViewsOperations("Contacts").getCustomViews(), CustomViewsResponseWrapper).getCustomViews();
    expect(all.map((v: ZohoValue) => v.getSystemName())).toEqual(expect.arrayContaining(["ALLVIEWS", "MYVIEWS"]));
    return all;
  });
  await ledger.ok(AREA, "CustomViewsOperations.getCustomView", async () => {
    const mine = views.find((v: ZohoValue) => v.getSystemName() === "MYVIEWS");
    const [one] = modelOf(await new CustomViewsOperations("Contacts").getCustomView(mine.getId()), CustomViewsResponseWrapper).getCustomViews();
    // The v2 custom-view criteria: a field name, as territories now use too.
    expect([one.getName(), one.getCriteria().getField()]).toEqual([mine.getName(), "Owner"]);
  });

  const lists = await ledger.ok(AREA, "RelatedListsOperations.getRelatedLists", async () => {
    const all = modelOf(await new RelatedListsOperations("Accounts").getRelatedLists(), RelatedListsResponseWrapper).getRelatedLists();
    expect(all.map((l: ZohoValue) => l.getAPIName())).toEqual(expect.arrayContaining(["Contacts", "Deals"]));
    return all;
  });
  await ledger.ok(AREA, "RelatedListsOperations.getRelatedList", async () => {
    const contacts = lists.find((l: ZohoValue) => l.getAPIName() === "Contacts");
    const [one] = modelOf(await new RelatedListsOperations("Accounts").getRelatedList(contacts.getId()), RelatedListsResponseWrapper).getRelatedLists();
    expect([one.getAPIName(), one.getModule()]).toEqual(["Contacts", "Contacts"]);
  });
}
