/**
 * Attachments through Zoho's SDK (AttachmentsOperations): a text file uploaded to a lead comes back
 * byte for byte as the SDK's FileBodyWrapper (deviation 5: an echoed text/plain went to its JSON
 * parser), with its name from a quoted Content-Disposition; links, listing and deletes.
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes } from "../checks.js";
import { type AreaContext, big, downloaded, params, uploadFile } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const A = zohoApi("attachments/attachments_operations");
const { AttachmentsOperations } = A;
const { FileBodyWrapper } = zohoApi("attachments/file_body_wrapper");
const { ResponseWrapper } = zohoApi("attachments/response_wrapper");
const { ActionWrapper } = zohoApi("attachments/action_wrapper");
const { SuccessResponse } = zohoApi("attachments/success_response");

const AREA = "attachments";
const TEXT = Buffer.from("Plain text, uploaded and read back through Zoho's SDK.\n", "utf8");

export async function attachmentsArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const [lead] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Attached" }]);
  const ops = new AttachmentsOperations("Leads", big(lead));
  const listed = async (): Promise<ZohoValue[]> => modelOf(await ops.getAttachments(), ResponseWrapper).getData();

  const upload = async (name: string): Promise<string> => {
    const file = new FileBodyWrapper();
    file.setFile(await uploadFile(ctx, name, TEXT));
    const [item] = successes(modelOf(await ops.uploadAttachment(file), ActionWrapper).getData(), SuccessResponse);
    return String(detailsOf(item).id);
  };
  const [notes, extra, spare] = await ledger.ok(AREA, "AttachmentsOperations.uploadAttachment", async () => [
    await upload("notes.txt"),
    await upload("extra.txt"),
    await upload("spare.txt"),
  ]);
  await ledger.ok(AREA, "AttachmentsOperations.downloadAttachment", async () => {
    const file = modelOf(await ops.downloadAttachment(big(notes)), FileBodyWrapper).getFile();
    expect(file.getName()).toBe("notes.txt");
    expect((await downloaded(file)).toString("utf8")).toBe(TEXT.toString("utf8"));
  });
  const link = await ledger.ok(AREA, "AttachmentsOperations.uploadLinkAttachment", async () => {
    const url = await params([A.UploadLinkAttachmentParam.ATTACHMENTURL, "https://www.example.com/brochure"]);
    const [item] = successes(modelOf(await ops.uploadLinkAttachment(url), ActionWrapper).getData(), SuccessResponse);
    return String(detailsOf(item).id);
  });
  await ledger.ok(AREA, "AttachmentsOperations.getAttachments", async () => {
    const all = await listed();
    expect(all.map((a) => String(a.getId())).sort()).toEqual([notes, extra, spare, link].sort());
    expect(all.find((a) => String(a.getId()) === notes).getFileName()).toBe("notes.txt");
    expect(all.find((a) => String(a.getId()) === link).getLinkUrl()).toBe("https://www.example.com/brochure");
  });
  await ledger.ok(AREA, "AttachmentsOperations.deleteAttachment", async () => {
    successes(modelOf(await ops.deleteAttachment(big(spare)), ActionWrapper).getData(), SuccessResponse);
  });
  await ledger.ok(AREA, "AttachmentsOperations.deleteAttachments", async () => {
    const ids = await params([A.DeleteAttachmentsParam.IDS, big(extra)], [A.DeleteAttachmentsParam.IDS, big(link)]);
    successes(modelOf(await ops.deleteAttachments(ids), ActionWrapper).getData(), SuccessResponse);
    expect((await listed()).map((a) => String(a.getId()))).toEqual([notes]);
  });
}
