/**
 * Builds the record an insert or update would store: input values checked per field, mandatory
 * fields, unique fields, computed and system fields. Nothing is saved here, so a caller can check
 * several records (lead conversion) before saving any.
 */
import { zohoDateTime } from "./clock.js";
import type { CrmState } from "./crm-state.js";
import { comparable, normaliseValue, type FieldError } from "./field-values.js";
import { fieldOf, SE_MODULE, type ModuleDef } from "./module-metadata.js";
import type { EmulatorUser, StoredRecord } from "./types.js";

export type WriteOutcome = { ok: true; record: StoredRecord } | { ok: false; error: FieldError };

export interface WriteOptions {
  user: EmulatorUser;
  /** The record being updated; absent for inserts. */
  existing?: StoredRecord;
  /** Change time; defaults to the emulator clock. */
  now?: number;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === "";

export function buildRecord(state: CrmState, module: ModuleDef, input: Record<string, unknown>, options: WriteOptions): WriteOutcome {
  const { user, existing } = options;
  const now = options.now ?? state.clock.now();
  const values: Record<string, unknown> = existing ? { ...existing.data } : {};

  for (const [key, raw] of Object.entries(input)) {
    if (key === "id") continue;
    const field = fieldOf(module, key);
    // Zoho ignores keys that are not fields of the module and read-only/system keys.
    if (!field || field.readOnly) continue;
    if (isEmpty(raw)) {
      values[field.api_name] = null;
      continue;
    }
    const lookupModule = field.lookupModule === SE_MODULE ? String(input.$se_module ?? values.$se_module ?? "") : field.lookupModule;
    const result = normaliseValue(state, field, raw, lookupModule);
    if (!result.ok) return result;
    values[field.api_name] = result.value;
  }

  if (isEmpty(values.Owner)) values.Owner = state.userLookup(user, true);
  for (const field of module.fields) {
    if (field.mandatory && isEmpty(values[field.api_name])) {
      return { ok: false, error: { code: "MANDATORY_NOT_FOUND", message: "required field not found", details: { api_name: field.api_name } } };
    }
  }
  if (module.fields.some((f) => f.api_name === "Full_Name")) {
    values.Full_Name = [values.First_Name, values.Last_Name].filter((v) => typeof v === "string" && v !== "").join(" ");
  }

  const id = existing?.id ?? state.ids.next();
  for (const field of module.fields) {
    if (!field.unique) continue;
    const mine = comparable(values[field.api_name]);
    if (mine === undefined) continue;
    const clash = state.findByValue(module.api_name, field.api_name, mine);
    if (clash !== undefined && clash !== id)
      return { ok: false, error: { code: "DUPLICATE_DATA", message: "duplicate data", details: { api_name: field.api_name, id: clash } } };
  }

  const by = state.userLookup(user);
  values.Created_Time = existing ? existing.data.Created_Time : zohoDateTime(now);
  values.Created_By = existing ? existing.data.Created_By : by;
  values.Modified_Time = zohoDateTime(now);
  values.Modified_By = by;
  for (const field of module.fields) if (!(field.api_name in values)) values[field.api_name] = field.data_type === "boolean" ? false : null;
  if (module.convertable && !existing) {
    values.$converted = false;
    values.$converted_detail = {};
  }
  return { ok: true, record: { module: module.api_name, id, data: { id, ...values }, createdMs: existing?.createdMs ?? now, modifiedMs: now } };
}

/** The `details` of a successful write result. */
export function successDetails(record: StoredRecord): Record<string, unknown> {
  const { Created_Time, Modified_Time, Created_By, Modified_By } = record.data;
  return { Modified_Time, Modified_By, Created_Time, id: record.id, Created_By };
}
