/** Fixed Zoho metadata for the generator's unit tests: shaped like settings/modules, fields, layouts. */
import type { Field, LayoutMeta, ModuleMeta } from "../../src/codegen/gen-types.js";

const picklist = (...values: string[]) => values.map((v, i) => ({ display_value: v, actual_value: v, sequence_number: i + 1 }));

export const modules: ModuleMeta[] = [
  { api_name: "Leads", singular_label: "Lead", plural_label: "Leads", module_name: "Leads" },
  { api_name: "Deals", singular_label: "Deal", plural_label: "Deals", module_name: "Potentials" },
  { api_name: "Custom-Module 1", singular_label: "Thing", plural_label: "Things" },
];

export const leadsFields: Field[] = [
  { api_name: "Last_Name", field_label: "Last Name", data_type: "text", system_mandatory: true },
  { api_name: "Email", field_label: "Email", data_type: "email" },
  { api_name: "Lead_Source", field_label: "Lead Source", data_type: "picklist", pick_list_values: picklist("Web", "-None-", "Cold Call", "Web") },
  { api_name: "Tags_Multi", field_label: "Interests", data_type: "multiselectpicklist", pick_list_values: picklist("b", "a") },
  { api_name: "Empty_Pick", field_label: "Empty pick", data_type: "picklist", pick_list_values: [] },
  { api_name: "Owner", field_label: "Lead Owner", data_type: "ownerlookup" },
  { api_name: "Created_Time", field_label: "Created Time", data_type: "datetime", read_only: true },
  { api_name: "Created_By", field_label: "Created By", data_type: "ownerlookup" },
  { api_name: "Modified_Time", field_label: "Modified Time", data_type: "datetime" },
  { api_name: "Full_Name", field_label: "Full Name", data_type: "text", field_read_only: true },
  { api_name: "No_of_Employees", field_label: "No. of Employees", data_type: "integer" },
  { api_name: "Annual_Revenue", field_label: "Annual Revenue", data_type: "currency" },
  { api_name: "Score", field_label: "Score", data_type: "bigint" },
  { api_name: "Ratio", field_label: "Ratio", data_type: "percent" },
  { api_name: "Email_Opt_Out", field_label: "Email Opt Out", data_type: "boolean" },
  { api_name: "Birthday", field_label: "Birthday", data_type: "date" },
  { api_name: "Photo", field_label: "Photo", data_type: "profileimage" },
  { api_name: "Files", field_label: "Files", data_type: "fileupload" },
  { api_name: "Weird", field_label: "Weird */ label", data_type: "somethingnew" },
  { api_name: "Lead-Code", field_label: "Lead code", data_type: "autonumber" },
  { api_name: "Region", field_label: "Region", data_type: "text" },
  { api_name: "Formula_1", field_label: "Formula", data_type: "formula", json_type: "double" },
];

export const dealsFields: Field[] = [
  { api_name: "Deal_Name", field_label: "Deal Name", data_type: "text", system_mandatory: true },
  { api_name: "Stage", field_label: "Stage", data_type: "picklist", system_mandatory: true, pick_list_values: picklist("Qualification", "Closed Won") },
  { api_name: "Closing_Date", field_label: "Closing Date", data_type: "date" },
  { api_name: "Account_Name", field_label: "Account Name", data_type: "lookup", lookup: { module: "Accounts" } },
  { api_name: "Line_Items", field_label: "Line Items", data_type: "subform", subform: { module: "Deal_Lines", id: "1" } },
  {
    api_name: "Inline_Rows",
    field_label: "Inline rows",
    data_type: "subform",
    subform: { fields: [{ api_name: "Qty", field_label: "Quantity", data_type: "integer", system_mandatory: true }] },
  },
  { api_name: "Opaque_Rows", field_label: "Opaque rows", data_type: "subform" },
];

export const subformFields: Field[] = [
  { api_name: "Product", field_label: "Product", data_type: "lookup", system_mandatory: true },
  { api_name: "Quantity", field_label: "Quantity", data_type: "double" },
  { api_name: "Kind", field_label: "Kind", data_type: "picklist", pick_list_values: picklist("Good", "Service") },
];

/** Closing_Date is required in both layouts (mandatory); Region only in one (optional). */
export const dealsLayouts: LayoutMeta[] = [
  {
    id: "l1",
    name: "Standard",
    sections: [
      {
        fields: [
          { api_name: "Closing_Date", required: true },
          { api_name: "Deal_Name", required: true },
        ],
      },
    ],
  },
  {
    id: "l2",
    name: "Other",
    sections: [
      {
        fields: [
          { api_name: "Closing_Date", required: true },
          { api_name: "Amount", required: true },
        ],
      },
    ],
  },
];

export const leadsLayouts: LayoutMeta[] = [
  { id: "l3", name: "Standard", sections: [{ fields: [{ api_name: "Region", required: true }] }] },
  { id: "l4", name: "Web", sections: [{ fields: [{ api_name: "Region", required: false }] }] },
];

export const input: {
  modules: ModuleMeta[];
  fieldsByModule: Record<string, Field[]>;
  layoutsByModule: Record<string, LayoutMeta[]>;
  source: string;
  command: string;
} = {
  modules,
  fieldsByModule: {
    Leads: leadsFields,
    Deals: dealsFields,
    Deal_Lines: subformFields,
    "Custom-Module 1": [{ api_name: "Name", field_label: "Name", data_type: "text" }],
  },
  layoutsByModule: { Deals: dealsLayouts, Leads: leadsLayouts },
  source: "https://www.zohoapis.eu",
  command: "zcrm gen-types",
};
