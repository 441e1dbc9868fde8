/**
 * Records through Zoho's SDK (RecordOperations): create, read, update, upsert, search, external
 * ids, photos, mass update, convert, delete and the recycle bin. Every value written is read back.
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes, choiceValue } from "../checks.js";
import { type AreaContext, big, choice, downloaded, headers, params, uploadFile } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";

const R = zohoApi("record/record_operations");
const { RecordOperations } = R;
const { BodyWrapper } = zohoApi("record/body_wrapper");
const { Record: ZohoRecord } = zohoApi("record/record");
const { ResponseWrapper } = zohoApi("record/response_wrapper");
const { ActionWrapper } = zohoApi("record/action_wrapper");
const { SuccessResponse } = zohoApi("record/success_response");
const { FileBodyWrapper } = zohoApi("record/file_body_wrapper");
const { DeletedRecordsWrapper } = zohoApi("record/deleted_records_wrapper");
const { MassUpdateBodyWrapper } = zohoApi("record/mass_update_body_wrapper");
const { MassUpdateActionWrapper } = zohoApi("record/mass_update_action_wrapper");
const { MassUpdateSuccessResponse } = zohoApi("record/mass_update_success_response");
const { MassUpdateResponseWrapper } = zohoApi("record/mass_update_response_wrapper");
const { MassUpdate } = zohoApi("record/mass_update");
const { Criteria } = zohoApi("record/criteria");
const { CustomViewsOperations } = zohoApi("custom_views/custom_views_operations");
const { ResponseWrapper: CustomViewsResponseWrapper } = zohoApi("custom_views/response_wrapper");
const { ConvertBodyWrapper } = zohoApi("record/convert_body_wrapper");
const { LeadConverter } = zohoApi("record/lead_converter");
const { ConvertActionWrapper } = zohoApi("record/convert_action_wrapper");
const { SuccessfulConvert } = zohoApi("record/successful_convert");

const AREA = "records";
/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

export function record(values: Record<string, unknown>): ZohoValue {
  const r = new ZohoRecord();
  for (const [key, value] of Object.entries(values)) r.addKeyValue(key, value);
  return r;
}

export function body(...records: Array<ZohoValue>): ZohoValue {
  const b = new BodyWrapper();
  b.setData(records);
  return b;
}

/** Creates records through the SDK and returns their ids (each result must be a SuccessResponse). */
export async function createRecords(ctx: AreaContext, module: string, rows: Array<Record<string, unknown>>): Promise<string[]> {
  return ctx.ledger.ok(AREA, "RecordOperations.createRecords", async () => {
    const response = await new RecordOperations().createRecords(module, body(...rows.map(record)));
    return successes(modelOf(response, ActionWrapper).getData(), SuccessResponse).map((item) => String(detailsOf(item).id));
  });
}

async function readRecord(ctx: AreaContext, id: string, module = "Leads"): Promise<ZohoValue> {
  return ctx.ledger.ok(AREA, "RecordOperations.getRecord", async () => {
    const [one] = modelOf(await new RecordOperations().getRecord(big(id), module), ResponseWrapper).getData();
    expect(String(one.getId())).toBe(id);
    return one;
  });
}

export async function recordsArea(ctx: AreaContext): Promise<void> {
  const ops = new RecordOperations();
  const { ledger } = ctx;
  const [leadA, leadB, leadC] = await createRecords(ctx, "Leads", [
    { Last_Name: "Sdk-Alpha", First_Name: "Ada", Company: "Zoho SDK Co", Email: "sdk.alpha@example.com", External_Lead_ID: "ext-alpha" },
    { Last_Name: "Sdk-Beta", Company: "Zoho SDK Co", Email: "sdk.beta@example.com", External_Lead_ID: "ext-beta" },
    { Last_Name: "Sdk-Gamma", Company: "Zoho SDK Co", Email: "sdk.gamma@example.com", External_Lead_ID: "ext-gamma" },
  ]);
  const a = await readRecord(ctx, leadA!);
  expect([a.getKeyValue("Last_Name"), a.getKeyValue("First_Name"), a.getKeyValue("Email")]).toEqual(["Sdk-Alpha", "Ada", "sdk.alpha@example.com"]);

  await ledger.ok(AREA, "RecordOperations.updateRecord", async () => {
    successes(modelOf(await ops.updateRecord(big(leadA), "Leads", body(record({ Company: "Renamed Co" }))), ActionWrapper).getData(), SuccessResponse);
  });
  expect((await readRecord(ctx, leadA!)).getKeyValue("Company")).toBe("Renamed Co");

  await ledger.ok(AREA, "RecordOperations.getRecords", async () => {
    const list = modelOf(await ops.getRecords("Leads", await params([R.GetRecordsParam.IDS, `${leadA},${leadB}`])), ResponseWrapper).getData();
    expect(list.map((r: ZohoValue) => r.getKeyValue("Last_Name")).sort()).toEqual(["Sdk-Alpha", "Sdk-Beta"]);
  });

  await ledger.ok(AREA, "RecordOperations.updateRecords", async () => {
    const changed = record({ Designation: "CTO" });
    changed.setId(big(leadB));
    successes(modelOf(await ops.updateRecords("Leads", body(changed)), ActionWrapper).getData(), SuccessResponse);
  });
  expect((await readRecord(ctx, leadB!)).getKeyValue("Designation")).toBe("CTO");

  await ledger.ok(AREA, "RecordOperations.upsertRecords", async () => {
    const upsert = body(record({ Last_Name: "Sdk-Beta", Email: "sdk.beta@example.com", Company: "Upserted Co" }));
    upsert.setDuplicateCheckFields(["Email"]);
    const [item] = successes(modelOf(await ops.upsertRecords("Leads", upsert), ActionWrapper).getData(), SuccessResponse);
    expect(String(detailsOf(item).id)).toBe(leadB);
  });
  expect((await readRecord(ctx, leadB!)).getKeyValue("Company")).toBe("Upserted Co");

  await ledger.ok(AREA, "RecordOperations.searchRecords", async () => {
    const found = modelOf(await ops.searchRecords("Leads", await params([R.SearchRecordsParam.EMAIL, "sdk.gamma@example.com"])), ResponseWrapper).getData();
    expect(found.map((r: ZohoValue) => String(r.getId()))).toEqual([leadC]);
  });

  const external = await headers([R.GetRecordUsingExternalIDHeader.X_EXTERNAL, "Leads.External_Lead_ID"]);
  await ledger.ok(AREA, "RecordOperations.getRecordUsingExternalId", async () => {
    const [one] = modelOf(await ops.getRecordUsingExternalId("ext-alpha", "Leads", undefined, external), ResponseWrapper).getData();
    expect(String(one.getId())).toBe(leadA);
  });
  await ledger.ok(AREA, "RecordOperations.updateRecordUsingExternalId", async () => {
    const h = await headers([R.UpdateRecordUsingExternalIDHeader.X_EXTERNAL, "Leads.External_Lead_ID"]);
    successes(
      modelOf(await ops.updateRecordUsingExternalId("ext-alpha", "Leads", body(record({ City: "Lisbon" })), h), ActionWrapper).getData(),
      SuccessResponse,
    );
  });
  expect((await readRecord(ctx, leadA!)).getKeyValue("City")).toBe("Lisbon");

  await ledger.ok(AREA, "RecordOperations.uploadPhoto", async () => {
    const upload = new FileBodyWrapper();
    upload.setFile(await uploadFile(ctx, "lead.png", PNG));
    const result = modelOf(await ops.uploadPhoto(big(leadA), "Leads", upload), SuccessResponse);
    expect(choiceValue(result.getStatus())).toBe("success");
  });
  await ledger.ok(AREA, "RecordOperations.getPhoto", async () => {
    const photo = modelOf(await ops.getPhoto(big(leadA), "Leads"), FileBodyWrapper);
    expect(photo.getFile().getName()).toBe("lead.png");
    expect(Buffer.compare(await downloaded(photo.getFile()), PNG)).toBe(0);
  });
  await ledger.ok(AREA, "RecordOperations.deletePhoto", async () => {
    expect(choiceValue(modelOf(await ops.deletePhoto(big(leadA), "Leads"), SuccessResponse).getStatus())).toBe("success");
    expect((await ops.getPhoto(big(leadA), "Leads")).getStatusCode()).toBe(204);
  });

  // A scheduled mass update: a custom view (read through the SDK too) and criteria on Company.
  const allLeads = await ledger.ok(AREA, "CustomViewsOperations.getCustomViews", async () => {
    const views = modelOf(await new CustomViewsOperations("Leads").getCustomViews(), CustomViewsResponseWrapper).getCustomViews();
    return views.find((v: ZohoValue) => v.getSystemName() === "ALLVIEWS");
  });
  const jobId = await ledger.ok(AREA, "RecordOperations.massUpdateRecords", async () => {
    const mass = new MassUpdateBodyWrapper();
    mass.setData([record({ Lead_Status: choice("Contacted") })]);
    mass.setCvid(String(allLeads.getId()));
    const criterion = new Criteria();
    criterion.setField("Company");
    criterion.setComparator(choice("equal"));
    criterion.setValue("Zoho SDK Co");
    mass.setCriteria([criterion]);
    const [item] = successes(modelOf(await ops.massUpdateRecords("Leads", mass), MassUpdateActionWrapper).getData(), MassUpdateSuccessResponse);
    return String(detailsOf(item).job_id);
  });
  ctx.session.emulator.state.advanceClock(5_000); // the job runs on the emulator clock
  await ledger.ok(AREA, "RecordOperations.getMassUpdateStatus", async () => {
    const [status] = modelOf(
      await ops.getMassUpdateStatus("Leads", await params([R.GetMassUpdateStatusParam.JOB_ID, jobId])),
      MassUpdateResponseWrapper,
    ).getData();
    expect(status).toBeInstanceOf(MassUpdate);
    // Sdk-Gamma is the only lead still at "Zoho SDK Co" (Alpha was renamed, Beta upserted).
    expect([choiceValue(status.getStatus()), status.getUpdatedCount(), status.getTotalCount()]).toEqual(["COMPLETED", 1, 1]);
  });
  expect(choiceValue((await readRecord(ctx, leadC!)).getKeyValue("Lead_Status"))).toBe("Contacted");

  await ledger.ok(AREA, "RecordOperations.convertLead", async () => {
    const converter = new LeadConverter();
    converter.setOverwrite(true);
    converter.setNotifyLeadOwner(false);
    const wrapper = new ConvertBodyWrapper();
    wrapper.setData([converter]);
    const [converted] = modelOf(await ops.convertLead(big(leadC), wrapper), ConvertActionWrapper).getData();
    expect(converted).toBeInstanceOf(SuccessfulConvert);
    const contact = await readRecord(ctx, converted.getContacts(), "Contacts");
    expect(contact.getKeyValue("Last_Name")).toBe("Sdk-Gamma");
  });

  await ledger.ok(AREA, "RecordOperations.deleteRecordUsingExternalId", async () => {
    const h = await headers([R.DeleteRecordUsingExternalIDHeader.X_EXTERNAL, "Leads.External_Lead_ID"]);
    successes(modelOf(await ops.deleteRecordUsingExternalId("ext-beta", "Leads", undefined, h), ActionWrapper).getData(), SuccessResponse);
  });
  const [leadD, leadE] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Delta" }, { Last_Name: "Sdk-Epsilon" }]);
  await ledger.ok(AREA, "RecordOperations.deleteRecord", async () => {
    successes(modelOf(await ops.deleteRecord(big(leadA), "Leads"), ActionWrapper).getData(), SuccessResponse);
  });
  await ledger.ok(AREA, "RecordOperations.deleteRecords", async () => {
    const items = successes(
      modelOf(await ops.deleteRecords("Leads", await params([R.DeleteRecordsParam.IDS, `${leadD},${leadE}`])), ActionWrapper).getData(),
      SuccessResponse,
    );
    expect(items.map((i) => String(detailsOf(i).id)).sort()).toEqual([leadD, leadE].sort());
  });
  await ledger.ok(AREA, "RecordOperations.getDeletedRecords", async () => {
    const deleted = modelOf(await ops.getDeletedRecords("Leads", await params([R.GetDeletedRecordsParam.TYPE, "recycle"])), DeletedRecordsWrapper).getData();
    const ids = deleted.map((d: ZohoValue) => String(d.getId()));
    for (const id of [leadA, leadB, leadD, leadE]) expect(ids).toContain(id);
  });
}
