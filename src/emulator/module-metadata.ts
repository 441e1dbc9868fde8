/**
 * The seeded modules and their fields (Leads, Contacts, Accounts, Deals, Tasks, Events, Calls,
 * Notes, Products), modelled on Zoho's standard modules and fields. Records are validated against
 * these definitions and the metadata endpoints describe them, so what `settings/fields` says is
 * what record writes enforce. The same definitions, less the custom fields, generate the shipped
 * standard record types (scripts/gen-standard-types.ts → generated/standard-modules.ts).
 */
import type { IdGenerator } from "./id-generator.js";

export type DataType =
  | "text"
  | "textarea"
  | "email"
  | "phone"
  | "website"
  | "picklist"
  | "multiselectpicklist"
  | "lookup"
  | "ownerlookup"
  | "date"
  | "datetime"
  | "integer"
  | "bigint"
  | "double"
  | "currency"
  | "boolean";

export type Section = "info" | "address" | "description";

export interface FieldDef {
  id: string;
  api_name: string;
  label: string;
  data_type: DataType;
  length: number;
  /** `system_mandatory`: writes without it fail with MANDATORY_NOT_FOUND. */
  mandatory: boolean;
  /** Unique field: writes repeating another record's value fail with DUPLICATE_DATA. */
  unique: boolean;
  /** External-id field (unique): with `X-EXTERNAL: <Module>.<field>`, a record path's `{id}` is its value. */
  external: boolean;
  /** Set by the system; ignored in write bodies. */
  readOnly: boolean;
  /**
   * An org's own field, not one of Zoho's standard fields (`custom_field: true` in the metadata):
   * left out of the shipped standard types (generated/standard-modules.ts).
   */
  custom: boolean;
  picklist: readonly string[] | undefined;
  /** Target module of a `lookup`; SE_MODULE for the polymorphic Notes parent (the record names it in `$se_module`). */
  lookupModule: string | undefined;
  section: Section;
}

export interface ModuleDef {
  id: string;
  api_name: string;
  singular: string;
  plural: string;
  sequence: number;
  fields: FieldDef[];
  /** The field whose value names a record (lookups' `name`, deleted records' `display_name`). */
  displayField: string;
  /** Default upsert duplicate-check fields. */
  duplicateCheck: string[];
  convertable: boolean;
  layoutId: string;
}

/**
 * The `lookup.module` of the polymorphic Notes parent (`Parent_Id`) in field metadata: Zoho names it
 * `se_module` (Zoho's SDKs have it as a constant and skip it when loading a lookup's module), while
 * each note names its parent's module in its own `$se_module` field.
 */
export const SE_MODULE = "se_module";

type FieldSpec = [api: string, label: string, type: DataType, extra?: Partial<Omit<FieldDef, "id" | "api_name" | "label" | "data_type">>];

const DEFAULT_LENGTH: Record<DataType, number> = {
  text: 255,
  textarea: 32000,
  email: 100,
  phone: 30,
  website: 255,
  picklist: 120,
  multiselectpicklist: 2000,
  lookup: 19,
  ownerlookup: 19,
  date: 20,
  datetime: 120,
  integer: 9,
  bigint: 19,
  double: 16,
  currency: 16,
  boolean: 5,
};

const LEAD_SOURCES = [
  "-None-",
  "Advertisement",
  "Cold Call",
  "Employee Referral",
  "External Referral",
  "Online Store",
  "Partner",
  "Public Relations",
  "Seminar Partner",
  "Trade Show",
  "Web Download",
  "Web Research",
  "Chat",
  "Twitter",
  "Facebook",
];
const INDUSTRIES = [
  "-None-",
  "ASP",
  "Data/Telecom OEM",
  "ERP",
  "Government/Military",
  "Large Enterprise",
  "ManagementISV",
  "MSP (Management Service Provider)",
  "Network Equipment Enterprise",
  "Non-management ISV",
  "Optical Networking",
  "Service Provider",
  "Small/Medium Enterprise",
  "Storage Equipment",
  "Storage Service Provider",
  "Systems Integrator",
  "Wireless Industry",
  "Technology",
];
const LEAD_STATUSES = [
  "-None-",
  "Attempted to Contact",
  "Contact in Future",
  "Contacted",
  "Junk Lead",
  "Lost Lead",
  "Not Contacted",
  "Pre-Qualified",
  "Not Qualified",
];
const RATINGS = ["-None-", "Acquired", "Active", "Market Failed", "Project Cancelled", "Shut Down", "Hot", "Warm", "Cold"];
const STAGES = [
  "Qualification",
  "Needs Analysis",
  "Value Proposition",
  "Id. Decision Makers",
  "Perception Analysis",
  "Proposal/Price Quote",
  "Negotiation/Review",
  "Closed Won",
  "Closed Lost",
  "Closed-Lost to Competition",
];
const ACCOUNT_TYPES = [
  "-None-",
  "Analyst",
  "Competitor",
  "Customer",
  "Distributor",
  "Integrator",
  "Investor",
  "Other",
  "Partner",
  "Press",
  "Prospect",
  "Reseller",
  "Supplier",
  "Vendor",
];
const DEAL_TYPES = ["-None-", "Existing Business", "New Business"];
const TASK_STATUSES = ["Not Started", "Deferred", "In Progress", "Completed", "Waiting for input"];
const PRIORITIES = ["High", "Highest", "Low", "Lowest", "Normal"];
const PRODUCT_CATEGORIES = ["-None-", "Hardware", "Software", "CRM Applications"];
const MANUFACTURERS = ["-None-", "AltvetPet Inc.", "LexPon Inc.", "MetBeat Corp."];
const SALUTATIONS = ["-None-", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."];
const OWNERSHIPS = ["-None-", "Other", "Private", "Public", "Subsidiary", "Partnership", "Government", "Privately Held", "Public Company"];
const USAGE_UNITS = [
  "-None-",
  "Box",
  "Carton",
  "Dozen",
  "Each",
  "Hours",
  "Impressions",
  "Lb",
  "M",
  "Pack",
  "Pages",
  "Pieces",
  "Quantity",
  "Reams",
  "Sheet",
  "Spiral Binder",
  "Sq Ft",
];
const CALL_TYPES = ["Outbound", "Inbound", "Missed"];
const CALL_PURPOSES = ["-None-", "Prospecting", "Administrative", "Negotiation", "Demo", "Project", "Desk"];

/** Set by Zoho when an activity, note or email touches the record; the emulator leaves it empty. */
const LAST_ACTIVITY: FieldSpec = ["Last_Activity_Time", "Last Activity Time", "datetime", { readOnly: true }];

/** The polymorphic "Related To" of activities: the record's module goes in `$se_module`. */
const RELATED_TO: FieldSpec[] = [
  ["What_Id", "Related To", "lookup", { lookupModule: SE_MODULE }],
  ["$se_module", "Related Module", "text", { length: 50 }],
];

const SYSTEM_FIELDS: FieldSpec[] = [
  ["Owner", "Lead Owner", "ownerlookup"],
  ["Created_By", "Created By", "ownerlookup", { readOnly: true }],
  ["Modified_By", "Modified By", "ownerlookup", { readOnly: true }],
  ["Created_Time", "Created Time", "datetime", { readOnly: true }],
  ["Modified_Time", "Modified Time", "datetime", { readOnly: true }],
];

const MODULE_SPECS: Array<{
  api: string;
  singular: string;
  plural: string;
  display: string;
  duplicateCheck: string[];
  convertable?: boolean;
  owner: string;
  fields: FieldSpec[];
}> = [
  {
    api: "Leads",
    singular: "Lead",
    plural: "Leads",
    display: "Full_Name",
    duplicateCheck: ["Email"],
    convertable: true,
    owner: "Lead Owner",
    fields: [
      ["Company", "Company", "text"],
      ["Salutation", "Salutation", "picklist", { picklist: SALUTATIONS }],
      ["First_Name", "First Name", "text", { length: 40 }],
      ["Last_Name", "Last Name", "text", { length: 80, mandatory: true }],
      ["Full_Name", "Full Name", "text", { readOnly: true }],
      ["Designation", "Title", "text", { length: 100 }],
      ["Email", "Email", "email", { unique: true }],
      ["Secondary_Email", "Secondary Email", "email"],
      ["Phone", "Phone", "phone"],
      ["Mobile", "Mobile", "phone"],
      ["Fax", "Fax", "phone"],
      ["Website", "Website", "website"],
      ["Skype_ID", "Skype ID", "text", { length: 50 }],
      ["Twitter", "Twitter", "text", { length: 50 }],
      ["Lead_Source", "Lead Source", "picklist", { picklist: LEAD_SOURCES }],
      ["Lead_Status", "Lead Status", "picklist", { picklist: LEAD_STATUSES }],
      ["Industry", "Industry", "picklist", { picklist: INDUSTRIES }],
      ["No_of_Employees", "No. of Employees", "integer"],
      ["Annual_Revenue", "Annual Revenue", "currency"],
      ["Rating", "Rating", "picklist", { picklist: RATINGS }],
      ["Email_Opt_Out", "Email Opt Out", "boolean"],
      LAST_ACTIVITY,
      // Zoho's external-id fields are always custom fields.
      ["External_Lead_ID", "External Lead ID", "text", { unique: true, external: true, custom: true }],
      ["Street", "Street", "text", { section: "address", length: 250 }],
      ["City", "City", "text", { section: "address", length: 100 }],
      ["State", "State", "text", { section: "address", length: 100 }],
      ["Zip_Code", "Zip Code", "text", { section: "address", length: 30 }],
      ["Country", "Country", "text", { section: "address", length: 100 }],
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Contacts",
    singular: "Contact",
    plural: "Contacts",
    display: "Full_Name",
    duplicateCheck: ["Email"],
    owner: "Contact Owner",
    fields: [
      ["Salutation", "Salutation", "picklist", { picklist: SALUTATIONS }],
      ["First_Name", "First Name", "text", { length: 40 }],
      ["Last_Name", "Last Name", "text", { length: 80, mandatory: true }],
      ["Full_Name", "Full Name", "text", { readOnly: true }],
      ["Account_Name", "Account Name", "lookup", { lookupModule: "Accounts" }],
      ["Reporting_To", "Reporting To", "lookup", { lookupModule: "Contacts" }],
      ["Title", "Title", "text", { length: 100 }],
      ["Department", "Department", "text", { length: 100 }],
      ["Email", "Email", "email"],
      ["Secondary_Email", "Secondary Email", "email"],
      ["Phone", "Phone", "phone"],
      ["Other_Phone", "Other Phone", "phone"],
      ["Home_Phone", "Home Phone", "phone"],
      ["Mobile", "Mobile", "phone"],
      ["Fax", "Fax", "phone"],
      ["Assistant", "Assistant", "text", { length: 30 }],
      ["Asst_Phone", "Asst Phone", "phone"],
      ["Skype_ID", "Skype ID", "text", { length: 50 }],
      ["Twitter", "Twitter", "text", { length: 50 }],
      ["Lead_Source", "Lead Source", "picklist", { picklist: LEAD_SOURCES }],
      ["Date_of_Birth", "Date of Birth", "date"],
      ["Email_Opt_Out", "Email Opt Out", "boolean"],
      LAST_ACTIVITY,
      ["Mailing_Street", "Mailing Street", "text", { section: "address", length: 250 }],
      ["Mailing_City", "Mailing City", "text", { section: "address", length: 100 }],
      ["Mailing_State", "Mailing State", "text", { section: "address", length: 100 }],
      ["Mailing_Zip", "Mailing Zip", "text", { section: "address", length: 30 }],
      ["Mailing_Country", "Mailing Country", "text", { section: "address", length: 100 }],
      ["Other_Street", "Other Street", "text", { section: "address", length: 250 }],
      ["Other_City", "Other City", "text", { section: "address", length: 100 }],
      ["Other_State", "Other State", "text", { section: "address", length: 100 }],
      ["Other_Zip", "Other Zip", "text", { section: "address", length: 30 }],
      ["Other_Country", "Other Country", "text", { section: "address", length: 100 }],
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Accounts",
    singular: "Account",
    plural: "Accounts",
    display: "Account_Name",
    duplicateCheck: ["Account_Name"],
    owner: "Account Owner",
    fields: [
      ["Account_Name", "Account Name", "text", { length: 200, mandatory: true, unique: true }],
      ["Account_Site", "Account Site", "text", { length: 30 }],
      ["Parent_Account", "Parent Account", "lookup", { lookupModule: "Accounts" }],
      ["Account_Number", "Account Number", "bigint"],
      ["Phone", "Phone", "phone"],
      ["Fax", "Fax", "phone"],
      ["Website", "Website", "website"],
      ["Ticker_Symbol", "Ticker Symbol", "text", { length: 30 }],
      ["Account_Type", "Account Type", "picklist", { picklist: ACCOUNT_TYPES }],
      ["Ownership", "Ownership", "picklist", { picklist: OWNERSHIPS }],
      ["Industry", "Industry", "picklist", { picklist: INDUSTRIES }],
      ["Employees", "Employees", "integer"],
      ["Annual_Revenue", "Annual Revenue", "currency"],
      ["SIC_Code", "SIC Code", "integer"],
      ["Rating", "Rating", "picklist", { picklist: RATINGS }],
      LAST_ACTIVITY,
      ["Billing_Street", "Billing Street", "text", { section: "address", length: 250 }],
      ["Billing_City", "Billing City", "text", { section: "address", length: 100 }],
      ["Billing_State", "Billing State", "text", { section: "address", length: 100 }],
      ["Billing_Code", "Billing Code", "text", { section: "address", length: 30 }],
      ["Billing_Country", "Billing Country", "text", { section: "address", length: 100 }],
      ["Shipping_Street", "Shipping Street", "text", { section: "address", length: 250 }],
      ["Shipping_City", "Shipping City", "text", { section: "address", length: 100 }],
      ["Shipping_State", "Shipping State", "text", { section: "address", length: 100 }],
      ["Shipping_Code", "Shipping Code", "text", { section: "address", length: 30 }],
      ["Shipping_Country", "Shipping Country", "text", { section: "address", length: 100 }],
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Deals",
    singular: "Deal",
    plural: "Deals",
    display: "Deal_Name",
    duplicateCheck: ["Deal_Name"],
    owner: "Deal Owner",
    fields: [
      ["Deal_Name", "Deal Name", "text", { length: 120, mandatory: true }],
      ["Account_Name", "Account Name", "lookup", { lookupModule: "Accounts" }],
      ["Contact_Name", "Contact Name", "lookup", { lookupModule: "Contacts" }],
      ["Amount", "Amount", "currency"],
      ["Stage", "Stage", "picklist", { picklist: STAGES, mandatory: true }],
      ["Closing_Date", "Closing Date", "date", { mandatory: true }],
      ["Probability", "Probability (%)", "integer"],
      // Zoho computes these; the emulator leaves them empty.
      ["Expected_Revenue", "Expected Revenue", "currency", { readOnly: true }],
      ["Lead_Conversion_Time", "Lead Conversion Time", "integer", { readOnly: true }],
      ["Sales_Cycle_Duration", "Sales Cycle Duration", "integer", { readOnly: true }],
      ["Overall_Sales_Duration", "Overall Sales Duration", "integer", { readOnly: true }],
      ["Type", "Type", "picklist", { picklist: DEAL_TYPES }],
      ["Lead_Source", "Lead Source", "picklist", { picklist: LEAD_SOURCES }],
      ["Next_Step", "Next Step", "text", { length: 100 }],
      LAST_ACTIVITY,
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Tasks",
    singular: "Task",
    plural: "Tasks",
    display: "Subject",
    duplicateCheck: ["Subject"],
    owner: "Task Owner",
    fields: [
      ["Subject", "Subject", "text", { mandatory: true }],
      ["Due_Date", "Due Date", "date"],
      ["Status", "Status", "picklist", { picklist: TASK_STATUSES }],
      ["Priority", "Priority", "picklist", { picklist: PRIORITIES }],
      ["Who_Id", "Contact Name", "lookup", { lookupModule: "Contacts" }],
      ...RELATED_TO,
      ["Send_Notification_Email", "Send Notification Email", "boolean"],
      ["Closed_Time", "Closed Time", "datetime"],
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Events",
    singular: "Event",
    plural: "Events",
    display: "Event_Title",
    duplicateCheck: [],
    owner: "Host",
    fields: [
      ["Event_Title", "Title", "text", { mandatory: true }],
      ["Venue", "Location", "text"],
      ["All_day", "All day", "boolean"],
      ["Start_DateTime", "From", "datetime", { mandatory: true }],
      ["End_DateTime", "To", "datetime", { mandatory: true }],
      ["Who_Id", "Contact Name", "lookup", { lookupModule: "Contacts" }],
      ...RELATED_TO,
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Calls",
    singular: "Call",
    plural: "Calls",
    display: "Subject",
    duplicateCheck: [],
    owner: "Call Owner",
    fields: [
      ["Subject", "Subject", "text", { mandatory: true }],
      ["Call_Type", "Call Type", "picklist", { picklist: CALL_TYPES, mandatory: true }],
      ["Call_Purpose", "Call Purpose", "picklist", { picklist: CALL_PURPOSES }],
      ["Call_Start_Time", "Call Start Time", "datetime", { mandatory: true }],
      // `mm:ss`, as Zoho takes it.
      ["Call_Duration", "Call Duration", "text", { length: 10 }],
      ["Call_Agenda", "Call Agenda", "text"],
      ["Call_Result", "Call Result", "text"],
      ["Caller_ID", "Caller ID", "phone"],
      ["Dialled_Number", "Dialled Number", "phone"],
      ["Who_Id", "Contact Name", "lookup", { lookupModule: "Contacts" }],
      ...RELATED_TO,
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
  {
    api: "Notes",
    singular: "Note",
    plural: "Notes",
    display: "Note_Title",
    duplicateCheck: [],
    owner: "Note Owner",
    fields: [
      ["Note_Title", "Note Title", "text", { length: 120 }],
      ["Note_Content", "Note Content", "textarea", { mandatory: true }],
      ["Parent_Id", "Parent ID", "lookup", { lookupModule: SE_MODULE, mandatory: true }],
      ["$se_module", "Parent Module", "text", { length: 50, mandatory: true }],
    ],
  },
  {
    api: "Products",
    singular: "Product",
    plural: "Products",
    display: "Product_Name",
    duplicateCheck: ["Product_Name"],
    owner: "Product Owner",
    fields: [
      ["Product_Name", "Product Name", "text", { length: 120, mandatory: true }],
      ["Product_Code", "Product Code", "text", { length: 40, unique: true }],
      ["Product_Active", "Product Active", "boolean"],
      ["Product_Category", "Product Category", "picklist", { picklist: PRODUCT_CATEGORIES }],
      ["Manufacturer", "Manufacturer", "picklist", { picklist: MANUFACTURERS }],
      ["Unit_Price", "Unit Price", "currency"],
      ["Commission_Rate", "Commission Rate", "currency"],
      ["Usage_Unit", "Usage Unit", "picklist", { picklist: USAGE_UNITS }],
      ["Qty_Ordered", "Qty Ordered", "double"],
      ["Qty_in_Stock", "Qty in Stock", "double"],
      ["Reorder_Level", "Reorder Level", "double"],
      ["Qty_in_Demand", "Qty in Demand", "double"],
      ["Taxable", "Taxable", "boolean"],
      ["Sales_Start_Date", "Sales Start Date", "date"],
      ["Sales_End_Date", "Sales End Date", "date"],
      ["Support_Start_Date", "Support Start Date", "date"],
      ["Support_Expiry_Date", "Support Expiry Date", "date"],
      ["Description", "Description", "textarea", { section: "description" }],
    ],
  },
];

/** Builds the module definitions; ids come from `ids` in a fixed order, so they are stable. */
export function buildModules(ids: IdGenerator): ModuleDef[] {
  return MODULE_SPECS.map((spec, index) => {
    const id = ids.next();
    const layoutId = ids.next();
    const specs: FieldSpec[] = [[SYSTEM_FIELDS[0]![0], spec.owner, "ownerlookup"], ...spec.fields, ...SYSTEM_FIELDS.slice(1)];
    const fields = specs.map(
      ([api, label, type, extra = {}]): FieldDef => ({
        id: ids.next(),
        api_name: api,
        label,
        data_type: type,
        length: extra.length ?? DEFAULT_LENGTH[type],
        mandatory: extra.mandatory ?? false,
        unique: extra.unique ?? false,
        external: extra.external ?? false,
        readOnly: extra.readOnly ?? false,
        custom: extra.custom ?? false,
        picklist: extra.picklist,
        lookupModule: extra.lookupModule,
        section: extra.section ?? "info",
      }),
    );
    return {
      id,
      api_name: spec.api,
      singular: spec.singular,
      plural: spec.plural,
      sequence: index + 2,
      fields,
      displayField: spec.display,
      duplicateCheck: spec.duplicateCheck,
      convertable: spec.convertable ?? false,
      layoutId,
    };
  });
}

/** Data types whose values are numbers (compared, sorted and read from CSV as numbers). */
export function isNumericType(type: DataType): boolean {
  return type === "integer" || type === "bigint" || type === "double" || type === "currency";
}

export function fieldOf(module: ModuleDef, apiName: string): FieldDef | undefined {
  return module.fields.find((f) => f.api_name === apiName) ?? module.fields.find((f) => f.api_name.toLowerCase() === apiName.toLowerCase());
}
