/**
 * Bulk read (export) jobs: `POST /crm/bulk/v2/read` adds a job (ADDED); on the emulator clock it
 * moves to IN PROGRESS after BULK_IN_PROGRESS_MS and to COMPLETED after BULK_COMPLETED_MS, when the
 * module's matching records are written to `<jobId>.csv` inside a real ZIP (and the `callback`,
 * if any, is POSTed the job's details). Jobs advance when polled and on a clock timer.
 * With `clock: "manual"` a test completes a job deterministically: `emulator.state.advanceClock(
 * BULK_COMPLETED_MS)` (or `POST /emulator/clock {advanceMs}`) runs its timer (`completionDue`),
 * which builds the ZIP and sends the callback; polls then answer COMPLETED. Nothing happens on
 * wall time.
 * Paging as Zoho's v2: a job exports one page of `per_page` records (`query.page`, from 1);
 * `result.more_records` says whether a job for the next page would find more.
 */
import { zohoDateTime } from "../clock.js";
import type { CrmState } from "../crm-state.js";
import { csvRow } from "../csv-codec.js";
import { fieldOf, isNumericType, SE_MODULE, type FieldDef, type ModuleDef } from "../module-metadata.js";
import { filterConverted } from "../record-format.js";
import type { CrmRoute, CrmHandler } from "../router.js";
import type { Lookup, StoredRecord } from "../types.js";
import { writeZip } from "../zip.js";
import { apiError, errors } from "../zoho-errors.js";
import { area, settingsIds } from "./areas.js";
import { fileReply } from "./file-reply.js";
import { customViewFilter } from "./settings/custom-views.js";

/** Emulator-clock delays of the bulk job states (tests may `advanceClock` past them). */
export const BULK_IN_PROGRESS_MS = 300;
export const BULK_COMPLETED_MS = 1000;
/** Records per bulk-read job page, as Zoho; `bulkReadPageSize` overrides it (`CrmState.bulkReadPageSize`). */
export const BULK_READ_PAGE_SIZE = 200_000;

export type State = "ADDED" | "IN PROGRESS" | "COMPLETED" | "FAILURE";

type Criteria = { api_name?: string; field?: { api_name?: string }; comparator?: string; value?: unknown; group_operator?: string; group?: Criteria[] };

export interface BulkReadBody {
  callback?: { url: string; method: string };
  query: { module: string | { api_name: string }; cvid?: string; fields?: string[]; criteria?: Criteria; page?: number };
  file_type?: "csv" | "ics";
}

export interface ReadJob {
  id: string;
  module: ModuleDef;
  body: BulkReadBody;
  columns: string[];
  createdBy: Lookup;
  userId: string;
  createdMs: number;
  state: State;
  result?: { page: number; per_page: number; count: number; download_url: string; more_records: boolean };
  zip?: Buffer;
  callbackSent: boolean;
}

export interface ReadArea {
  jobs: Map<string, ReadJob>;
  /** Callback deliveries attempted (tests read it through `emulator.state.crm.areas`). */
  callbacks: Array<{ url: string; jobId: string; ok: boolean }>;
}

export const READ_AREA = "bulk-read";
const readArea = (state: CrmState) => area<ReadArea>(state, READ_AREA, () => ({ jobs: new Map(), callbacks: [] }));

const moduleName = (m: BulkReadBody["query"]["module"]) => (typeof m === "string" ? m : m.api_name);

const SYSTEM_USER_FIELDS = new Set(["id", "email", "first_name", "last_name", "full_name", "zuid"]);

/** Checks a `fields` entry: a field, a `$` key, or `<lookup>.<field of the looked-up module or user>`. */
function columnProblem(state: CrmState, module: ModuleDef, column: string): string | undefined {
  if (column === "id" || column === "Id" || column.startsWith("$")) return undefined;
  const [head, sub] = column.split(".", 2);
  const field = fieldOf(module, head!);
  if (!field) return head;
  if (sub === undefined) return undefined;
  if (field.data_type === "ownerlookup" || field.api_name === "Created_By" || field.api_name === "Modified_By")
    return SYSTEM_USER_FIELDS.has(sub) ? undefined : column;
  if (field.data_type !== "lookup" || !field.lookupModule || field.lookupModule === SE_MODULE) return column;
  const target = state.module(field.lookupModule);
  return target && (sub === "id" || fieldOf(target, sub)) ? undefined : column;
}

function criteriaProblem(module: ModuleDef, c: Criteria): string | undefined {
  if (c.group) {
    for (const g of c.group) {
      const p = criteriaProblem(module, g);
      if (p) return p;
    }
    return undefined;
  }
  const name = c.field?.api_name ?? c.api_name;
  if (!name) return "criteria";
  if (name !== "id" && !fieldOf(module, name)) return name;
  if (!c.comparator) return "comparator";
  return undefined;
}

/**
 * How one CSV column reads a record, resolved once per job (not per cell): `Id`, a field (lookups
 * and owners as their id, multi-select values joined by `;`), or `<lookup>.<field>`.
 */
function columnReader(state: CrmState, module: ModuleDef, column: string): (record: StoredRecord) => unknown {
  if (column === "Id" || column === "id") return (record) => record.id;
  const [head, sub] = column.split(".", 2);
  const field = fieldOf(module, head!);
  const key = field ? field.api_name : column;
  if (sub === undefined) {
    return (record) => {
      const raw = record.data[key];
      if (Array.isArray(raw)) return raw.join(";");
      return raw && typeof raw === "object" && "id" in raw ? (raw as Lookup).id : raw;
    };
  }
  const isUser = field && (field.data_type === "ownerlookup" || field.api_name === "Created_By" || field.api_name === "Modified_By");
  const target = field?.lookupModule ? state.module(field.lookupModule) : undefined;
  return (record) => {
    const raw = record.data[key] as Lookup | null | undefined;
    if (raw === null || raw === undefined) return raw;
    if (isUser) return state.user(raw.id)?.[sub] ?? null;
    if (sub === "id") return raw.id;
    const value = target ? state.record(target.api_name, raw.id)?.data[sub] : undefined;
    return value && typeof value === "object" && "id" in value ? (value as Lookup).id : value;
  };
}

function comparable(field: FieldDef | undefined, value: unknown): string | number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "object") return (value as { id?: string }).id;
  if (typeof value === "number" || typeof value === "boolean") return Number(value);
  if (field && (field.data_type === "datetime" || field.data_type === "date")) {
    const ms = Date.parse(String(value));
    return Number.isNaN(ms) ? String(value).toLowerCase() : ms;
  }
  if (field && isNumericType(field.data_type) && !Number.isNaN(Number(value))) return Number(value);
  return String(value).toLowerCase();
}

function holds(module: ModuleDef, record: StoredRecord, c: Criteria): boolean {
  if (c.group) {
    const or = (c.group_operator ?? "and").toLowerCase() === "or";
    return or ? c.group.some((g) => holds(module, record, g)) : c.group.every((g) => holds(module, record, g));
  }
  const name = c.field?.api_name ?? c.api_name ?? "";
  const field = fieldOf(module, name);
  const actual = comparable(field, name === "id" ? record.id : record.data[field?.api_name ?? name]);
  const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => comparable(field, v));
  const first = values[0];
  const cmp = (w: string | number | undefined) => (actual === undefined || w === undefined ? undefined : actual < w ? -1 : actual > w ? 1 : 0);
  const text = actual === undefined ? "" : String(actual);
  const wanted = first === undefined ? "" : String(first);
  switch (c.comparator) {
    case "equal":
      return cmp(first) === 0 || (actual === undefined && first === undefined);
    case "not_equal":
      return !(cmp(first) === 0 || (actual === undefined && first === undefined));
    case "in":
      return values.some((v) => cmp(v) === 0);
    case "not_in":
      return !values.some((v) => cmp(v) === 0);
    case "less_than":
      return cmp(first) === -1;
    case "less_equal":
      return cmp(first) === -1 || cmp(first) === 0;
    case "greater_than":
      return cmp(first) === 1;
    case "greater_equal":
      return cmp(first) === 1 || cmp(first) === 0;
    case "contains":
      return text.includes(wanted);
    case "not_contains":
      return !text.includes(wanted);
    case "starts_with":
      return text.startsWith(wanted);
    case "ends_with":
      return text.endsWith(wanted);
    case "between":
    case "not_between": {
      const inside = (cmp(values[0]) ?? -1) >= 0 && (cmp(values[1]) ?? 1) <= 0;
      return c.comparator === "between" ? inside : !inside;
    }
    default:
      return false;
  }
}

/** A criterion as v2 echoes it: the field by `api_name` (a v7-style `field: {api_name}` input is rewritten). */
function v2Criteria(c: Criteria): Criteria {
  if (c.group) return { group_operator: c.group_operator, group: c.group.map(v2Criteria) };
  const { field, ...rest } = c;
  return { ...rest, api_name: field?.api_name ?? c.api_name };
}

function jobBody(job: ReadJob): Record<string, unknown> {
  const { body } = job;
  const { criteria, ...query } = body.query;
  return {
    id: job.id,
    operation: "read",
    state: job.state,
    ...(job.result ? { result: job.result } : {}),
    // v2 names the module by its API name (a string), whichever form the request used (Zoho's SDK: bulk_read/query).
    query: { ...query, ...(criteria ? { criteria: v2Criteria(criteria) } : {}), module: job.module.api_name, page: body.query.page ?? 1 },
    created_by: job.createdBy,
    created_time: zohoDateTime(job.createdMs),
    file_type: body.file_type ?? "csv",
  };
}

/** Builds the page's CSV once, in chunks (a 100k-record page never holds a row array), zipped. */
function complete(state: CrmState, job: ReadJob): void {
  let records = filterConverted(job.module, state.records(job.module.api_name), "both");
  if (job.body.query.cvid) {
    const filter = customViewFilter(state, job.module, job.body.query.cvid, job.userId);
    if (filter) records = records.filter(filter);
  }
  const criteria = job.body.query.criteria;
  if (criteria) records = records.filter((r) => holds(job.module, r, criteria));
  const page = job.body.query.page ?? 1;
  const size = state.bulkReadPageSize;
  const slice = records.slice((page - 1) * size, page * size);
  const readers = job.columns.map((c) => columnReader(state, job.module, c));
  const chunks: Buffer[] = [Buffer.from(csvRow(job.columns), "utf8")];
  for (let start = 0; start < slice.length; start += 5000) {
    let text = "";
    const end = Math.min(slice.length, start + 5000);
    for (let i = start; i < end; i++) {
      const record = slice[i]!;
      text += csvRow(readers.map((read) => read(record)));
    }
    chunks.push(Buffer.from(text, "utf8"));
  }
  // Fastest deflate: a 100k-record export zips in a fraction of a second instead of seconds.
  job.zip = writeZip([{ name: `${job.id}.csv`, data: Buffer.concat(chunks) }], state.clock.now(), 1);
  job.result = {
    page,
    per_page: size,
    count: slice.length,
    download_url: `/crm/bulk/v2/read/${job.id}/result`,
    more_records: records.length > page * size,
  };
  job.state = "COMPLETED";
}

function sendCallback(state: CrmState, job: ReadJob): void {
  const callback = job.body.callback;
  if (!callback || job.callbackSent) return;
  job.callbackSent = true;
  const log = readArea(state).callbacks;
  void fetch(callback.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: [jobBody(job)] }),
    signal: AbortSignal.timeout(5000),
  })
    .then((res) => void log.push({ url: callback.url, jobId: job.id, ok: res.ok }))
    .catch(() => void log.push({ url: callback.url, jobId: job.id, ok: false }));
}

/**
 * When a job's completion timer runs: exactly BULK_COMPLETED_MS after creation on a manual clock
 * (so `advanceClock(BULK_COMPLETED_MS)` completes it and sends its callback, no poll needed); a
 * little later on a real clock, whose wall timer may fire a millisecond early.
 */
export function completionDue(state: CrmState, createdMs: number): number {
  return createdMs + BULK_COMPLETED_MS + (state.clock.mode === "manual" ? 0 : 10);
}

/** Moves every job to the state its age on the emulator clock calls for. */
export function tick(state: CrmState): void {
  const now = state.clock.now();
  for (const job of readArea(state).jobs.values()) {
    if (job.state === "COMPLETED" || job.state === "FAILURE") continue;
    const age = now - job.createdMs;
    if (age >= BULK_COMPLETED_MS) {
      complete(state, job);
      sendCallback(state, job);
    } else if (age >= BULK_IN_PROGRESS_MS) job.state = "IN PROGRESS";
  }
}

export const createBulkReadJob: CrmHandler = (req, ctx) => {
  const { state } = ctx;
  tick(state);
  const body = req.body as BulkReadBody;
  const module = state.module(moduleName(body.query.module));
  if (!module) return errors.invalidModule();
  if ((body.file_type ?? "csv") === "ics") return apiError(400, "INVALID_DATA", "file_type ics is only for the Events module", { api_name: "file_type" });
  if (body.query.cvid !== undefined && !customViewFilter(state, module, body.query.cvid, req.user.id))
    return apiError(400, "INVALID_DATA", "invalid data", { api_name: "cvid" });
  const columns =
    body.query.fields && body.query.fields.length > 0
      ? ["Id", ...body.query.fields.filter((f) => f !== "Id" && f !== "id")]
      : ["Id", ...module.fields.map((f) => f.api_name)];
  for (const column of columns) {
    const problem = columnProblem(state, module, column);
    if (problem) return apiError(400, "INVALID_DATA", "invalid data", { api_name: problem });
  }
  if (body.query.criteria) {
    const problem = criteriaProblem(module, body.query.criteria);
    if (problem) return apiError(400, "INVALID_DATA", "invalid data", { api_name: problem });
  }
  const id = settingsIds(state).next();
  const createdBy = state.userLookup(req.user);
  const job: ReadJob = { id, module, body, columns, createdBy, userId: req.user.id, createdMs: state.clock.now(), state: "ADDED", callbackSent: false };
  readArea(state).jobs.set(id, job);
  state.clock.at(completionDue(state, job.createdMs), () => tick(state));
  return {
    status: 201,
    body: {
      data: [
        {
          status: "success",
          code: "ADDED_SUCCESSFULLY",
          message: "Added successfully.",
          details: { id, operation: "read", state: "ADDED", created_by: createdBy, created_time: zohoDateTime(job.createdMs) },
        },
      ],
      info: {},
    },
  };
};

function jobOf(state: CrmState, id: string | undefined): ReadJob | undefined {
  tick(state);
  return id === undefined ? undefined : readArea(state).jobs.get(id);
}

export const getBulkReadJobDetails: CrmHandler = (req, ctx) => {
  const job = jobOf(ctx.state, req.params.jobId);
  if (!job) return errors.invalidId(4);
  return { status: 200, body: { data: [jobBody(job)] } };
};

export const downloadResult: CrmHandler = (req, ctx) => {
  const job = jobOf(ctx.state, req.params.jobId);
  if (!job) return errors.invalidId(4);
  if (job.state !== "COMPLETED" || !job.zip)
    return apiError(400, "INVALID_DATA", "the job has not completed yet; poll it until its state is COMPLETED", { state: job.state });
  return fileReply(job.zip, "application/zip", `${job.id}.zip`);
};

export const BULK_READ_ROUTES: readonly CrmRoute[] = [
  {
    method: "POST",
    path: "/crm/bulk/v2/read",
    operationId: "createBulkReadJob",
    scope: "bulk",
    access: "READ",
    body: { key: "query", type: "object" },
    handler: createBulkReadJob,
  },
  { method: "GET", path: "/crm/bulk/v2/read/{jobId}", operationId: "getBulkReadJobDetails", scope: "bulk", access: "READ", handler: getBulkReadJobDetails },
  { method: "GET", path: "/crm/bulk/v2/read/{jobId}/result", operationId: "downloadResult", scope: "bulk", access: "READ", handler: downloadResult },
];
