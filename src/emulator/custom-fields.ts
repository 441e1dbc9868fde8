/**
 * Custom fields added while the emulator runs (`emulator.state.addField`, `POST /emulator/fields`),
 * as an admin would add them in Zoho's setup: from then on settings/fields lists the field, record
 * writes accept it, reads return it (null on older records) and bulk-read CSVs carry its column.
 * Kept in an area so `persistPath` restores them.
 */
import type { CrmState } from "./crm-state.js";
import { formatField } from "./metadata-format.js";
import { fieldOf, type DataType, type FieldDef } from "./module-metadata.js";

export interface CustomFieldInput {
  api_name: string;
  data_type: DataType;
  /** Default: the API name with spaces for underscores. */
  field_label?: string;
  /** Maximum text length; default per type (text 255). */
  length?: number;
  /** picklist / multiselectpicklist values. */
  pick_list_values?: string[];
  /** Target module of a `lookup`. */
  lookup_module?: string;
  mandatory?: boolean;
  unique?: boolean;
}

export const CUSTOM_FIELDS_AREA = "custom-fields";
export type CustomFieldsArea = Array<{ module: string; field: FieldDef }>;

const TYPES: readonly DataType[] = [
  "text",
  "textarea",
  "email",
  "phone",
  "website",
  "picklist",
  "multiselectpicklist",
  "lookup",
  "date",
  "datetime",
  "integer",
  "bigint",
  "double",
  "currency",
  "boolean",
];
const LENGTH: Partial<Record<DataType, number>> = { text: 255, textarea: 32000, email: 100, phone: 30, website: 255, picklist: 120, multiselectpicklist: 2000 };

export function customFields(state: CrmState): CustomFieldsArea {
  let added = state.areas.get(CUSTOM_FIELDS_AREA) as CustomFieldsArea | undefined;
  if (!added) {
    added = [];
    state.areas.set(CUSTOM_FIELDS_AREA, added);
  }
  return added;
}

/** Adds the field (throws a RangeError saying what is wrong) and returns it as settings/fields shows it. */
export function addField(state: CrmState, moduleName: string, input: CustomFieldInput): Record<string, unknown> {
  const module = state.module(moduleName);
  if (!module) throw new RangeError(`unknown module ${JSON.stringify(moduleName)}`);
  const { api_name: api, data_type: type } = input ?? ({} as CustomFieldInput);
  if (typeof api !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,99}$/.test(api)) throw new RangeError("api_name must be letters, digits and _ (a letter first)");
  if (fieldOf(module, api)) throw new RangeError(`${module.api_name} already has a field ${api}`);
  if (!TYPES.includes(type)) throw new RangeError(`data_type must be one of ${TYPES.join(", ")}`);
  const picklist = input.pick_list_values;
  if (
    (type === "picklist" || type === "multiselectpicklist") &&
    (!Array.isArray(picklist) || picklist.length === 0 || !picklist.every((v) => typeof v === "string"))
  )
    throw new RangeError("a picklist needs pick_list_values (strings)");
  const target = type === "lookup" ? state.module(String(input.lookup_module ?? "")) : undefined;
  if (type === "lookup" && !target) throw new RangeError("a lookup needs lookup_module, an existing module");
  const field: FieldDef = {
    id: state.ids.next(),
    api_name: api,
    label: input.field_label ?? api.replace(/_/g, " "),
    data_type: type,
    length: input.length ?? LENGTH[type] ?? 19,
    mandatory: input.mandatory === true,
    unique: input.unique === true,
    external: false,
    readOnly: false,
    custom: true,
    picklist: picklist ? [...picklist] : undefined,
    lookupModule: target?.api_name,
    section: "info",
  };
  module.fields.push(field);
  customFields(state).push({ module: module.api_name, field });
  return formatField(state, module, field, module.fields.length - 1);
}
