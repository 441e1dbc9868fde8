/**
 * Binary download replies (attachments, photos, files, bulk read and bulk write results), all with
 * one Content-Disposition form: a quoted `filename="..."`, plus an RFC 5987 `filename*` for names
 * that are not plain ASCII. Zoho's own SDK reads only those two forms; an unquoted `filename=x.zip`
 * leaves it without a name.
 */
import type { Reply } from "../types.js";

/** `attachment; filename="..."` with an RFC 5987 `filename*` for names that are not plain ASCII. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return ascii === fileName ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A binary download reply. */
export function fileReply(bytes: Buffer, contentType: string, fileName: string): Reply {
  return { status: 200, raw: bytes, headers: { "content-type": contentType, "content-disposition": contentDisposition(fileName) } };
}
