/**
 * Mass update: with `ids` the records are updated at once (one result each); with `cvid` and/or
 * `territory` (the emulator has neither custom-view filters nor territories: every record of the
 * module, narrowed by `criteria`) a job is scheduled. A job's updates are applied when it is
 * created; its status reads SCHEDULED for a second, RUNNING for another, then COMPLETED with the
 * counts (emulator clock: `emulator.state.advanceClock`).
 */
import { isIdLike } from "../../id-generator.js";
import type { ModuleDef } from "../../module-metadata.js";
import { filterConverted } from "../../record-format.js";
import { buildRecord, successDetails } from "../../record-writer.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, StoredRecord } from "../../types.js";
import { apiError, errorItem, errors, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { moduleOf } from "../common.js";
import { isReply, success } from "./helpers.js";
import { RecordsExtraState } from "./state.js";

export const SCHEDULED_MS = 1000;
export const RUNNING_MS = 2000;

interface Criterion {
  /** The field's API name as v2 sends it (Zoho's v2 SDK: record/criteria `field`). */
  field?: string;
  /** The same, as later versions name it. */
  api_name?: string;
  comparator?: string;
  value?: unknown;
  group_operator?: "and" | "or";
  group?: Criterion[];
}

interface Body {
  data: Array<Record<string, unknown>>;
  ids?: string[];
  cvid?: string;
  territory?: { id?: string };
  criteria?: Criterion[];
}

function text(value: unknown): string {
  if (value && typeof value === "object" && "id" in value) return String((value as { id: unknown }).id);
  return value === null || value === undefined ? "" : String(value).toLowerCase();
}

function matches(record: StoredRecord, c: Criterion): boolean {
  if (c.group) {
    const results = c.group.map((g) => matches(record, g));
    return c.group_operator === "or" ? results.some(Boolean) : results.every(Boolean);
  }
  const actual = record.data[c.field ?? c.api_name ?? ""];
  const values = Array.isArray(c.value) ? c.value.map(text) : [text(c.value)];
  const a = text(actual);
  const n = Number(actual);
  const v = Number(Array.isArray(c.value) ? c.value[0] : c.value);
  switch (c.comparator) {
    case "equal":
      return a === values[0];
    case "not_equal":
      return a !== values[0];
    case "in":
      return values.includes(a);
    case "not_in":
      return !values.includes(a);
    case "contains":
      return a.includes(values[0] ?? "");
    case "not_contains":
      return !a.includes(values[0] ?? "");
    case "starts_with":
      return a.startsWith(values[0] ?? "");
    case "ends_with":
      return a.endsWith(values[0] ?? "");
    case "less_than":
      return n < v;
    case "less_equal":
      return n <= v;
    case "greater_than":
      return n > v;
    case "greater_equal":
      return n >= v;
    case "between":
      return n >= Number(values[0]) && n <= Number(values[1]);
    case "not_between":
      return n < Number(values[0]) || n > Number(values[1]);
    default:
      return true;
  }
}

function updateOne(req: CrmRequest, ctx: HandlerContext, module: ModuleDef, record: StoredRecord, values: Record<string, unknown>): ResultItem {
  const outcome = buildRecord(ctx.state, module, values, { user: req.user, existing: record });
  if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, { ...outcome.error.details, id: record.id });
  ctx.state.saveRecord(outcome.record);
  return success("record updated", successDetails(outcome.record));
}

export const massUpdateRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const body = req.body as Body;
  const values = Object.fromEntries(Object.entries(body.data[0] ?? {}).filter(([key]) => key !== "id"));
  if (body.ids && body.ids.length > 0) {
    const items = body.ids.map((id) => {
      const record = isIdLike(id) ? ctx.state.record(module.api_name, id) : undefined;
      return record ? updateOne(req, ctx, module, record, values) : errorItem("INVALID_DATA", "the id given seems to be invalid", { id });
    });
    return { status: writeStatus(items, 200), body: { data: items } };
  }
  if (body.cvid === undefined && body.territory === undefined) return apiError(400, "MANDATORY_NOT_FOUND", "required field not found", { param_name: "cvid" });
  if (body.cvid !== undefined && !isIdLike(body.cvid)) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "cvid" });
  const criteria = body.criteria ?? [];
  const targets = filterConverted(module, ctx.state.records(module.api_name), null).filter((r) => criteria.every((c) => matches(r, c)));
  const results = targets.map((r) => updateOne(req, ctx, module, r, values));
  const updated = results.filter((r) => r.status === "success").length;
  const job = {
    id: ctx.state.ids.next(),
    module: module.api_name,
    createdMs: ctx.state.clock.now(),
    total: targets.length,
    updated,
    notUpdated: 0,
    failed: targets.length - updated,
  };
  RecordsExtraState.of(ctx.state).jobs.set(job.id, job);
  return { status: 202, body: { data: [success("mass update scheduled successfully", { job_id: job.id })] } };
};

export const getMassUpdateStatus: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const jobId = req.query.get("job_id");
  if (!jobId) return errors.requiredParam("job_id");
  const job = RecordsExtraState.of(ctx.state).jobs.get(jobId);
  if (!job || job.module !== module.api_name) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "job_id" });
  const age = ctx.state.clock.now() - job.createdMs;
  const Status = age < SCHEDULED_MS ? "SCHEDULED" : age < RUNNING_MS ? "RUNNING" : "COMPLETED";
  const done = Status === "COMPLETED";
  return {
    status: 200,
    body: {
      data: [
        {
          Status,
          Total_Count: job.total,
          Updated_Count: done ? job.updated : 0,
          Not_Updated_Count: done ? job.notUpdated : 0,
          Failed_Count: done ? job.failed : 0,
        },
      ],
    },
  };
};
