/**
 * What the spec-vs-model test compares: pairs of a Zoho SDK model structure and our schema, and
 * the allow-list of keys our spec leaves out on purpose. Shared by the test and the contract doc.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ZOHO_SDK_ROOT } from "./load.js";
import { type Finding, ModelVsSpec } from "./model-vs-spec.js";

type Json = Record<string, unknown>;

/** Zoho's model metadata and our bundled spec. */
export function loadModelAndSpec(): { model: Record<string, Record<string, unknown>>; spec: Json } {
  return {
    model: JSON.parse(readFileSync(path.join(ZOHO_SDK_ROOT, "config", "json_details.json"), "utf8")) as Record<string, Record<string, unknown>>,
    spec: JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "..", "..", "generated", "crm-v2.openapi.json"), "utf8")) as Json,
  };
}

/** A model structure (under core/com/zoho/crm/api) and our schema: a named schema, or an operation's answer. */
export type Target = string | { operationId: string; status: number };

export const PAIRS: Array<[structure: string, target: Target]> = [
  // Records: pages, writes (create, update, upsert and delete share one model), deleted records, convert, mass update.
  ["record/response_wrapper", { operationId: "getRecords", status: 200 }],
  ["record/body_wrapper", "UpsertRequest"],
  ["record/action_wrapper", "UpsertResults"],
  ["record/deleted_records_wrapper", { operationId: "getDeletedRecords", status: 200 }],
  ["record/convert_body_wrapper", "ConvertLeadRequest"],
  ["record/convert_action_wrapper", { operationId: "convertLead", status: 200 }],
  ["record/mass_update_body_wrapper", "MassUpdateRequest"],
  ["record/mass_update_action_wrapper", "MassUpdateResults"],
  ["record/mass_update_response_wrapper", { operationId: "getMassUpdateStatus", status: 200 }],
  ["related_records/response_wrapper", { operationId: "getRelatedRecords", status: 200 }],
  // Users and the org.
  ["users/response_wrapper", { operationId: "getUsers", status: 200 }],
  ["users/action_wrapper", "UsersWriteResults"],
  ["org/response_wrapper", { operationId: "getOrganization", status: 200 }],
  ["roles/response_wrapper", "RoleList"],
  ["profiles/response_wrapper", "ProfileList"],
  ["territories/response_wrapper", "TerritoryList"],
  // Metadata.
  ["modules/response_wrapper", { operationId: "getModules", status: 200 }],
  ["modules/action_wrapper", "ModulesWriteResults"],
  ["fields/response_wrapper", { operationId: "getFields", status: 200 }],
  ["layouts/response_wrapper", { operationId: "getLayouts", status: 200 }],
  ["custom_views/response_wrapper", { operationId: "getCustomViews", status: 200 }],
  ["related_lists/response_wrapper", { operationId: "getRelatedLists", status: 200 }],
  // Notes, attachments, tags.
  ["notes/response_wrapper", { operationId: "getNotes", status: 200 }],
  ["notes/body_wrapper", "NotesCreateRequest"],
  ["notes/action_wrapper", { operationId: "createNotes", status: 201 }],
  ["attachments/response_wrapper", { operationId: "getAttachments", status: 200 }],
  ["attachments/action_wrapper", { operationId: "uploadAttachment", status: 200 }],
  ["tags/response_wrapper", { operationId: "getTags", status: 200 }],
  ["tags/body_wrapper", "ModuleTagsWriteRequest"],
  ["tags/action_wrapper", "ModuleTagsWriteResults"],
  ["tags/record_action_wrapper", "RecordTagsResults"],
  ["tags/count_wrapper", "ModuleTagRecordsCount"],
  ["tags/merge_wrapper", "ModuleTagMergeRequest"],
  // Bulk read and write.
  ["bulk_read/request_wrapper", "BulkReadRequest"],
  ["bulk_read/action_wrapper", "BulkReadCreated"],
  ["bulk_read/response_wrapper", "BulkReadJobDetails"],
  ["bulk_write/request_wrapper", "BulkWriteRequest"],
  ["bulk_write/bulk_write_response", "BulkWriteJob"],
  ["bulk_write/success_response", "BulkWriteCreated"],
  // Notifications, COQL.
  ["notification/body_wrapper", "WatchRequest"],
  ["notification/response_wrapper", "WatchList"],
  ["notification/action_wrapper", "WatchResults"],
  ["query/body_wrapper", "CoqlRequest"],
  ["query/response_wrapper", "CoqlResponse"],
  // Currencies, taxes, variables.
  ["currencies/response_wrapper", "CurrencyList"],
  ["currencies/body_wrapper", "CurrenciesWriteRequest"],
  ["currencies/action_wrapper", "CurrenciesWriteResults"],
  ["currencies/base_currency_wrapper", "BaseCurrencyRequest"],
  ["currencies/base_currency_action_wrapper", "BaseCurrencyResult"],
  ["taxes/response_wrapper", "TaxList"],
  ["taxes/body_wrapper", "TaxesWriteRequest"],
  ["taxes/action_wrapper", "TaxesWriteResults"],
  ["variables/response_wrapper", "VariableList"],
  ["variables/body_wrapper", "VariablesWriteRequest"],
  ["variables/action_wrapper", "VariablesWriteResults"],
  ["variable_groups/response_wrapper", "VariableGroupList"],
];

/** Keys Zoho's model declares that our spec leaves out on purpose; each entry says why, and must still match. */
export const ALLOWED: Array<{ match: RegExp; reason: string }> = [
  {
    match:
      /^(notes|tags|currencies|taxes)\/(body_wrapper|base_currency_wrapper)\..*\.(Owner|Created_By|Created_Time|Modified_By|Modified_Time|created_by|created_time|modified_by|modified_time|is_base|display_label|\$\w+)$/,
    reason: "answer-only keys (audit fields, $-keys, computed labels) of a model the SDK shares between answers and requests; a request never sends them",
  },
  {
    match: /^bulk_write\/request_wrapper\.resource\[\]\.(file|status)$/,
    reason: "job-only keys of the Resource model the SDK shares with the job details (BulkWriteJob declares them)",
  },
  {
    match: /^notification\/body_wrapper\.watch\[\]\.(resource_id|resource_name|resource_uri)$|^notification\/response_wrapper\.watch\[\]\._delete_events$/,
    reason: "the SDK's one Notification model serves requests and answers: resource_* are answer-only, _delete_events request-only (WatchChannelInput)",
  },
  {
    match: /^notification\/(body|response)_wrapper\.watch\[\]\.fields$/,
    reason: "not on the v2 notification pages (a later-version key); unknown keys still pass our open schemas",
  },
  {
    match: /^notification\/action_wrapper\.watch\[\]\.details\{events\}\[\]\./,
    reason:
      "a watch result's details.events lists each module's summary (expiry, resource, channel id: WatchEventDetail), not the whole channel the SDK's model allows",
  },
  {
    match: /\.criteria(\.group\[\]){2}\./,
    reason: "criteria groups nest without limit; our criteria schemas spell two levels and leave deeper ones open, to stay non-recursive",
  },
  {
    match: /^bulk_read\/action_wrapper\.data\[\]\.details\{(resource|message|expected_data_type|info_message|parent_api_name|comparator|value|api_name)\}$/,
    reason: "a bulk-read job request fails as a whole, as a 400 ApiError whose ErrorDetails declares these keys; the 201 answer only holds the created job",
  },
  {
    match: /^bulk_write\/success_response\.details\{(file_id|created_time)\}$/,
    reason:
      "the SDK's one SuccessResponse covers the file upload (BulkWriteUploadResult declares file_id and created_time) and the job creation (BulkWriteCreated)",
  },
  {
    match: /^record\/mass_update_response_wrapper\.data\[\]\.(code|details|message|status)$/,
    reason: "the SDK admits an APIException item inside a mass-update status page; v2 answers a bad job id as a request-level 400 instead",
  },
  {
    match: /^query\/response_wrapper\.info\.(per_page|page)$/,
    reason: "the SDK reuses the records' Info model; COQL's info has count and more_records only (zoho-samples coql.response.json)",
  },
  {
    match: /^record\/body_wrapper\.wf_trigger$/,
    reason: "a v1-era flag; v2 write bodies take `trigger` (workflow, approval, blueprint), which the spec declares",
  },
  {
    match: /^record\/action_wrapper\.data\[\]\.details\{External_Contact_ID\}$/,
    reason: "a custom field of the org Zoho generated the SDK's models from, baked into its error details; not a v2 key",
  },
  {
    match: /^record\/convert_body_wrapper\.data\[\]\.Deals\.id$/,
    reason: "a convert request's Deals is the new deal's data, not a reference; the SDK reuses its Record model, whose id a new deal has not",
  },
];

export function targetSchema(c: ModelVsSpec, target: Target): Json {
  return typeof target === "string" ? c.schema(target) : c.operationSchema(target.operationId, target.status);
}

export const describeFinding = (f: Finding): string =>
  `${f.problem}: ${f.path} (model ${f.modelType.replace("core/com/zoho/crm/api/", "")}${f.schemaTypes ? `, spec ${f.schemaTypes.join("|")}` : ""})`;

/** Every finding of every pair, and those no allow-list entry explains. */
export function compareAll(): { findings: Finding[]; unexplained: Finding[] } {
  const { model, spec } = loadModelAndSpec();
  const checker = new ModelVsSpec(model, spec);
  const findings = PAIRS.flatMap(([structure, target]) => checker.compare(structure, targetSchema(checker, target)));
  return { findings, unexplained: findings.filter((f) => !ALLOWED.some((a) => a.match.test(f.path))) };
}
