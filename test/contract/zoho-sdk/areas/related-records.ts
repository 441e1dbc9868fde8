/**
 * Related records through Zoho's SDK (RelatedRecordsOperations): a lead's Products related list,
 * by record id and by the lead's external id (`X-EXTERNAL: Leads.External_Lead_ID`, which the SDK
 * sends from its constructor): relate, read, update, delink.
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes } from "../checks.js";
import { type AreaContext, big, params } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const RR = zohoApi("related_records/related_records_operations");
const { RelatedRecordsOperations } = RR;
const { BodyWrapper } = zohoApi("related_records/body_wrapper");
const { ResponseWrapper } = zohoApi("related_records/response_wrapper");
const { ActionWrapper } = zohoApi("related_records/action_wrapper");
const { SuccessResponse } = zohoApi("related_records/success_response");
const { Record: ZohoRecord } = zohoApi("record/record");

const AREA = "related records";
const EXTERNAL = "Leads.External_Lead_ID";

/** A body relating these records (ids only). */
function relate(...ids: string[]): ZohoValue {
  const body = new BodyWrapper();
  body.setData(
    ids.map((id) => {
      const r = new ZohoRecord();
      r.setId(big(id));
      return r;
    }),
  );
  return body;
}

const idsOf = (records: ZohoValue[]): string[] => records.map((r) => String(r.getId())).sort();

export async function relatedRecordsArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const [lead] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Related", External_Lead_ID: "ext-related" }]);
  const products = await createRecords(ctx, "Products", [
    { Product_Name: "Sdk Widget" },
    { Product_Name: "Sdk Gadget" },
    { Product_Name: "Sdk Gizmo" },
    { Product_Name: "Sdk Doohickey" },
  ]);
  const [p1, p2, p3, p4] = products as [string, string, string, string];
  const byId = new RelatedRecordsOperations("Products", "Leads");
  const byExternal = new RelatedRecordsOperations("Products", "Leads", EXTERNAL);
  const related = async (): Promise<string[]> => idsOf(modelOf(await byId.getRelatedRecords(big(lead)), ResponseWrapper).getData());

  await ledger.ok(AREA, "RelatedRecordsOperations.updateRelatedRecords", async () => {
    const items = successes(modelOf(await byId.updateRelatedRecords(big(lead), relate(p1, p2)), ActionWrapper).getData(), SuccessResponse);
    expect(items.map((i) => String(detailsOf(i).id)).sort()).toEqual([p1, p2].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.getRelatedRecords", async () => {
    expect(await related()).toEqual([p1, p2].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.getRelatedRecord", async () => {
    const [one] = modelOf(await byId.getRelatedRecord(big(p1), big(lead)), ResponseWrapper).getData();
    expect([String(one.getId()), one.getKeyValue("Product_Name")]).toEqual([p1, "Sdk Widget"]);
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.updateRelatedRecord", async () => {
    successes(modelOf(await byId.updateRelatedRecord(big(p3), big(lead), relate(p3)), ActionWrapper).getData(), SuccessResponse);
    expect(await related()).toEqual([p1, p2, p3].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.delinkRecord", async () => {
    successes(modelOf(await byId.delinkRecord(big(p3), big(lead)), ActionWrapper).getData(), SuccessResponse);
    expect(await related()).toEqual([p1, p2].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.delinkRecords", async () => {
    successes(modelOf(await byId.delinkRecords(big(lead), await params([RR.DelinkRecordsParam.IDS, p2])), ActionWrapper).getData(), SuccessResponse);
    expect(await related()).toEqual([p1]);
  });

  // The same list, the lead named by its external id.
  await ledger.ok(AREA, "RelatedRecordsOperations.updateRelatedRecordsUsingExternalId", async () => {
    successes(modelOf(await byExternal.updateRelatedRecordsUsingExternalId("ext-related", relate(p2, p3)), ActionWrapper).getData(), SuccessResponse);
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.getRelatedRecordsUsingExternalId", async () => {
    expect(idsOf(modelOf(await byExternal.getRelatedRecordsUsingExternalId("ext-related"), ResponseWrapper).getData())).toEqual([p1, p2, p3].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.getRelatedRecordUsingExternalId", async () => {
    const [one] = modelOf(await byExternal.getRelatedRecordUsingExternalId(p2, "ext-related"), ResponseWrapper).getData();
    expect(one.getKeyValue("Product_Name")).toBe("Sdk Gadget");
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.updateRelatedRecordUsingExternalId", async () => {
    successes(modelOf(await byExternal.updateRelatedRecordUsingExternalId(p4, "ext-related", relate(p4)), ActionWrapper).getData(), SuccessResponse);
    expect(await related()).toEqual([p1, p2, p3, p4].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.deleteRelatedRecordUsingExternalId", async () => {
    successes(modelOf(await byExternal.deleteRelatedRecordUsingExternalId(p4, "ext-related"), ActionWrapper).getData(), SuccessResponse);
    expect(await related()).toEqual([p1, p2, p3].sort());
  });
  await ledger.ok(AREA, "RelatedRecordsOperations.deleteRelatedRecordsUsingExternalId", async () => {
    const ids = await params([RR.DeleteRelatedRecordsUsingExternalIDParam.IDS, `${p2},${p3}`]);
    successes(modelOf(await byExternal.deleteRelatedRecordsUsingExternalId("ext-related", ids), ActionWrapper).getData(), SuccessResponse);
    expect(await related()).toEqual([p1]);
  });
}
