/**
 * How one Zoho field maps to TypeScript: its value type (in records and in write bodies), whether
 * it is read-only, whether a create must set it, and the notes its JSDoc carries.
 */
import type { components } from "../../generated/crm-v2.js";

export type ModuleMeta = components["schemas"]["Module"];
export type Field = components["schemas"]["Field"];
export type LayoutMeta = components["schemas"]["Layout"];

/** System fields Zoho sets itself: always read-only, whatever the metadata says. */
export const SYSTEM_READ_ONLY_FIELDS: ReadonlySet<string> = new Set(["id", "Created_Time", "Modified_Time", "Created_By", "Modified_By"]);

/** Data types Zoho computes (never writable). */
const COMPUTED_TYPES: ReadonlySet<string> = new Set(["autonumber", "formula", "rollup_summary"]);

const STRING_TYPES: ReadonlySet<string> = new Set(["text", "textarea", "email", "phone", "website", "autonumber"]);
const NUMBER_TYPES: ReadonlySet<string> = new Set(["integer", "bigint", "double", "currency", "percent", "decimal"]);
const LOOKUP_TYPES: ReadonlySet<string> = new Set(["lookup", "ownerlookup", "userlookup"]);
const OPAQUE_TYPES: ReadonlySet<string> = new Set(["fileupload", "profileimage"]);

export function dataTypeOf(field: Field): string {
  return typeof field.data_type === "string" ? field.data_type.toLowerCase() : "unknown";
}

export function labelOf(field: Field): string {
  const label = field.field_label ?? field.display_label;
  return typeof label === "string" && label.trim() !== "" ? label : field.api_name;
}

export function isReadOnly(field: Field): boolean {
  return field.read_only === true || field.field_read_only === true || SYSTEM_READ_ONLY_FIELDS.has(field.api_name) || COMPUTED_TYPES.has(dataTypeOf(field));
}

/**
 * API names of the fields that every layout of the module marks `required`. A field required in
 * one layout only is not needed when a record is created with another layout, so it stays optional.
 */
export function layoutMandatoryFields(layouts: readonly LayoutMeta[] | undefined): Set<string> {
  const perLayout: Set<string>[] = [];
  for (const layout of layouts ?? []) {
    const fields = (layout.sections ?? []).flatMap((section) => section.fields ?? []);
    if (fields.length === 0) continue;
    perLayout.push(new Set(fields.filter((f) => f.required === true).map((f) => f.api_name)));
  }
  const [first, ...rest] = perLayout;
  if (!first) return new Set();
  return new Set([...first].filter((name) => rest.every((set) => set.has(name))));
}

export function isMandatory(field: Field, layoutMandatory: ReadonlySet<string>): boolean {
  return field.system_mandatory === true || field.required === true || layoutMandatory.has(field.api_name);
}

/** The picklist's values (`actual_value`), de-duplicated and sorted, or undefined when it has none. */
export function picklistValues(field: Field): string[] | undefined {
  const values = new Set<string>();
  for (const item of field.pick_list_values ?? []) {
    const value = item.actual_value ?? item.display_value;
    if (typeof value === "string") values.add(value);
  }
  if (values.size === 0) return undefined;
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The subform's module API name or inline fields, from the shapes Zoho versions use. */
export function subformSource(field: Field): { module?: string; fields?: Field[] } {
  const candidates = [field.subform, field.associated_module] as unknown[];
  for (const candidate of candidates) {
    if (!candidate || typeof candidate !== "object") continue;
    const meta = candidate as { fields?: unknown; module?: unknown; api_name?: unknown };
    if (Array.isArray(meta.fields)) return { fields: meta.fields as Field[] };
    if (typeof meta.module === "string") return { module: meta.module };
    if (meta.module && typeof meta.module === "object" && typeof (meta.module as { api_name?: unknown }).api_name === "string") {
      return { module: (meta.module as { api_name: string }).api_name };
    }
    if (typeof meta.api_name === "string") return { module: meta.api_name };
  }
  return {};
}

export type FieldKind =
  | { kind: "string"; note?: string }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "picklist"; values: string[] | undefined }
  | { kind: "multiselect"; values: string[] | undefined }
  | { kind: "lookup" }
  | { kind: "subform" }
  | { kind: "unknown" };

export const DATE_NOTE = "Date, `YYYY-MM-DD` (ISO 8601).";
export const DATETIME_NOTE = "Date-time, ISO 8601 with offset, e.g. `2019-01-10T13:04:32+05:30`.";

export function fieldKind(field: Field): FieldKind {
  const type = dataTypeOf(field);
  if (STRING_TYPES.has(type)) return { kind: "string" };
  if (type === "date") return { kind: "string", note: DATE_NOTE };
  if (type === "datetime") return { kind: "string", note: DATETIME_NOTE };
  if (NUMBER_TYPES.has(type)) return { kind: "number" };
  if (type === "boolean") return { kind: "boolean" };
  if (type === "picklist") return { kind: "picklist", values: picklistValues(field) };
  if (type === "multiselectpicklist") return { kind: "multiselect", values: picklistValues(field) };
  if (LOOKUP_TYPES.has(type)) return { kind: "lookup" };
  if (type === "subform") return { kind: "subform" };
  if (OPAQUE_TYPES.has(type)) return { kind: "unknown" };
  // Computed and newer types: Zoho's own `json_type` says which JSON primitive the value is.
  switch (field.json_type) {
    case "string":
      return { kind: "string" };
    case "integer":
    case "double":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    default:
      return { kind: "unknown" };
  }
}
