/**
 * Upsert: each record updates the existing record it matches on a duplicate-check field (the
 * body's `duplicate_check_fields`, else the module's defaults and unique fields), else is inserted.
 */
import { comparable } from "../field-values.js";
import { fieldOf } from "../module-metadata.js";
import { buildRecord, successDetails } from "../record-writer.js";
import type { CrmHandler } from "../router.js";
import type { StoredRecord } from "../types.js";
import { apiError, errorItem, recordErrors, writeStatus, type ResultItem } from "../zoho-errors.js";
import { isReply, moduleOf } from "./common.js";

type Body = { data: Array<Record<string, unknown>>; duplicate_check_fields?: string[] };

export const upsertRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return recordErrors(400, [errorItem("INVALID_MODULE", "the module name given seems to be invalid", { resource_path_index: 0 })]);
  const body = req.body as Body;
  const requested = body.duplicate_check_fields ?? [...module.duplicateCheck, ...module.fields.filter((f) => f.unique).map((f) => f.api_name)];
  const checkFields: string[] = [];
  for (const name of requested) {
    const field = fieldOf(module, name);
    if (!field) return apiError(400, "INVALID_DATA", "invalid data", { api_name: name, param_name: "duplicate_check_fields" });
    if (!checkFields.includes(field.api_name)) checkFields.push(field.api_name);
  }

  const items = body.data.map((input): ResultItem => {
    let existing: StoredRecord | undefined;
    let duplicateField: string | null = null;
    if (typeof input.id === "string") {
      existing = ctx.state.record(module.api_name, input.id);
      if (existing) duplicateField = "id";
    }
    for (const name of checkFields) {
      if (existing) break;
      const key = input[name] === undefined ? undefined : comparable(input[name]);
      if (key === undefined) continue;
      const id = ctx.state.findByValue(module.api_name, name, key);
      existing = id === undefined ? undefined : ctx.state.record(module.api_name, id);
      if (existing) duplicateField = name;
    }
    const outcome = buildRecord(ctx.state, module, input, { user: req.user, existing });
    if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
    ctx.state.saveRecord(outcome.record);
    return {
      code: "SUCCESS",
      duplicate_field: duplicateField,
      action: existing ? "update" : "insert",
      details: successDetails(outcome.record),
      message: existing ? "record updated" : "record added",
      status: "success",
    };
  });
  return { status: writeStatus(items, 200), body: { data: items } };
};
