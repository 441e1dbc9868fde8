/**
 * Module, field and layout metadata as the settings APIs return them, built from the same
 * definitions that record writes enforce.
 */
import { zohoDateTime } from "./clock.js";
import type { CrmState } from "./crm-state.js";
import { SE_MODULE, type FieldDef, type ModuleDef, type Section } from "./module-metadata.js";

const JSON_TYPE: Record<FieldDef["data_type"], string> = {
  text: "string",
  textarea: "string",
  email: "string",
  phone: "string",
  website: "string",
  picklist: "string",
  multiselectpicklist: "jsonarray",
  date: "string",
  datetime: "string",
  lookup: "jsonobject",
  ownerlookup: "jsonobject",
  integer: "integer",
  bigint: "integer",
  double: "double",
  currency: "double",
  boolean: "boolean",
};

/** What formatting a field needs from the state: lookup targets (so a script can format without one). */
export type ModuleResolver = Pick<CrmState, "module">;

export function formatField(state: ModuleResolver, module: ModuleDef, field: FieldDef, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: field.id,
    api_name: field.api_name,
    field_label: field.label,
    display_label: field.label,
    data_type: field.data_type,
    json_type: JSON_TYPE[field.data_type],
    length: field.length,
    decimal_place: field.data_type === "currency" || field.data_type === "double" ? 2 : null,
    custom_field: field.custom,
    read_only: field.readOnly,
    field_read_only: field.readOnly,
    system_mandatory: field.mandatory,
    visible: true,
    sequence_number: index + 1,
    default_value: null,
    tooltip: null,
    unique: field.unique ? { casesensitive: "false" } : {},
    external: field.external ? { show: true, type: "user", allow_multiple_config: false } : null,
    view_type: { view: true, edit: !field.readOnly, create: !field.readOnly, quick_create: field.mandatory },
    created_source: field.custom ? "crm" : "default",
    pick_list_values: (field.picklist ?? []).map((value, i) => ({
      display_value: value,
      actual_value: value,
      sequence_number: i + 1,
      id: `${module.id.slice(0, 7)}${String(Number(field.id.slice(7)) * 100 + i).padStart(12, "0")}`,
      maps: [],
    })),
  };
  if (field.data_type === "lookup") {
    const target = field.lookupModule === SE_MODULE ? undefined : field.lookupModule ? state.module(field.lookupModule) : undefined;
    out.lookup = target
      ? { module: target.api_name, display_label: field.label, api_name: field.api_name, id: target.id }
      : { module: SE_MODULE, display_label: field.label, api_name: field.api_name };
  }
  return out;
}

export function formatFields(state: ModuleResolver, module: ModuleDef): Array<Record<string, unknown>> {
  return module.fields.map((f, i) => formatField(state, module, f, i));
}

export function formatModule(state: CrmState, module: ModuleDef, withFields = false): Record<string, unknown> {
  const admin = state.users()[0];
  return {
    id: module.id,
    api_name: module.api_name,
    module_name: module.api_name,
    singular_label: module.singular,
    plural_label: module.plural,
    generated_type: "default",
    api_supported: true,
    creatable: true,
    editable: true,
    deletable: true,
    viewable: true,
    convertable: module.convertable,
    quick_create: true,
    global_search_supported: true,
    visibility: 1,
    sequence_number: module.sequence,
    presence_sub_menu: true,
    modified_time: zohoDateTime(state.epochMs),
    modified_by: admin ? state.userLookup(admin) : null,
    profiles: [{ name: "Administrator", id: `${module.id.slice(0, 7)}000000000001` }],
    business_card_field_limit: 5,
    ...(withFields ? { fields: formatFields(state, module) } : {}),
  };
}

const SECTIONS: Array<{ key: Section; name: (m: ModuleDef) => string; api: string }> = [
  { key: "info", name: (m) => `${m.singular} Information`, api: "info" },
  { key: "address", name: () => "Address Information", api: "address" },
  { key: "description", name: () => "Description Information", api: "description" },
];

export function formatLayout(state: CrmState, module: ModuleDef): Record<string, unknown> {
  const admin = state.users()[0];
  const by = admin ? state.userLookup(admin) : null;
  const sections = SECTIONS.map((section, i) => ({
    name: section.name(module),
    api_name: section.api,
    display_label: section.name(module),
    sequence_number: i + 1,
    column_count: section.key === "description" ? 1 : 2,
    tab_traversal: 1,
    fields: module.fields
      .map((f, index) => ({ f, index }))
      .filter(({ f }) => f.section === section.key)
      .map(({ f, index }) => ({ ...formatField(state, module, f, index), required: f.mandatory })),
  })).filter((s) => s.fields.length > 0);
  return {
    id: module.layoutId,
    name: "Standard",
    visible: true,
    status: 0,
    created_time: zohoDateTime(state.epochMs),
    modified_time: zohoDateTime(state.epochMs),
    created_by: by,
    modified_by: by,
    profiles: [{ id: `${module.id.slice(0, 7)}000000000001`, name: "Administrator", default: true }],
    sections,
    ...(module.convertable ? { convert_mapping: { Contacts: { name: "Standard" }, Accounts: { name: "Standard" }, Deals: { name: "Standard" } } } : {}),
  };
}
