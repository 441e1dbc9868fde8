/**
 * A small multipart/form-data parser for upload routes (attachments, photos): the parts of a
 * buffered body with their field name, filename, content type and bytes (binary-safe).
 */

export interface FormPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\b/i.test(contentType ?? "");
}

function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** `name="x"`-style parameter of a header value; `filename*=UTF-8''...` wins over `filename`. */
function headerParam(value: string, key: string): string | undefined {
  const extended = new RegExp(`;\\s*${key}\\*=([^']*)'[^']*'([^;]+)`, "i").exec(value);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim());
    } catch {
      /* fall back to the plain parameter */
    }
  }
  const quoted = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(value);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, "$1").replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
  const bare = new RegExp(`;\\s*${key}=([^;\\s]+)`, "i").exec(value);
  return bare?.[1];
}

/** The parts of a multipart body; undefined when the content type or the body is not multipart. */
export function parseMultipart(body: Buffer, contentType: string | undefined): FormPart[] | undefined {
  if (!contentType || !isMultipart(contentType)) return undefined;
  const boundary = boundaryOf(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.concat([CRLF, delimiter]);
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  const parts: FormPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing delimiter
    while (body[pos] === 0x20 || body[pos] === 0x09) pos += 1; // transport padding
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) return undefined;
    pos += 2;
    const headerEnd = body.indexOf(HEADER_END, pos);
    if (headerEnd < 0) return undefined;
    const headers = new Map<string, string>();
    for (const line of body.subarray(pos, headerEnd).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const next = body.indexOf(separator, headerEnd + HEADER_END.length);
    if (next < 0) return undefined;
    const disposition = headers.get("content-disposition") ?? "";
    const name = headerParam(disposition, "name");
    if (name !== undefined) {
      parts.push({
        name,
        filename: headerParam(disposition, "filename"),
        contentType: headers.get("content-type"),
        data: body.subarray(headerEnd + HEADER_END.length, next),
      });
    }
    pos = next + CRLF.length;
  }
}
