/**
 * Parses `multipart/form-data` request bodies (uploads: bulk-write files, files, photos, function
 * input files): text fields and file parts, by field name, in order.
 */
export interface FormFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartForm {
  fields: Map<string, string[]>;
  files: FormFile[];
}

/** The boundary of a multipart content type, or undefined when the type is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`${name}\\*?=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, "i").exec(header);
  const value = match?.[1] ?? match?.[2];
  if (value === undefined) return undefined;
  return value.startsWith("UTF-8''") ? decodeURIComponent(value.slice(7)) : value.replace(/\\(.)/g, "$1");
}

/** Parses a multipart body; undefined when the content type is not multipart or the body is malformed. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartForm | undefined {
  const boundary = multipartBoundary(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const form: MultipartForm = { fields: new Map(), files: [] };
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") return form;
    if (body.subarray(pos, pos + 2).toString() === "\r\n") pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) return undefined;
    const headers = body.subarray(pos, headerEnd).toString("utf8").split("\r\n");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) return undefined;
    const data = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? "";
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, "");
    const field = headerParam(disposition, "name");
    const filename = headerParam(disposition, "filename");
    if (field !== undefined) {
      if (filename !== undefined) form.files.push({ field, filename, contentType: type ?? "application/octet-stream", data: Buffer.from(data) });
      else form.fields.set(field, [...(form.fields.get(field) ?? []), data.toString("utf8")]);
    }
    pos = next + 2;
  }
}
