/**
 * Bulk read and bulk write through Zoho's SDK. Jobs complete on the emulator's manual clock (the
 * suite advances it, never waits). Job details carry the v2 shapes the SDK reads (`query.module` a
 * string: deviation 2) and downloads a quoted file name (deviation 4).
 */
import { expect } from "vitest";
import { BULK_COMPLETED_MS } from "../../../../src/emulator/crm-routes/bulk-read-routes.js";
import { parseCsv } from "../../../../src/emulator/csv-codec.js";
import { readZip, writeZip } from "../../../../src/emulator/zip.js";
import { detailsOf, modelOf, successes, choiceValue } from "../checks.js";
import { type AreaContext, big, choice, downloaded, headers, uploadFile } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const { BulkReadOperations } = zohoApi("bulk_read/bulk_read_operations");
const { RequestWrapper: ReadRequest } = zohoApi("bulk_read/request_wrapper");
const { Query } = zohoApi("bulk_read/query");
const { Criteria: ReadCriteria } = zohoApi("bulk_read/criteria");
const { ActionWrapper: ReadActionWrapper } = zohoApi("bulk_read/action_wrapper");
const { SuccessResponse: ReadSuccess } = zohoApi("bulk_read/success_response");
const { ResponseWrapper: ReadResponse } = zohoApi("bulk_read/response_wrapper");
const { FileBodyWrapper: ReadFile } = zohoApi("bulk_read/file_body_wrapper");
const W = zohoApi("bulk_write/bulk_write_operations");
const { BulkWriteOperations } = W;
const { FileBodyWrapper: WriteFile } = zohoApi("bulk_write/file_body_wrapper");
const { RequestWrapper: WriteRequest } = zohoApi("bulk_write/request_wrapper");
const { Resource } = zohoApi("bulk_write/resource");
const { SuccessResponse: WriteSuccess } = zohoApi("bulk_write/success_response");
const { BulkWriteResponse } = zohoApi("bulk_write/bulk_write_response");

/** The rows of the one CSV inside a result ZIP. */
function csvRows(zip: Buffer): string[][] {
  const entries = readZip(zip);
  expect(entries).toHaveLength(1);
  return parseCsv(entries[0]!.data.toString("utf8"));
}

export async function bulkReadArea(ctx: AreaContext): Promise<void> {
  const { ledger, session } = ctx;
  await createRecords(ctx, "Contacts", [
    { Last_Name: "Sdk-Bulk-One", Email: "bulk.one@example.com" },
    { Last_Name: "Sdk-Bulk-Two", Email: "bulk.two@example.com" },
  ]);
  const ops = new BulkReadOperations();

  const jobId = await ledger.ok("bulk read", "BulkReadOperations.createBulkReadJob", async () => {
    const query = new Query();
    query.setModule("Contacts");
    query.setFields(["Last_Name", "Email"]);
    const criteria = new ReadCriteria();
    criteria.setAPIName("Last_Name");
    criteria.setComparator(choice("starts_with"));
    criteria.setValue("Sdk-Bulk");
    query.setCriteria(criteria);
    const request = new ReadRequest();
    request.setQuery(query);
    const [item] = successes(modelOf(await ops.createBulkReadJob(request), ReadActionWrapper).getData(), ReadSuccess);
    expect(choiceValue(detailsOf(item).state)).toBe("ADDED");
    return String(detailsOf(item).id);
  });
  session.emulator.state.advanceClock(BULK_COMPLETED_MS);
  await ledger.ok("bulk read", "BulkReadOperations.getBulkReadJobDetails", async () => {
    const [job] = modelOf(await ops.getBulkReadJobDetails(big(jobId)), ReadResponse).getData();
    expect([String(job.getId()), choiceValue(job.getState()), job.getOperation()]).toEqual([jobId, "COMPLETED", "read"]);
    // v2: the module's API name, a string (the SDK's bulk_read/query reads a String).
    expect([job.getQuery().getModule(), job.getQuery().getFields(), job.getResult().getCount()]).toEqual(["Contacts", ["Last_Name", "Email"], 2]);
  });
  await ledger.ok("bulk read", "BulkReadOperations.downloadResult", async () => {
    const file = modelOf(await ops.downloadResult(big(jobId)), ReadFile).getFile();
    expect(file.getName()).toBe(`${jobId}.zip`);
    const rows = csvRows(await downloaded(file));
    expect(rows[0]).toEqual(["Id", "Last_Name", "Email"]);
    expect(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual(["bulk.one@example.com", "bulk.two@example.com"]);
  });
}

export async function bulkWriteArea(ctx: AreaContext): Promise<void> {
  const { ledger, session } = ctx;
  const ops = new BulkWriteOperations();
  const csv = "Last_Name,Email\r\nSdk-Imported-1,imported.1@example.com\r\nSdk-Imported-2,imported.2@example.com\r\n";

  const fileId = await ledger.ok("bulk write", "BulkWriteOperations.uploadFile", async () => {
    const upload = new WriteFile();
    upload.setFile(await uploadFile(ctx, "contacts.zip", writeZip([{ name: "Contacts.csv", data: Buffer.from(csv, "utf8") }])));
    const h = await headers([W.UploadFileHeader.FEATURE, "bulk-write"], [W.UploadFileHeader.X_CRM_ORG, String(session.emulator.state.crm.org.zgid)]);
    const result = modelOf(await ops.uploadFile(upload, h), WriteSuccess);
    expect(choiceValue(result.getCode())).toBe("FILE_UPLOAD_SUCCESS");
    return String(detailsOf(result).file_id);
  });
  const jobId = await ledger.ok("bulk write", "BulkWriteOperations.createBulkWriteJob", async () => {
    const resource = new Resource();
    resource.setType(choice("data"));
    resource.setModule("Contacts");
    resource.setFileId(fileId);
    const request = new WriteRequest();
    request.setOperation(choice("insert"));
    request.setResource([resource]);
    const result = modelOf(await ops.createBulkWriteJob(request), WriteSuccess);
    return String(detailsOf(result).id);
  });
  session.emulator.state.advanceClock(BULK_COMPLETED_MS);
  const downloadUrl = await ledger.ok("bulk write", "BulkWriteOperations.getBulkWriteJobDetails", async () => {
    const job: ZohoValue = modelOf(await ops.getBulkWriteJobDetails(big(jobId)), BulkWriteResponse);
    const [resource] = job.getResource();
    expect([job.getStatus(), resource.getModule(), resource.getFile().getAddedCount(), resource.getFile().getTotalCount()]).toEqual([
      "COMPLETED",
      "Contacts",
      2,
      2,
    ]);
    return job.getResult().getDownloadUrl();
  });
  await ledger.ok("bulk write", "BulkWriteOperations.downloadBulkWriteResult", async () => {
    const file = modelOf(await ops.downloadBulkWriteResult(downloadUrl), WriteFile).getFile();
    expect(file.getName()).toBe(`${jobId}.zip`);
    const rows = csvRows(await downloaded(file));
    expect(rows.slice(1).map((r) => r.at(-2))).toEqual(["ADDED", "ADDED"]);
  });
  expect(session.emulator.state.records("Contacts").filter((c) => String(c.Last_Name).startsWith("Sdk-Imported-"))).toHaveLength(2);
}
