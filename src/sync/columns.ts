/**
 * A module's table layout, from its field metadata: `id` (the primary key), one typed column per
 * field — text, numbers, booleans, dates and date-times; a lookup as `<field>_id` + `<field>_name`;
 * multi-select picklists, subforms and anything structured as JSON — and the mirror's own columns:
 * the whole record as JSON and its hash (to tell an unchanged record from one edited twice in
 * one second: Modified_Time has second resolution), when it was synced, and `deleted_at`.
 */
import type { Field } from "../codegen/field-types.js";
import { dataTypeOf } from "../codegen/field-types.js";

export type ColumnKind = "text" | "integer" | "number" | "boolean" | "date" | "datetime" | "json" | "lookup_id" | "lookup_name";

export interface ColumnDef {
  /** The SQL column name. */
  name: string;
  kind: ColumnKind;
  /** The Zoho field it comes from (`undefined` for the mirror's own columns). */
  field: string | undefined;
}

/** The mirror's own columns, never a field's: a field that would collide is prefixed `f_`. */
export const OWN_COLUMNS = { record: "record_json", recordHash: "record_hash", syncedAt: "synced_at", deletedAt: "deleted_at" } as const;
const RESERVED = new Set(["id", ...Object.values(OWN_COLUMNS)].map((c) => c.toLowerCase()));

const INTEGER_TYPES = new Set(["integer", "bigint", "autonumber"]);
const NUMBER_TYPES = new Set(["double", "currency", "percent", "decimal"]);
const LOOKUP_TYPES = new Set(["lookup", "ownerlookup", "userlookup"]);
const JSON_TYPES = new Set(["multiselectpicklist", "multiselectlookup", "subform", "fileupload", "profileimage", "multiuserlookup"]);

function kindOf(field: Field): ColumnKind | "lookup" {
  const type = dataTypeOf(field);
  if (LOOKUP_TYPES.has(type)) return "lookup";
  if (INTEGER_TYPES.has(type)) return "integer";
  if (NUMBER_TYPES.has(type)) return "number";
  if (type === "boolean") return "boolean";
  if (type === "date") return "date";
  if (type === "datetime") return "datetime";
  if (JSON_TYPES.has(type)) return "json";
  return "text";
}

/** A safe SQL identifier for a field's API name (they are letters, digits and `_` already). */
function columnName(apiName: string, taken: Set<string>): string {
  let name = apiName.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 60);
  if (RESERVED.has(name.toLowerCase()) || /^\d/.test(name)) name = `f_${name}`;
  while (taken.has(name.toLowerCase())) name = `${name}_`;
  taken.add(name.toLowerCase());
  return name;
}

/** The columns of a module's table, in a stable order (`id` first, then fields by API name, then ours). */
export function columnsFor(fields: readonly Field[]): ColumnDef[] {
  const taken = new Set<string>(RESERVED);
  const columns: ColumnDef[] = [{ name: "id", kind: "text", field: "id" }];
  for (const field of [...fields].sort((a, b) => (a.api_name < b.api_name ? -1 : a.api_name > b.api_name ? 1 : 0))) {
    if (field.api_name === "id") continue;
    const kind = kindOf(field);
    if (kind === "lookup") {
      columns.push({ name: columnName(`${field.api_name}_id`, taken), kind: "lookup_id", field: field.api_name });
      columns.push({ name: columnName(`${field.api_name}_name`, taken), kind: "lookup_name", field: field.api_name });
    } else {
      columns.push({ name: columnName(field.api_name, taken), kind, field: field.api_name });
    }
  }
  columns.push({ name: OWN_COLUMNS.record, kind: "json", field: undefined });
  columns.push({ name: OWN_COLUMNS.recordHash, kind: "lookup_id", field: undefined });
  columns.push({ name: OWN_COLUMNS.syncedAt, kind: "datetime", field: undefined });
  columns.push({ name: OWN_COLUMNS.deletedAt, kind: "datetime", field: undefined });
  return columns;
}

/**
 * A stored table's columns merged with the metadata's: new fields add columns, nothing is dropped
 * (a field deleted in Zoho keeps its column, which simply stops changing).
 */
export function mergeColumns(stored: readonly ColumnDef[], wanted: readonly ColumnDef[]): { columns: ColumnDef[]; added: ColumnDef[] } {
  const have = new Set(stored.map((c) => c.name.toLowerCase()));
  const added = wanted.filter((c) => !have.has(c.name.toLowerCase()));
  return { columns: [...stored, ...added], added };
}
