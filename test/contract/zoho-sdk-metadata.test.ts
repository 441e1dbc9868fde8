/**
 * Spec vs Zoho's model metadata (issue 13): Zoho's SDK for v2 ships, in config/json_details.json,
 * the JSON key and type of every member of every model class it reads or sends. For the structures
 * our spec describes, every key Zoho's model declares must be a property of our schema (bundled:
 * generated/crm-v2.openapi.json, $refs resolved) with a compatible JSON type, recursively — or be
 * in the small allow-list below, each entry with its reason. Allow-list entries must still match
 * something, so the list cannot rot; and the last tests show the comparison bites.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZOHO_SDK_ROOT } from "./zoho-sdk/load.js";
import { type Finding, ModelVsSpec } from "./zoho-sdk/model-vs-spec.js";

type Json = Record<string, unknown>;

const model = JSON.parse(readFileSync(path.join(ZOHO_SDK_ROOT, "config", "json_details.json"), "utf8")) as Record<string, Record<string, unknown>>;
const spec = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "..", "generated", "crm-v2.openapi.json"), "utf8")) as Json;

/** A model structure (under core/com/zoho/crm/api) and our schema: a named schema, or an operation's answer. */
type Target = string | { operationId: string; status: number };

const PAIRS: Array<[structure: string, target: Target]> = [
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
const ALLOWED: Array<{ match: RegExp; reason: string }> = [
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

const checker = new ModelVsSpec(model, spec);

function targetSchema(c: ModelVsSpec, target: Target): Json {
  return typeof target === "string" ? c.schema(target) : c.operationSchema(target.operationId, target.status);
}

const describeFinding = (f: Finding) =>
  `${f.problem}: ${f.path} (model ${f.modelType.replace("core/com/zoho/crm/api/", "")}${f.schemaTypes ? `, spec ${f.schemaTypes.join("|")}` : ""})`;

describe("our spec declares every key of Zoho's v2 model metadata", () => {
  const all: Finding[] = [];
  for (const [structure, target] of PAIRS) {
    it(`${structure} ⊆ ${typeof target === "string" ? target : `${target.operationId} ${target.status}`}`, () => {
      const findings = checker.compare(structure, targetSchema(checker, target));
      all.push(...findings);
      const unexplained = findings.filter((f) => !ALLOWED.some((a) => a.match.test(f.path))).map(describeFinding);
      expect(unexplained).toEqual([]);
    });
  }

  it("every allow-list entry still matches a finding (and gives its reason)", () => {
    for (const entry of ALLOWED) {
      expect(entry.reason.length, String(entry.match)).toBeGreaterThan(30);
      expect(
        all.some((f) => entry.match.test(f.path)),
        `${entry.match} matches nothing any more: drop it`,
      ).toBe(true);
    }
  });
});

describe("the comparison bites", () => {
  /** The checker over a copy of the spec, changed by `edit`. */
  const withEdit = (edit: (schemas: Record<string, Json>) => void): ModelVsSpec => {
    const copy = structuredClone(spec);
    edit((copy.components as Json).schemas as Record<string, Json>);
    return new ModelVsSpec(model, copy);
  };
  const props = (schema: Json) => schema.properties as Record<string, Json>;

  it("a property removed from a schema is reported missing", () => {
    const c = withEdit((s) => delete props(s.User!).email);
    const findings = c.compare("users/response_wrapper", targetSchema(c, { operationId: "getUsers", status: 200 }));
    expect(findings.map(describeFinding)).toEqual(["missing: users/response_wrapper.users[].email (model String)"]);
  });

  it("a property renamed deep inside a nested schema is reported at its path", () => {
    const c = withEdit((s) => {
      const criteria = props(s.CustomViewCriteria!);
      criteria.field_name = criteria.field!;
      delete criteria.field;
    });
    const findings = c.compare("territories/response_wrapper", c.schema("TerritoryList")).filter((f) => !ALLOWED.some((a) => a.match.test(f.path)));
    expect(findings.map(describeFinding)).toEqual(["missing: territories/response_wrapper.territories[].criteria.field (model String)"]);
  });

  it("an incompatible JSON type is reported (a bulk-read job's module as an object, the v7 shape)", () => {
    const c = withEdit((s) => {
      props(s.BulkReadJobQuery!).module = { type: "object", additionalProperties: true };
    });
    const findings = c.compare("bulk_read/response_wrapper", c.schema("BulkReadJobDetails")).filter((f) => !ALLOWED.some((a) => a.match.test(f.path)));
    expect(findings.map(describeFinding)).toEqual(["type: bulk_read/response_wrapper.data[].query.module (model String, spec object)"]);
  });
});
