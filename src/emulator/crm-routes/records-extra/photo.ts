/**
 * Record photos: download (binary, 204 when none), multipart upload (an image), delete. Answers
 * are one result object at the top level, as Zoho's.
 */
import type { CrmHandler } from "../../router.js";
import type { Reply } from "../../types.js";
import { apiError } from "../../zoho-errors.js";
import { contentTypeOf, fileReply, isReply, missingParam, parentOf, success, unsupportedMedia, type Parent } from "./helpers.js";
import { isMultipart, parseMultipart } from "./multipart.js";
import { RecordsExtraState } from "./state.js";

/** Modules with a record image (Zoho: Leads, Contacts, Accounts, Products, Vendors, custom). */
const PHOTO_MODULES = new Set(["Leads", "Contacts", "Accounts", "Products"]);
const IMAGE_TYPES: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", bmp: "image/bmp", webp: "image/webp" };
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

function photoParent(...args: Parameters<CrmHandler>): Parent | Reply {
  const [req, ctx] = args;
  const parent = parentOf(req, ctx, "id");
  if (isReply(parent)) return parent;
  if (!PHOTO_MODULES.has(parent.module.api_name)) return apiError(400, "INVALID_MODULE", "the module has no record photo", { resource_path_index: 0 });
  return parent;
}

const key = (parent: Parent) => `${parent.module.api_name}:${parent.record.id}`;

export const getPhoto: CrmHandler = (req, ctx) => {
  const parent = photoParent(req, ctx);
  if (isReply(parent)) return parent;
  const photo = RecordsExtraState.of(ctx.state).photos.get(key(parent));
  return photo ? fileReply(photo.bytes, photo.contentType, photo.fileName) : { status: 204 };
};

export const uploadPhoto: CrmHandler = (req, ctx) => {
  const parent = photoParent(req, ctx);
  if (isReply(parent)) return parent;
  if (!isMultipart(contentTypeOf(req))) return unsupportedMedia();
  const parts = parseMultipart(req.rawBody, contentTypeOf(req));
  if (!parts) return apiError(400, "INVALID_DATA", "the multipart body could not be parsed", {});
  const file = parts.find((p) => p.name === "file");
  if (!file) return missingParam("file");
  const extension = /\.([a-z0-9]+)$/i.exec(file.filename ?? "")?.[1]?.toLowerCase();
  const declared = file.contentType?.toLowerCase();
  const contentType = declared?.startsWith("image/") ? declared : extension ? IMAGE_TYPES[extension] : undefined;
  if (!contentType) return apiError(400, "INVALID_DATA", "invalid file type", { param_name: "file" });
  if (file.data.length === 0) return apiError(400, "INVALID_DATA", "the request does not contain any file", { param_name: "file" });
  if (file.data.length > MAX_PHOTO_BYTES)
    return apiError(413, "FILE_SIZE_MORE_THAN_ALLOWED_SIZE", "file size is more than the allowed size", { maximum_length: MAX_PHOTO_BYTES });
  RecordsExtraState.of(ctx.state).photos.set(key(parent), {
    bytes: Buffer.from(file.data),
    contentType,
    fileName: file.filename ?? `photo.${extension ?? "png"}`,
  });
  return { status: 200, body: success("photo uploaded successfully") };
};

export const deletePhoto: CrmHandler = (req, ctx) => {
  const parent = photoParent(req, ctx);
  if (isReply(parent)) return parent;
  const photos = RecordsExtraState.of(ctx.state).photos;
  if (!photos.delete(key(parent))) return apiError(400, "INVALID_DATA", "the record has no photo", { id: parent.record.id });
  return { status: 200, body: success("Photo deleted") };
};
