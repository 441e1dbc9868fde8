/**
 * Bulk write (import): `POST /crm/v2/upload` (the content host's endpoint; same server here) takes
 * a ZIP of one CSV with the `feature: bulk-write` and `X-CRM-ORG` headers and returns a file id; a
 * job over uploaded files moves ADDED → IN PROGRESS → COMPLETED on the emulator clock (the same
 * delays as bulk read), inserting/updating the CSV rows through the same rules as record writes
 * when it completes. Its `result.download_url` is an absolute URL with a one-segment path, served
 * as `GET /{downloadUrl}`: a ZIP of the rows with their outcome (ID, STATUS, ERRORS).
 */
import { zohoDateTime } from "../clock.js";
import type { CrmState } from "../crm-state.js";
import { parseCsv, toCsv } from "../csv-codec.js";
import { comparable } from "../field-values.js";
import { fieldOf, type FieldDef, type ModuleDef } from "../module-metadata.js";
import { buildRecord } from "../record-writer.js";
import type { CrmHandler, CrmRoute } from "../router.js";
import type { EmulatorUser, Lookup, StoredRecord } from "../types.js";
import { readZip, writeZip, ZipFormatError } from "../zip.js";
import { apiError, errors } from "../zoho-errors.js";
import { area, baseUrlOf, settingsIds } from "./areas.js";
import { fileReply } from "./file-reply.js";
import { BULK_COMPLETED_MS, BULK_IN_PROGRESS_MS } from "./bulk-read-routes.js";
import { singleFile } from "./org-settings-routes.js";

const DOWNLOAD_PATH = /^\/bulk-write-result-(\d+)\.zip$/;

/** True for the one-segment paths of bulk-write result downloads (the server routes them to the CRM API). */
export function isBulkWriteDownloadPath(pathname: string): boolean {
  return DOWNLOAD_PATH.test(pathname);
}

export interface UploadedFile {
  id: string;
  name: string;
  rows: string[][];
}

type Mapping = { api_name: string; index?: number; find_by?: string; default_value?: { value?: unknown } };

export interface ResourceInput {
  type: "data";
  module: string | { api_name: string };
  file_id: string;
  find_by?: string;
  ignore_empty?: boolean;
  field_mappings?: Mapping[];
}

export interface WriteBody {
  operation: "insert" | "update" | "upsert";
  character_encoding?: string;
  callback?: { url: string; method: string };
  resource: ResourceInput[];
}

export interface Counts {
  added_count: number;
  updated_count: number;
  skipped_count: number;
  total_count: number;
}

export interface WriteJob {
  id: string;
  body: WriteBody;
  resources: Array<{ input: ResourceInput; module: ModuleDef; file: UploadedFile; counts?: Counts }>;
  user: EmulatorUser;
  createdBy: Lookup;
  createdMs: number;
  baseUrl: string;
  status: "ADDED" | "IN PROGRESS" | "COMPLETED";
  zip?: Buffer;
  callbackSent: boolean;
}

export interface WriteArea {
  files: Map<string, UploadedFile>;
  jobs: Map<string, WriteJob>;
  callbacks: Array<{ url: string; jobId: string; ok: boolean }>;
}

export const WRITE_AREA = "bulk-write";
const writeArea = (state: CrmState) => area<WriteArea>(state, WRITE_AREA, () => ({ files: new Map(), jobs: new Map(), callbacks: [] }));

const invalidFile = (message: string) => apiError(400, "INVALID_FILE_FORMAT", message, {});

export const uploadFile: CrmHandler = (req, ctx) => {
  const feature = req.headers.feature;
  if (feature === undefined) return errors.requiredParam("feature");
  if (feature !== "bulk-write") return apiError(400, "INVALID_DATA", "invalid data", { param_name: "feature", supported_values: ["bulk-write"] });
  const org = req.headers["x-crm-org"];
  if (org === undefined) return errors.requiredParam("X-CRM-ORG");
  if (org !== ctx.state.org.zgid) return apiError(400, "INVALID_DATA", "the X-CRM-ORG header is not the org's zgid", { param_name: "X-CRM-ORG" });
  const file = singleFile(req);
  if ("status" in file) return file;
  let entries: ReturnType<typeof readZip>;
  try {
    entries = readZip(file.data);
  } catch (error) {
    if (error instanceof ZipFormatError) return invalidFile("only zip format is supported");
    throw error;
  }
  const csvs = entries.filter((e) => e.name.toLowerCase().endsWith(".csv"));
  if (csvs.length !== 1) return invalidFile("the zip must hold exactly one CSV file");
  const rows = parseCsv(csvs[0]!.data.toString("utf8"));
  if (rows.length < 2) return invalidFile("the CSV has no data rows");
  if (rows.length - 1 > 25_000) return apiError(400, "LIMIT_EXCEEDED", "a file holds at most 25000 records", { maximum_length: 25_000 });
  const id = settingsIds(ctx.state).next();
  writeArea(ctx.state).files.set(id, { id, name: csvs[0]!.name.split("/").pop()!, rows });
  return {
    status: 200,
    body: {
      status: "success",
      code: "FILE_UPLOAD_SUCCESS",
      message: "file uploaded.",
      details: { file_id: id, created_time: zohoDateTime(ctx.state.clock.now()) },
    },
  };
};

/** A CSV cell as the value a record write expects for the field. */
function cellValue(field: FieldDef, text: string): unknown {
  switch (field.data_type) {
    case "integer":
    case "bigint":
    case "double":
    case "currency":
      return text.trim() !== "" && !Number.isNaN(Number(text)) ? Number(text) : text;
    case "boolean":
      return text.toLowerCase() === "true" ? true : text.toLowerCase() === "false" ? false : text;
    case "lookup":
    case "ownerlookup":
      return { id: text };
    default:
      return text;
  }
}

/** The record input of one CSV row (columns by field mapping, else by header = field API name). */
function rowInput(module: ModuleDef, header: string[], row: string[], mappings: Mapping[] | undefined, ignoreEmpty: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const pairs: Array<[string, string | undefined, unknown]> = mappings
    ? mappings.map((m) => [m.api_name, m.index === undefined ? undefined : row[m.index], m.default_value?.value])
    : header.map((name, i) => [name, row[i], undefined]);
  for (const [name, text, fallback] of pairs) {
    const field = fieldOf(module, name);
    if (name === "id" || name === "Id") {
      if (text) input.id = text;
      continue;
    }
    if (!field) continue;
    if (text === undefined || text === "") {
      if (fallback !== undefined) input[field.api_name] = fallback;
      else if (!ignoreEmpty && text === "") input[field.api_name] = null;
      continue;
    }
    input[field.api_name] = cellValue(field, text);
  }
  return input;
}

function findExisting(state: CrmState, module: ModuleDef, findBy: string, input: Record<string, unknown>): StoredRecord | undefined {
  const key = findBy === "id" ? input.id : input[fieldOf(module, findBy)?.api_name ?? findBy];
  if (key === undefined || key === null || key === "") return undefined;
  if (findBy === "id") return state.record(module.api_name, String(key));
  const wanted = comparable(key);
  return state.records(module.api_name).find((r) => comparable(r.data[fieldOf(module, findBy)!.api_name]) === wanted);
}

function runResource(state: CrmState, job: WriteJob, resource: WriteJob["resources"][number]): { name: string; csv: string } {
  const { module, file, input } = resource;
  const [header, ...rows] = file.rows as [string[], ...string[][]];
  const counts: Counts = { added_count: 0, updated_count: 0, skipped_count: 0, total_count: rows.length };
  const findBy = input.find_by ?? (job.body.operation === "insert" ? undefined : "id");
  const outcomes = rows.map((row) => {
    const values = rowInput(module, header, row, input.field_mappings, input.ignore_empty ?? false);
    const existing = findBy ? findExisting(state, module, findBy, values) : undefined;
    if (job.body.operation === "update" && !existing) {
      counts.skipped_count++;
      return [...row, "", "SKIPPED", `RECORD_NOT_FOUND:${findBy}`];
    }
    const { id: _id, ...fields } = values;
    const outcome = buildRecord(state, module, fields, { user: job.user, existing });
    if (!outcome.ok) {
      counts.skipped_count++;
      const apiName = (outcome.error.details as { api_name?: unknown }).api_name;
      return [...row, existing?.id ?? "", "SKIPPED", `${outcome.error.code}${typeof apiName === "string" ? `:${apiName}` : ""}`];
    }
    state.saveRecord(outcome.record);
    if (existing) counts.updated_count++;
    else counts.added_count++;
    return [...row, outcome.record.id, existing ? "UPDATED" : "ADDED", ""];
  });
  resource.counts = counts;
  return { name: file.name, csv: toCsv([...header, "ID", "STATUS", "ERRORS"], outcomes) };
}

function jobBody(job: WriteJob): Record<string, unknown> {
  const done = job.status === "COMPLETED";
  return {
    status: job.status,
    character_encoding: job.body.character_encoding ?? "UTF-8",
    resource: job.resources.map((r) => ({
      status: done ? "COMPLETED" : job.status,
      type: "data",
      module: r.module.api_name,
      ...(r.input.find_by ? { find_by: r.input.find_by } : {}),
      ...(r.input.field_mappings ? { field_mappings: r.input.field_mappings } : {}),
      file: {
        status: done ? "COMPLETED" : job.status,
        name: r.file.name,
        ...(r.counts ?? { added_count: 0, updated_count: 0, skipped_count: 0, total_count: r.file.rows.length - 1 }),
      },
    })),
    id: job.id,
    ...(job.body.callback ? { callback: job.body.callback } : {}),
    ...(done ? { result: { download_url: `${job.baseUrl}/bulk-write-result-${job.id}.zip` } } : {}),
    created_by: job.createdBy,
    operation: job.body.operation,
    created_time: zohoDateTime(job.createdMs),
  };
}

export function tick(state: CrmState): void {
  const { jobs, callbacks } = writeArea(state);
  const now = state.clock.now();
  for (const job of jobs.values()) {
    if (job.status === "COMPLETED") continue;
    const age = now - job.createdMs;
    if (age < BULK_IN_PROGRESS_MS) continue;
    if (age < BULK_COMPLETED_MS) {
      job.status = "IN PROGRESS";
      continue;
    }
    const files = job.resources.map((r) => runResource(state, job, r));
    job.zip = writeZip(
      files.map((f) => ({ name: f.name, data: Buffer.from(f.csv, "utf8") })),
      now,
    );
    job.status = "COMPLETED";
    const callback = job.body.callback;
    if (callback && !job.callbackSent) {
      job.callbackSent = true;
      void fetch(callback.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(jobBody(job)),
        signal: AbortSignal.timeout(5000),
      })
        .then((res) => void callbacks.push({ url: callback.url, jobId: job.id, ok: res.ok }))
        .catch(() => void callbacks.push({ url: callback.url, jobId: job.id, ok: false }));
    }
  }
}

export const createBulkWriteJob: CrmHandler = (req, ctx) => {
  const { state } = ctx;
  tick(state);
  const body = req.body as WriteBody;
  const { files, jobs } = writeArea(state);
  const resources: WriteJob["resources"] = [];
  for (const [i, input] of body.resource.entries()) {
    const module = state.module(typeof input.module === "string" ? input.module : input.module.api_name);
    if (!module)
      return apiError(400, "INVALID_MODULE", "the module name given seems to be invalid", { api_name: "module", json_path: `$.resource[${i}].module` });
    const file = files.get(input.file_id);
    if (!file) return apiError(400, "INVALID_DATA", "invalid data", { api_name: "file_id", json_path: `$.resource[${i}].file_id` });
    if (input.find_by !== undefined && input.find_by !== "id" && !fieldOf(module, input.find_by))
      return apiError(400, "INVALID_DATA", "invalid data", { api_name: "find_by", json_path: `$.resource[${i}].find_by` });
    for (const [j, mapping] of (input.field_mappings ?? []).entries()) {
      if (mapping.api_name !== "id" && !fieldOf(module, mapping.api_name))
        return apiError(400, "INVALID_DATA", "invalid data", { api_name: mapping.api_name, json_path: `$.resource[${i}].field_mappings[${j}].api_name` });
      if (mapping.index !== undefined && mapping.index >= file.rows[0]!.length)
        return apiError(400, "INVALID_DATA", "the column index is beyond the file's columns", { json_path: `$.resource[${i}].field_mappings[${j}].index` });
    }
    resources.push({ input, module, file });
  }
  const id = settingsIds(state).next();
  const createdBy = state.userLookup(req.user);
  jobs.set(id, { id, body, resources, user: req.user, createdBy, createdMs: state.clock.now(), baseUrl: baseUrlOf(req), status: "ADDED", callbackSent: false });
  state.clock.at(state.clock.now() + BULK_COMPLETED_MS + 10, () => tick(state));
  return { status: 201, body: { status: "success", code: "SUCCESS", message: "success", details: { id, created_by: createdBy } } };
};

export const getBulkWriteJobDetails: CrmHandler = (req, ctx) => {
  tick(ctx.state);
  const job = writeArea(ctx.state).jobs.get(req.params.jobId ?? "");
  return job ? { status: 200, body: jobBody(job) } : errors.invalidId(4);
};

export const downloadBulkWriteResult: CrmHandler = (req, ctx) => {
  tick(ctx.state);
  const jobId = DOWNLOAD_PATH.exec(`/${req.params.downloadUrl ?? ""}`)?.[1];
  const job = jobId === undefined ? undefined : writeArea(ctx.state).jobs.get(jobId);
  if (!job?.zip) return errors.invalidUrl();
  return fileReply(job.zip, "application/zip", `${job.id}.zip`);
};

export const BULK_WRITE_ROUTES: readonly CrmRoute[] = [
  { method: "POST", path: "/crm/v2/upload", operationId: "uploadFile", scope: "bulk", access: "CREATE", handler: uploadFile },
  {
    method: "POST",
    path: "/crm/bulk/v2/write",
    operationId: "createBulkWriteJob",
    scope: "bulk",
    access: "CREATE",
    body: { key: "resource", type: "array" },
    handler: createBulkWriteJob,
  },
  { method: "GET", path: "/crm/bulk/v2/write/{jobId}", operationId: "getBulkWriteJobDetails", scope: "bulk", access: "READ", handler: getBulkWriteJobDetails },
  { method: "GET", path: "/{downloadUrl}", operationId: "downloadBulkWriteResult", scope: "bulk", access: "READ", handler: downloadBulkWriteResult },
];
