/**
 * Records: list, get, insert, update (bulk and by id), delete (bulk and by id). By id, `{id}` may be
 * an external-id value (`X-EXTERNAL: <Module>.<field>`, resolved by `record-ref.ts`).
 */
import { parseHeaderDate } from "../clock.js";
import { MAX_WRITE_RECORDS } from "../constants.js";
import { isIdLike } from "../id-generator.js";
import type { ModuleDef } from "../module-metadata.js";
import { filterConverted, formatRecord, sortRecords } from "../record-format.js";
import { modifiedSecond } from "../record-indexes.js";
import { buildRecord, successDetails } from "../record-writer.js";
import type { CrmHandler, HandlerContext } from "../router.js";
import type { CrmRequest, Reply, StoredRecord } from "../types.js";
import { apiError, errorItem, errors, recordErrors, writeStatus, type ResultItem } from "../zoho-errors.js";
import { changedAfter, isReply, listParam, modifiedSince, moduleOf, notModified, pageReply, pagingOf } from "./common.js";
import { externalField, findRecord, resolveRecord } from "./record-ref.js";

type Body = { data: Array<Record<string, unknown>> };

/**
 * The list, sorted and filtered before anything is formatted. `sort_by=Modified_Time` (the sync
 * order) uses the state's cached Modified_Time order and a binary search for If-Modified-Since;
 * ties (one second) are by id ascending in both orders. Other sorts are stable, so their ties are
 * by id ascending too.
 */
function listed(req: CrmRequest, ctx: HandlerContext, module: ModuleDef): StoredRecord[] {
  const since = modifiedSince(req);
  const sortBy = req.query.get("sort_by") ?? undefined;
  const order = req.query.get("sort_order") === "desc" ? "desc" : "asc";
  let records: StoredRecord[];
  if (sortBy === "Modified_Time") {
    const sorted = ctx.state.recordsByModified(module.api_name);
    records = sorted.slice(since === undefined ? 0 : firstChangedAfter(sorted, since));
    if (order === "desc") records = descendingKeepingTies(records);
  } else {
    records = ctx.state.records(module.api_name);
    if (since !== undefined) records = records.filter((r) => changedAfter(r.modifiedMs, since));
    records = sortRecords(records, sortBy, order);
  }
  records = filterConverted(module, records, req.query.get("converted"));
  const ids = listParam(req.query, "ids");
  if (ids) {
    const wanted = new Set(ids);
    records = records.filter((r) => wanted.has(r.id));
  }
  return records;
}

/** Index of the first record (in Modified_Time order) changed after `since`. */
function firstChangedAfter(sorted: readonly StoredRecord[], since: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (changedAfter(sorted[mid]!.modifiedMs, since)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Newest second first, records within one second still by id ascending. */
function descendingKeepingTies(records: StoredRecord[]): StoredRecord[] {
  const out: StoredRecord[] = [];
  let end = records.length;
  while (end > 0) {
    const second = modifiedSecond(records[end - 1]!);
    let start = end - 1;
    while (start > 0 && modifiedSecond(records[start - 1]!) === second) start--;
    for (let i = start; i < end; i++) out.push(records[i]!);
    end = start;
  }
  return out;
}

export const getRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  if (notModified(req, ctx.state.lastChange(module.api_name))) return { status: 304 };
  const records = listed(req, ctx, module);
  // Only deletions (or hidden records) changed since then: nothing listable is newer.
  if (records.length === 0 && modifiedSince(req) !== undefined) return { status: 304 };
  const fields = listParam(req.query, "fields");
  return pageReply("data", records, paging, (r) => formatRecord(module, r, fields));
};

export const getRecord: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const record = findRecord(req, ctx, module, req.params.id ?? "", 1);
  if (isReply(record)) return record;
  if (!record) return { status: 204 };
  if (notModified(req, record.modifiedMs)) return { status: 304 };
  return { status: 200, body: { data: [formatRecord(module, record, listParam(req.query, "fields"))] } };
};

export const createRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return recordErrors(400, [errorItem("INVALID_MODULE", "the module name given seems to be invalid", { resource_path_index: 0 })]);
  const items = (req.body as Body).data.map((input) => {
    const outcome = buildRecord(ctx.state, module, input, { user: req.user });
    if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
    ctx.state.saveRecord(outcome.record);
    return { code: "SUCCESS", details: successDetails(outcome.record), message: "record added", status: "success" } as ResultItem;
  });
  return { status: writeStatus(items, 201), body: { data: items } };
};

/** The record id `{id}` stands for: itself, or with `X-EXTERNAL` the id of the record holding that value. */
function pathId(req: CrmRequest, ctx: HandlerContext, module: ModuleDef): string | Reply {
  const id = req.params.id ?? "";
  const field = externalField(req, module);
  if (isReply(field)) return field;
  if (!field) return id;
  const record = resolveRecord(req, ctx, module, id, 1);
  return isReply(record) ? record : record.id;
}

/** One update; `id` from the body (bulk) or the path. */
function updateOne(req: CrmRequest, ctx: HandlerContext, module: ModuleDef, input: Record<string, unknown>, id: unknown): ResultItem {
  if (typeof id !== "string" || id === "") return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "id" });
  const existing = isIdLike(id) ? ctx.state.record(module.api_name, id) : undefined;
  if (!existing) return errorItem("INVALID_DATA", "the id given seems to be invalid", { id });
  const unmodifiedSince = parseHeaderDate(req.headers["if-unmodified-since"]);
  if (unmodifiedSince !== undefined && Math.floor(existing.modifiedMs / 1000) * 1000 > unmodifiedSince) {
    return errorItem("ALREADY_MODIFIED", "record updated time has already passed if-unmodified-since time", successDetails(existing));
  }
  const outcome = buildRecord(ctx.state, module, input, { user: req.user, existing });
  if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
  ctx.state.saveRecord(outcome.record);
  return { code: "SUCCESS", details: successDetails(outcome.record), message: "record updated", status: "success" };
}

function updateReply(items: ResultItem[]): Reply {
  const status = writeStatus(items, 200);
  if (status === 400 && items.every((i) => i.code === "ALREADY_MODIFIED")) return recordErrors(412, items);
  return { status, body: { data: items } };
}

export const updateRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return recordErrors(400, [errorItem("INVALID_MODULE", "the module name given seems to be invalid", { resource_path_index: 0 })]);
  return updateReply((req.body as Body).data.map((input) => updateOne(req, ctx, module, input, input.id)));
};

export const updateRecord: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return recordErrors(400, [errorItem("INVALID_MODULE", "the module name given seems to be invalid", { resource_path_index: 0 })]);
  const data = (req.body as Body).data;
  if (data.length !== 1) return apiError(400, "INVALID_DATA", "send exactly one record in data to update a record by id", { api_name: "data" });
  const id = pathId(req, ctx, module);
  if (isReply(id)) return id;
  return updateReply([updateOne(req, ctx, module, data[0]!, id)]);
};

function deleteOne(req: CrmRequest, ctx: HandlerContext, module: ModuleDef, id: string): ResultItem {
  const entry = isIdLike(id) ? ctx.state.deleteRecord(module.api_name, id, req.user) : undefined;
  if (!entry) return errorItem("INVALID_DATA", "record not deleted", { id });
  return { code: "SUCCESS", details: { id }, message: "record deleted", status: "success" };
}

export const deleteRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const ids = listParam(req.query, "ids");
  if (!ids || ids.length === 0) return errors.requiredParam("ids");
  if (ids.length > MAX_WRITE_RECORDS) {
    return apiError(400, "LIMIT_EXCEEDED", "count of records in your request exceeds the limit", { param_name: "ids", maximum_length: MAX_WRITE_RECORDS });
  }
  const items = ids.map((id) => deleteOne(req, ctx, module, id));
  return { status: writeStatus(items, 200), body: { data: items } };
};

export const deleteRecord: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const id = pathId(req, ctx, module);
  if (isReply(id)) return id;
  const items = [deleteOne(req, ctx, module, id)];
  return { status: writeStatus(items, 200), body: { data: items } };
};
