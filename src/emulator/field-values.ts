/**
 * Checks and normalises one input value against its field's data type, the way Zoho answers a
 * bad value: INVALID_DATA with `api_name` and `expected_data_type` (or `maximum_length`).
 * Lookups must name an existing record (stored as `{name, id}`); owners an active user.
 */
import type { CrmState } from "./crm-state.js";
import type { FieldDef } from "./module-metadata.js";

export interface FieldError {
  code: "INVALID_DATA" | "MANDATORY_NOT_FOUND" | "DUPLICATE_DATA" | "ALREADY_MODIFIED";
  message: string;
  details: Record<string, unknown>;
}

export type ValueResult = { ok: true; value: unknown } | { ok: false; error: FieldError };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

export function invalidData(field: FieldDef, extra: Record<string, unknown> = {}): FieldError {
  return { code: "INVALID_DATA", message: "invalid data", details: { api_name: field.api_name, expected_data_type: field.data_type, ...extra } };
}

function idFrom(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id;
    if (typeof id === "string" && id !== "") return id;
  }
  return undefined;
}

function validDate(text: string): boolean {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/**
 * `value` is neither null nor undefined here. `lookupModule` resolves the polymorphic Notes
 * parent (`$se_module`).
 */
export function normaliseValue(state: CrmState, field: FieldDef, value: unknown, lookupModule?: string): ValueResult {
  const ok = (v: unknown): ValueResult => ({ ok: true, value: v });
  const bad = (extra?: Record<string, unknown>): ValueResult => ({ ok: false, error: invalidData(field, extra) });
  switch (field.data_type) {
    case "text":
    case "textarea":
    case "website":
    case "phone":
    case "email":
    case "picklist": {
      if (typeof value !== "string") return bad();
      if (value.length > field.length)
        return { ok: false, error: { code: "INVALID_DATA", message: "invalid data", details: { api_name: field.api_name, maximum_length: field.length } } };
      if (field.data_type === "email" && !EMAIL.test(value)) return bad();
      if (field.data_type === "picklist" && field.picklist && !field.picklist.includes(value)) return bad();
      return ok(value);
    }
    case "multiselectpicklist": {
      const values = typeof value === "string" ? [value] : value;
      if (!Array.isArray(values) || !values.every((v) => typeof v === "string" && (!field.picklist || field.picklist.includes(v)))) return bad();
      return ok([...values]);
    }
    case "integer":
      return typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? ok(value) : bad();
    case "bigint":
      return typeof value === "number" && Number.isSafeInteger(value) ? ok(value) : bad();
    case "double":
    case "currency":
      return typeof value === "number" && Number.isFinite(value) ? ok(value) : bad();
    case "boolean":
      return typeof value === "boolean" ? ok(value) : bad();
    case "date":
      return typeof value === "string" && DATE.test(value) && validDate(value) ? ok(value) : bad();
    case "datetime":
      return typeof value === "string" && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? ok(value) : bad();
    case "ownerlookup": {
      const id = idFrom(value);
      const user = id === undefined ? undefined : state.user(id);
      if (user?.status !== "active") return bad(id === undefined ? {} : { id });
      return ok(state.userLookup(user, true));
    }
    case "lookup": {
      const id = idFrom(value);
      const target = lookupModule ? state.module(lookupModule) : undefined;
      const record = id !== undefined && target ? state.record(target.api_name, id) : undefined;
      if (!record || !target) return bad(id === undefined ? {} : { id });
      return ok({ name: state.displayName(target, record), id: record.id });
    }
  }
}

/** The comparable text of a stored value (unique checks, search): ids for lookups, lower case. */
export function comparable(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "object") {
    const id = (value as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  }
  return String(value).toLowerCase();
}
