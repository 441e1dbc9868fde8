/**
 * Files through the typed client, for the operations JSON does not fit:
 *
 * - `uploadFile()` sends a multipart/form-data body (attachments, record photos, and every other
 *   operation whose request body is `multipart/form-data` in the spec) from a Buffer, a Blob, a
 *   web or Node stream, or a file path;
 * - `downloadFile()` reads a binary response (attachments, record photos, other binary GETs) as a
 *   Buffer or a stream, with the file name from `Content-Disposition` and the content type.
 *
 * Both go through the client's middleware and transport (tokens, retries, limits), and fail the
 * way the rest of the SDK does: a Zoho error answer throws a `ZohoApiError`.
 *
 *   await uploadFile(crm, "/crm/v2/{module}/{recordId}/Attachments",
 *     { params: { path: { module: "Leads", recordId } } }, { file: buffer, fileName: "a.pdf" });
 *   const file = await downloadFile(crm, "/crm/v2/{module}/{recordId}/Attachments/{id}",
 *     { params: { path: { module: "Leads", recordId, id } } });   // { buffer, fileName, contentType }
 */
import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import type { FetchOptions, FetchResponse } from "openapi-fetch";
import type { paths } from "../generated/crm-v2.js";
import { apiError, type LooseResult } from "./api-error.js";
import type { ZohoCRMClient } from "./client.js";
import { ZohoConfigError } from "./errors.js";

type PostOperation<P extends keyof paths> = paths[P] extends { post: infer O extends Record<string | number, unknown> } ? O : never;
type GetOperation<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;

type MultipartForm<O> = O extends { requestBody?: infer B } ? (NonNullable<B> extends { content: { "multipart/form-data": infer F } } ? F : never) : never;
type SuccessContent<O> = O extends { responses: { 200: { content: infer C } } } ? C : never;
type IsBinary<C> = [C] extends [never]
  ? false
  : [keyof C] extends [never]
    ? false
    : [Extract<keyof C, `${string}json${string}`>] extends [never]
      ? true
      : false;

/** Paths whose POST takes a multipart/form-data body. */
export type UploadPath = { [P in keyof paths]: [MultipartForm<PostOperation<P>>] extends [never] ? never : P }[keyof paths];

/** Paths whose GET answers 200 with a binary (non-JSON) body. */
export type DownloadPath = { [P in keyof paths]: IsBinary<SuccessContent<GetOperation<P>>> extends true ? P : never }[keyof paths];

/** Everything of a typed call but the body (built from `UploadFileOptions`). */
export type UploadInit<P extends UploadPath> = Omit<FetchOptions<PostOperation<P>>, "body" | "bodySerializer">;
export type DownloadInit<P extends DownloadPath> = Omit<FetchOptions<GetOperation<P>>, "parseAs">;

/** The bytes to upload: a Buffer/Uint8Array/ArrayBuffer, a Blob, a web or Node readable stream, or a file path. */
export type FileSource = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | NodeJS.ReadableStream | string;

export interface UploadFileOptions {
  file: FileSource;
  /** The name Zoho stores (`File_Name`). Default: the path's base name, the Blob's name, or "file". */
  fileName?: string;
  /** The part's Content-Type. Default: the Blob's type, else application/octet-stream. */
  contentType?: string;
  /** The form field holding the file. Default "file" (Zoho's name for it everywhere). */
  field?: string;
  /** Other form fields to send along. */
  fields?: Record<string, string>;
}

export interface DownloadOptions {
  /** "buffer" (default) reads the whole body; "stream" hands over the response's web stream. */
  as?: "buffer" | "stream";
}

interface DownloadedBase {
  /** From `Content-Disposition` (`filename*` preferred), when the server names the file. */
  fileName: string | undefined;
  contentType: string | undefined;
  response: Response;
}

export interface DownloadedBuffer extends DownloadedBase {
  buffer: Buffer;
  size: number;
}

export interface DownloadedStream extends DownloadedBase {
  stream: ReadableStream<Uint8Array>;
  /** From `Content-Length`, when sent. */
  size: number | undefined;
}

function isNodeReadable(value: unknown): value is NodeJS.ReadableStream {
  return typeof value === "object" && value !== null && typeof (value as NodeJS.ReadableStream).pipe === "function" && Symbol.asyncIterator in value;
}

async function collect(chunks: AsyncIterable<unknown>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array));
  return parts;
}

/** The file as a Blob (a path is read lazily by `openAsBlob`; streams are buffered, as a replayable body must be). */
async function toBlob(source: FileSource, type: string | undefined): Promise<{ blob: Blob; name: string | undefined }> {
  const options = type === undefined ? undefined : { type };
  if (typeof source === "string") {
    try {
      return { blob: await openAsBlob(source, options), name: basename(source) };
    } catch (error) {
      throw new ZohoConfigError(
        `uploadFile: cannot read the file ${JSON.stringify(source)} (${(error as NodeJS.ErrnoException).code ?? String(error)}). Pass an existing path, or the bytes as a Buffer or Blob.`,
        { code: "FILE_NOT_READABLE", cause: error },
      );
    }
  }
  if (source instanceof Blob) {
    const name = typeof File !== "undefined" && source instanceof File ? source.name : undefined;
    return { blob: type === undefined || type === source.type ? source : new Blob([source], { type }), name };
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return { blob: new Blob([source as Uint8Array], options), name: undefined };
  if (source instanceof ReadableStream) return { blob: new Blob(await collect(source as unknown as AsyncIterable<Uint8Array>), options), name: undefined };
  if (isNodeReadable(source)) return { blob: new Blob(await collect(source as AsyncIterable<unknown>), options), name: undefined };
  throw new ZohoConfigError("uploadFile: `file` must be a Buffer, Uint8Array, ArrayBuffer, Blob, readable stream or file path.", {
    code: "INVALID_FILE_SOURCE",
  });
}

/**
 * POSTs a file as multipart/form-data to an upload operation of the spec, through the typed
 * client. Resolves to openapi-fetch's `{ data | error, response }` for that operation.
 */
export async function uploadFile<P extends UploadPath>(
  crm: ZohoCRMClient,
  path: P,
  init: UploadInit<P>,
  options: UploadFileOptions,
): Promise<FetchResponse<PostOperation<P>, UploadInit<P>, "application/json">> {
  const { blob, name } = await toBlob(options.file, options.contentType);
  const form = new FormData();
  for (const [key, value] of Object.entries(options.fields ?? {})) form.append(key, value);
  form.append(options.field ?? "file", blob, options.fileName ?? name ?? "file");
  const post = crm.POST as unknown as (path: string, init: Record<string, unknown>) => Promise<LooseResult>;
  // openapi-fetch skips serialisation for an undefined body, so a placeholder body carries the form.
  const result = await post(path, { ...(init as Record<string, unknown>), body: {}, bodySerializer: () => form });
  return result as FetchResponse<PostOperation<P>, UploadInit<P>, "application/json">;
}

/** The file name of a `Content-Disposition` header: `filename*=UTF-8''...` first, then `filename`. */
export function fileNameFromDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim().replace(/^"|"$/g, ""));
    } catch {
      /* a malformed encoding: fall back to the plain parameter */
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, "$1");
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare?.[1];
}

/**
 * GETs a binary operation of the spec (an attachment, a photo, ...). Resolves to the bytes (or the
 * stream) with the file name and type, or `undefined` when Zoho answers 204 (e.g. no photo).
 * A Zoho error answer throws `ZohoApiError`.
 */
export async function downloadFile<P extends DownloadPath>(
  crm: ZohoCRMClient,
  path: P,
  init: DownloadInit<P>,
  options?: { as?: "buffer" },
): Promise<DownloadedBuffer | undefined>;
export async function downloadFile<P extends DownloadPath>(
  crm: ZohoCRMClient,
  path: P,
  init: DownloadInit<P>,
  options: { as: "stream" },
): Promise<DownloadedStream | undefined>;
export async function downloadFile<P extends DownloadPath>(
  crm: ZohoCRMClient,
  path: P,
  init: DownloadInit<P>,
  options: DownloadOptions = {},
): Promise<DownloadedBuffer | DownloadedStream | undefined> {
  const stream = options.as === "stream";
  const get = crm.GET as unknown as (path: string, init: Record<string, unknown>) => Promise<LooseResult>;
  const result = await get(path, { ...(init as Record<string, unknown>), parseAs: stream ? "stream" : "arrayBuffer" });
  const { response } = result;
  if (result.error !== undefined || !response.ok) throw apiError(`Downloading ${path}`, "GET", result);
  if (response.status === 204 || result.data === undefined || result.data === null) return undefined;
  const base = {
    fileName: fileNameFromDisposition(response.headers.get("content-disposition")),
    contentType: response.headers.get("content-type") ?? undefined,
    response,
  };
  if (stream) {
    const length = response.headers.get("content-length");
    return { ...base, stream: result.data as ReadableStream<Uint8Array>, size: length === null ? undefined : Number(length) };
  }
  const buffer = Buffer.from(result.data as ArrayBuffer);
  return { ...base, buffer, size: buffer.length };
}
