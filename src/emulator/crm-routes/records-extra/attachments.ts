/**
 * Attachments of a record: list, upload (a multipart `file`, or a link from `attachmentUrl` as a
 * query parameter or form field), download (binary with Content-Disposition), delete.
 */
import { createHash } from "node:crypto";
import { zohoDateTime } from "../../clock.js";
import { MAX_WRITE_RECORDS } from "../../constants.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, Reply } from "../../types.js";
import { apiError, errorItem, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { listParam, pageReply, pagingOf } from "../common.js";
import {
  contentTypeOf,
  fileReply,
  isReply,
  limitExceeded,
  missingParam,
  parentOf,
  requiredList,
  success,
  unsupportedMedia,
  userRef,
  type Parent,
} from "./helpers.js";
import { isMultipart, parseMultipart } from "./multipart.js";
import { RecordsExtraState, type StoredAttachment } from "./state.js";

export function formatAttachment(ctx: HandlerContext, att: StoredAttachment): Record<string, unknown> {
  const module = ctx.state.module(att.module);
  const parent = module ? ctx.state.record(module.api_name, att.parentId) : undefined;
  const time = zohoDateTime(att.createdMs);
  const out: Record<string, unknown> = {
    Owner: att.owner,
    Modified_Time: time,
    File_Name: att.fileName,
    $field_states: null,
    Created_Time: time,
    Size: String(att.bytes?.length ?? 0),
    Parent_Id: { name: module && parent ? ctx.state.displayName(module, parent) : att.parentId, id: att.parentId },
    $editable: true,
    $file_id: att.fileId ?? null,
    $type: att.linkUrl === undefined ? "File" : "Link URL",
    $se_module: att.module,
    Modified_By: att.owner,
    $state: "save",
    id: att.id,
    Created_By: att.owner,
  };
  if (att.linkUrl !== undefined) out.$link_url = att.linkUrl;
  return out;
}

/** The attachments of a record, oldest first. */
export function attachmentsOf(ctx: HandlerContext, module: string, parentId: string): StoredAttachment[] {
  return [...RecordsExtraState.of(ctx.state).attachments.values()].filter((a) => a.module === module && a.parentId === parentId);
}

function pick(item: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields || fields.length === 0) return item;
  const out: Record<string, unknown> = { id: item.id };
  for (const name of fields) if (name in item) out[name] = item[name];
  return out;
}

export const getAttachments: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const fields = listParam(req.query, "fields");
  const items = attachmentsOf(ctx, parent.module.api_name, parent.record.id).map((a) => pick(formatAttachment(ctx, a), fields));
  return pageReply("data", items, paging);
};

function linkUrlOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function store(req: CrmRequest, ctx: HandlerContext, parent: Parent, init: Pick<StoredAttachment, "fileName" | "bytes" | "contentType" | "linkUrl">): Reply {
  const extra = RecordsExtraState.of(ctx.state);
  const id = ctx.state.ids.next();
  const now = ctx.state.clock.now();
  const fileId = init.bytes ? `2rsp${createHash("sha1").update(id).digest("hex").slice(0, 33)}` : undefined;
  extra.attachments.set(id, {
    id,
    module: parent.module.api_name,
    parentId: parent.record.id,
    ...init,
    fileId,
    owner: userRef(req.user, true),
    createdMs: now,
  });
  const by = userRef(req.user);
  const time = zohoDateTime(now);
  return {
    status: 200,
    body: { data: [success("attachment uploaded successfully", { Modified_Time: time, Modified_By: by, Created_Time: time, id, Created_By: by })] },
  };
}

export const uploadAttachment: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const contentType = contentTypeOf(req);
  let linkText = req.query.get("attachmentUrl") ?? undefined;
  let file: { filename: string | undefined; contentType: string | undefined; data: Buffer } | undefined;
  if (isMultipart(contentType)) {
    const parts = parseMultipart(req.rawBody, contentType);
    if (!parts) return apiError(400, "INVALID_DATA", "the multipart body could not be parsed", {});
    file = parts.find((p) => p.name === "file");
    const linkPart = parts.find((p) => p.name === "attachmentUrl");
    if (linkPart) {
      if (linkText !== undefined) return apiError(400, "INVALID_DATA", "send attachmentUrl once", { param_name: "attachmentUrl" });
      linkText = linkPart.data.toString("utf8").trim();
    }
  } else if (req.rawBody.length > 0) {
    return unsupportedMedia();
  }
  if (file && linkText !== undefined) return apiError(400, "INVALID_DATA", "send either a file or an attachmentUrl, not both", { param_name: "attachmentUrl" });
  if (linkText !== undefined) {
    const url = linkUrlOf(linkText);
    if (!url) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "attachmentUrl" });
    if (attachmentsOf(ctx, parent.module.api_name, parent.record.id).some((a) => a.linkUrl === url)) {
      return apiError(400, "INVALID_DATA", "Attachment link already exists", { param_name: "attachmentUrl" });
    }
    return store(req, ctx, parent, { fileName: url, bytes: undefined, contentType: "text/uri-list", linkUrl: url });
  }
  if (!file) return missingParam("file");
  const fileName = file.filename && file.filename !== "" ? file.filename : "file";
  if (/\.exe$/i.test(fileName)) return apiError(400, "INVALID_DATA", "the file type is not supported", { param_name: "file" });
  return store(req, ctx, parent, { fileName, bytes: Buffer.from(file.data), contentType: file.contentType ?? "application/octet-stream", linkUrl: undefined });
};

function deleteOne(ctx: HandlerContext, parent: Parent, id: string): ResultItem {
  const attachments = RecordsExtraState.of(ctx.state).attachments;
  const att = attachments.get(id);
  if (!att || att.module !== parent.module.api_name || att.parentId !== parent.record.id) return errorItem("INVALID_DATA", "record not deleted", { id });
  attachments.delete(id);
  return success("record deleted", { id });
}

export const deleteAttachments: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const ids = requiredList(req.query, "ids");
  if (isReply(ids)) return ids;
  if (ids.length > MAX_WRITE_RECORDS) return limitExceeded("ids", MAX_WRITE_RECORDS);
  const items = ids.map((id) => deleteOne(ctx, parent, id));
  return { status: writeStatus(items, 200), body: { data: items } };
};

export const deleteAttachment: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const items = [deleteOne(ctx, parent, req.params.id ?? "")];
  return { status: writeStatus(items, 200), body: { data: items } };
};

export const downloadAttachment: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const id = req.params.id ?? "";
  const att = RecordsExtraState.of(ctx.state).attachments.get(id);
  if (!att || att.module !== parent.module.api_name || att.parentId !== parent.record.id) {
    return apiError(400, "INVALID_DATA", "the related id given seems to be invalid", { id, resource_path_index: 3 });
  }
  if (!att.bytes) return apiError(400, "INVALID_DATA", "As it is a linked attachment, you can not download it", { id });
  // A binary download, whatever type the file was uploaded with (Zoho's OAS: application/octet-stream); echoing
  // e.g. text/plain would hand the bytes to a client's JSON parser (Zoho's own SDK does exactly that).
  return fileReply(att.bytes, "application/octet-stream", att.fileName);
};
