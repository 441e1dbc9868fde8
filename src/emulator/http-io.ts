/**
 * node:http plumbing: reading bodies, parsing JSON and forms, and writing replies (whole, cut
 * short for `truncated-json`, or not at all for socket resets).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseMultipart } from "./multipart.js";
import type { Reply } from "./types.js";

const MAX_BODY_BYTES = 20 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Parses a JSON body: `{ ok: false }` when it is empty or not JSON. */
export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; empty: boolean } {
  const text = body.toString("utf8");
  if (text.trim() === "") return { ok: false, empty: true };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, empty: false };
  }
}

/**
 * Accounts parameters: the query string merged with the body, which Zoho Accounts takes urlencoded
 * or as multipart/form-data (Zoho's own SDKs post their grant and refresh requests as multipart
 * form data), or JSON. Body fields win over the query string.
 */
export function formParams(url: URL, body: Buffer, contentType: string | undefined): URLSearchParams {
  const params = new URLSearchParams(url.searchParams);
  const text = body.toString("utf8");
  if (text.trim() === "") return params;
  const multipart = parseMultipart(body, contentType);
  if (multipart) {
    for (const [k, values] of multipart.fields) if (values.length > 0) params.set(k, values[values.length - 1]!);
    return params;
  }
  if (contentType?.includes("application/json")) {
    const parsed = parseJson(body);
    if (parsed.ok && parsed.value && typeof parsed.value === "object") {
      for (const [k, v] of Object.entries(parsed.value as Record<string, unknown>)) if (v !== undefined && v !== null) params.set(k, String(v));
    }
    return params;
  }
  for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  return params;
}

function serialise(reply: Reply): { text: string | Buffer; type: string } | undefined {
  if (reply.raw !== undefined) return { text: reply.raw, type: reply.headers?.["content-type"] ?? "text/plain; charset=utf-8" };
  if (reply.body === undefined) return undefined;
  return { text: JSON.stringify(reply.body), type: "application/json;charset=UTF-8" };
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const payload = serialise(reply);
  const headers: Record<string, string> = { ...reply.headers };
  if (payload) {
    headers["content-type"] = payload.type;
    headers["content-length"] = String(Buffer.byteLength(payload.text));
  }
  res.writeHead(reply.status, headers);
  res.end(payload?.text);
}

/** Writes the head and the first half of the JSON body, then ends the response (invalid JSON). */
export function writeTruncated(res: ServerResponse, reply: Reply): void {
  const text = serialise(reply)?.text ?? '{"data":[{"id":"1"}]}';
  const status = reply.status === 204 || reply.status === 304 ? 200 : reply.status;
  res.writeHead(status, { ...reply.headers, "content-type": "application/json;charset=UTF-8" });
  res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
}

/** Drops the connection without an answer. */
export function resetSocket(res: ServerResponse): void {
  res.socket?.destroy();
}
