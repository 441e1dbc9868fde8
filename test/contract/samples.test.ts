/**
 * Contract tests: Zoho's own sample payloads (test/fixtures/zoho-samples, sources in SOURCES.md)
 * must validate against the hand-written spec, for the operation, status and direction each
 * belongs to. Negative checks prove the validator really rejects wrong shapes.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { SpecValidator, formatAjvErrors, type ValidationResult } from "../../src/emulator/spec-validator.js";

const SAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "zoho-samples");

type Json = unknown;

interface SampleCase {
  file: string;
  operationId?: string;
  direction?: "request" | "response";
  status?: number;
  /** Why the sample maps to this operation, or which schema decision it exercises. */
  note?: string;
  /** Validate this projection of the sample instead of the raw one (the raw one is checked separately). */
  project?: (body: Json) => Json;
  /** Not validated yet: the reason, naming the later issue. */
  pending?: string;
  /** Validate against this `components.schemas` entry instead of an operation (callback payloads). */
  schema?: string;
}

const V2_TRIGGERS = new Set(["workflow", "approval", "blueprint"]);
/** Drops the later-version trigger values (pathfinder, orchestration) v2 does not document. */
const v2Triggers = (body: Json): Json => {
  const b = structuredClone(body) as { trigger?: string[] };
  if (b.trigger) b.trigger = b.trigger.filter((t) => V2_TRIGGERS.has(t));
  return b;
};

/** v7 job details name the module as `{id, api_name}`; v2 answers its API name (Zoho's v2 SDK, bulk_read/query). */
const v2BulkModule = (body: Json): Json => {
  const b = structuredClone(body) as { data: Array<{ query?: { module?: unknown } }> };
  for (const job of b.data)
    if (job.query?.module && typeof job.query.module === "object") job.query.module = (job.query.module as { api_name: string }).api_name;
  return b;
};

const ACCOUNTS = "Zoho Accounts token endpoint (spec/paths/oauth.yaml, accounts server)";

const SAMPLE_TABLE: SampleCase[] = [
  // Records
  {
    file: "get-records.response.json",
    operationId: "getRecords",
    direction: "response",
    status: 200,
    note: "v8 info keys (next_page_token, call, email...) accepted: Info is open",
  },
  { file: "get-record.response.json", operationId: "getRecord", direction: "response", status: 200 },
  { file: "insert-records.request.json", operationId: "createRecords", direction: "request" },
  { file: "insert-records.response.json", operationId: "createRecords", direction: "response", status: 201 },
  { file: "insert-records-mixed.response.json", operationId: "createRecords", direction: "response", status: 207 },
  {
    file: "update-records.request.json",
    operationId: "updateRecords",
    direction: "request",
    project: v2Triggers,
    note: "v8 sample: trigger values pathfinder/orchestration are not v2; the Trigger enum stays v2-only, so the raw sample is rejected (asserted below) and its v2 projection validates; apply_/skip_feature_execution pass as unknown keys",
  },
  { file: "update-records.response.json", operationId: "updateRecords", direction: "response", status: 200 },
  { file: "upsert-records.request.json", operationId: "upsertRecords", direction: "request" },
  { file: "upsert-records.response.json", operationId: "upsertRecords", direction: "response", status: 200 },
  { file: "delete-records.response.json", operationId: "deleteRecords", direction: "response", status: 200 },
  { file: "delete-records-mixed.response.json", operationId: "deleteRecords", direction: "response", status: 207 },
  {
    file: "get-deleted-records.response.json",
    operationId: "getDeletedRecords",
    direction: "response",
    status: 200,
    note: "null deleted_by/created_by/display_name for permanent deletes",
  },
  {
    file: "search-records.response.json",
    operationId: "searchRecords",
    direction: "response",
    status: 200,
    note: "Owner without email: UserLookup requires only id",
  },
  // Convert lead: v2 plain ids and v7/v8 write results are both accepted (oneOf)
  { file: "convert-lead.request.json", operationId: "convertLead", direction: "request" },
  { file: "convert-lead.response.json", operationId: "convertLead", direction: "response", status: 200, note: "v8 write-result shape" },
  { file: "convert-lead-contact-only.response.json", operationId: "convertLead", direction: "response", status: 200, note: "null Deals/Accounts lookups" },
  { file: "convert-lead-v7.response.json", operationId: "convertLead", direction: "response", status: 200, note: "v7 write-result shape" },
  { file: "convert-lead-v2.response.json", operationId: "convertLead", direction: "response", status: 200, note: "v2 plain-id shape (authored)" },
  // COQL
  { file: "coql.request.json", operationId: "getRecordsByCOQL", direction: "request" },
  { file: "coql.response.json", operationId: "getRecordsByCOQL", direction: "response", status: 200 },
  { file: "error-coql-syntax.response.json", operationId: "getRecordsByCOQL", direction: "response", status: 400 },
  // Users, org
  { file: "users.response.json", operationId: "getUsers", direction: "response", status: 200 },
  { file: "org.response.json", operationId: "getOrganization", direction: "response", status: 200 },
  // Request-level errors
  { file: "error-invalid-module.response.json", operationId: "getRecords", direction: "response", status: 400 },
  {
    file: "error-discrete-pagination-limit-exceeded.response.json",
    operationId: "getRecords",
    direction: "response",
    status: 400,
    note: "v3+ code; shape is a plain ApiError",
  },
  {
    file: "error-token-bound-data-mismatch.response.json",
    operationId: "getRecords",
    direction: "response",
    status: 400,
    note: "v3+ code; shape is a plain ApiError",
  },
  { file: "error-required-param-missing.response.json", operationId: "deleteRecords", direction: "response", status: 400 },
  { file: "error-id-already-converted.response.json", operationId: "convertLead", direction: "response", status: 400 },
  { file: "error-oauth-scope-mismatch.response.json", operationId: "getRecords", direction: "response", status: 401 },
  {
    file: "error-invalid-token.response.json",
    operationId: "getRecords",
    direction: "response",
    status: 401,
    note: "source is a related-records op (not in spec yet); the 401 body is the same for every operation",
  },
  {
    file: "error-authentication-failure.response.json",
    operationId: "getRecords",
    direction: "response",
    status: 401,
    note: "source is a notes op (not in spec yet); the 401 body is the same for every operation",
  },
  { file: "error-no-permission.response.json", operationId: "getRecords", direction: "response", status: 403 },
  { file: "error-invalid-url-pattern.response.json", operationId: "getRecords", direction: "response", status: 404 },
  {
    file: "error-429-oas-example.response.json",
    operationId: "getRecords",
    direction: "response",
    status: 429,
    note: "suspect code RATE_LIMIT_EXCEEDED validates because ErrorCode is a plain string",
  },
  { file: "error-internal-error.response.json", operationId: "getRecords", direction: "response", status: 500 },
  // Record-level errors (inside data[]) under 400 and 412
  { file: "error-invalid-data.response.json", operationId: "createRecords", direction: "response", status: 400 },
  { file: "error-invalid-data-type.response.json", operationId: "createRecords", direction: "response", status: 400 },
  { file: "error-mandatory-not-found.response.json", operationId: "createRecords", direction: "response", status: 400 },
  { file: "error-duplicate-data.response.json", operationId: "createRecords", direction: "response", status: 400 },
  { file: "error-multiple-errors.response.json", operationId: "createRecords", direction: "response", status: 400 },
  { file: "error-limit-exceeded.response.json", operationId: "updateRecords", direction: "response", status: 400 },
  {
    file: "error-already-modified.response.json",
    operationId: "updateRecords",
    direction: "response",
    status: 412,
    note: "412 body is record-level ({data: [...]}), so 412 uses ErrorResponse (ApiError | RecordErrors)",
  },
  { file: "error-already-modified.response.json", operationId: "updateRecord", direction: "response", status: 412 },
  // Related records, notes, attachments, contact roles (issue 6 A)
  {
    file: "get-related-records.response.json",
    operationId: "getRelatedRecords",
    direction: "response",
    status: 200,
    note: "v8 info keys (next_page_token, page_token_expiry) accepted: Info is open",
  },
  {
    file: "get-notes.response.json",
    operationId: "getNotes",
    direction: "response",
    status: 200,
    note: "v8 Parent_Id.module object and $attachments accepted: Note is open",
  },
  {
    file: "get-attachments.response.json",
    operationId: "getAttachments",
    direction: "response",
    status: 200,
    note: "a file and a link attachment ($type, $link_url, Size as text)",
  },
  {
    file: "get-contact-roles-of-deal.response.json",
    operationId: "getAllContactRolesOfDeal",
    direction: "response",
    status: 200,
    note: "contacts with Contact_Role {name, id}",
  },
  // Bulk read and notifications (issue 6 B)
  {
    file: "bulk-read-create-job.request.json",
    operationId: "createBulkReadJob",
    direction: "request",
    note: "v7 sample: module as {api_name}, criteria with field.api_name and a nested group",
  },
  { file: "bulk-read-create-job.response.json", operationId: "createBulkReadJob", direction: "response", status: 201, note: "empty info object" },
  {
    file: "bulk-read-callback-completed.payload.json",
    operationId: "getBulkReadJobDetails",
    direction: "response",
    status: 200,
    project: v2BulkModule,
    note: "a completion callback's body is the job's details (download_url is a v7 path: any path is accepted); v7 query.module {id, api_name} projected to v2's API name (raw rejected, asserted below)",
  },
  {
    file: "bulk-read-callback-completed.payload.json",
    schema: "BulkReadJobDetails",
    project: v2BulkModule,
    note: "the bulkReadJobCallback request body, v2 projection",
  },
  {
    file: "notifications-enable.request.json",
    operationId: "enableNotifications",
    direction: "request",
    note: "channel_id as text, notification_condition left open",
  },
  { file: "notifications-enable.response.json", operationId: "enableNotifications", direction: "response", status: 201 },
  {
    file: "notification-callback.payload.json",
    schema: "NotificationCallback",
    note: "what Zoho POSTs to notify_url (the notificationCallback callback of enableNotifications)",
  },
  // Zoho Accounts
  { file: "oauth-token.response.json", operationId: "generateAccessToken", direction: "response", status: 200, note: ACCOUNTS },
  { file: "oauth-refresh.response.json", operationId: "generateAccessToken", direction: "response", status: 200, note: `${ACCOUNTS}; no refresh_token` },
  {
    file: "oauth-token-legacy.response.json",
    operationId: "generateAccessToken",
    direction: "response",
    status: 200,
    note: `${ACCOUNTS}; expires_in_sec + expires_in in ms`,
  },
  {
    file: "oauth-invalid-code.response.json",
    operationId: "generateAccessToken",
    direction: "response",
    status: 200,
    note: `${ACCOUNTS}; error body under HTTP 200`,
  },
  {
    file: "oauth-invalid-client.response.json",
    operationId: "generateAccessToken",
    direction: "response",
    status: 200,
    note: `${ACCOUNTS}; error body under HTTP 200`,
  },
  {
    file: "oauth-access-denied.response.json",
    operationId: "generateAccessToken",
    direction: "response",
    status: 200,
    note: `${ACCOUNTS}; throttled, error body under HTTP 200`,
  },
];

/** The operations of this spec slice, by the names the SDK and emulator rely on. */
const EXPECTED_OPERATIONS: Record<string, string> = {
  getRecords: "GET /crm/v2/{module}",
  createRecords: "POST /crm/v2/{module}",
  updateRecords: "PUT /crm/v2/{module}",
  deleteRecords: "DELETE /crm/v2/{module}",
  getRecord: "GET /crm/v2/{module}/{id}",
  updateRecord: "PUT /crm/v2/{module}/{id}",
  deleteRecord: "DELETE /crm/v2/{module}/{id}",
  upsertRecords: "POST /crm/v2/{module}/upsert",
  searchRecords: "GET /crm/v2/{module}/search",
  getDeletedRecords: "GET /crm/v2/{module}/deleted",
  convertLead: "POST /crm/v2/Leads/{id}/actions/convert",
  getRecordsByCOQL: "POST /crm/v2/coql",
  getUsers: "GET /crm/v2/users",
  createUser: "POST /crm/v2/users",
  updateUsers: "PUT /crm/v2/users",
  getUser: "GET /crm/v2/users/{id}",
  updateUser: "PUT /crm/v2/users/{id}",
  deleteUser: "DELETE /crm/v2/users/{id}",
  getOrganization: "GET /crm/v2/org",
  getModules: "GET /crm/v2/settings/modules",
  getModule: "GET /crm/v2/settings/modules/{module}",
  getFields: "GET /crm/v2/settings/fields",
  getField: "GET /crm/v2/settings/fields/{id}",
  getLayouts: "GET /crm/v2/settings/layouts",
  getLayout: "GET /crm/v2/settings/layouts/{id}",
};

function loadSample(file: string): Json {
  return JSON.parse(readFileSync(path.join(SAMPLES_DIR, file), "utf8")) as Json;
}

function expectValid(result: ValidationResult, label: string): void {
  expect(result.valid, `${label} should validate:\n${formatAjvErrors(result.errors).join("\n")}`).toBe(true);
}

function expectInvalid(result: ValidationResult, label: string, keyword?: string): void {
  expect(result.valid, `${label} should NOT validate`).toBe(false);
  if (keyword) {
    expect(
      result.errors.map((e) => e.keyword),
      `${label}: expected a "${keyword}" error, got:\n${formatAjvErrors(result.errors).join("\n")}`,
    ).toContain(keyword);
  }
}

let validator: SpecValidator;
beforeAll(async () => {
  validator = SpecValidator.load();
});

describe("spec operations", () => {
  it("declares every core operation with its method and path", () => {
    const actual = Object.fromEntries(validator.operations().map((op) => [op.operationId, `${op.method} ${op.path}`]));
    for (const [operationId, route] of Object.entries(EXPECTED_OPERATIONS)) {
      expect(actual[operationId], operationId).toBe(route);
    }
  });

  it("gives every response with a body an application/json schema", () => {
    /** Binary downloads and HTML error pages declare only non-JSON content: not JSON bodies. */
    const nonJson = (operationId: string, status: string): boolean => {
      const types = validator.responseContentTypes(operationId, status);
      return types.length > 0 && !types.some((t) => t.includes("json"));
    };
    for (const op of validator.operations()) {
      for (const status of op.statuses) {
        if (status === "204" || status === "304" || nonJson(op.operationId, status)) continue;
        // a body-less validation must fail when a schema exists
        expect(validator.validateResponse(op.operationId, status, undefined).valid, `${op.operationId} ${status}`).toBe(false);
      }
    }
  });
});

describe("sample table", () => {
  it("covers every fixture file, and every validated row has a fixture", () => {
    const files = readdirSync(SAMPLES_DIR)
      .filter((f) => f.endsWith(".json"))
      .sort();
    const tabled = new Set(SAMPLE_TABLE.map((row) => row.file));
    expect(
      files.filter((f) => !tabled.has(f)),
      "fixtures missing from SAMPLE_TABLE",
    ).toEqual([]);
    const present = new Set(files);
    const missing = SAMPLE_TABLE.filter((row) => !row.pending && !present.has(row.file)).map((row) => row.file);
    expect(missing, "validated rows without a fixture file").toEqual([]);
  });
});

describe("Zoho samples validate against the spec", () => {
  for (const row of SAMPLE_TABLE) {
    if (row.pending) {
      it.todo(`${row.file}: pending, ${row.pending}`);
      continue;
    }
    const target = row.schema ? `schema ${row.schema}` : `${row.operationId} ${row.direction}${row.status ? ` ${row.status}` : ""}`;
    const label = `${row.file} as ${target}${row.note ? ` (${row.note})` : ""}`;
    it(label, () => {
      const raw = loadSample(row.file);
      const body = row.project ? row.project(raw) : raw;
      const operationId = row.operationId!;
      const result = row.schema
        ? validator.validateSchema(row.schema, body)
        : row.direction === "request"
          ? validator.validateRequest(operationId, body)
          : validator.validateResponse(operationId, row.status!, body);
      expectValid(result, row.file);
    });
  }

  it("rejects the raw v7 bulk-read job only for its later-version query.module object", () => {
    const result = validator.validateResponse("getBulkReadJobDetails", 200, loadSample("bulk-read-callback-completed.payload.json"));
    expectInvalid(result, "bulk-read-callback-completed.payload.json (raw)", "type");
    expect([...new Set(result.errors.map((e) => e.instancePath))]).toEqual(["/data/0/query/module"]);
  });

  it("rejects the raw v8 update request only for its later-version trigger values", () => {
    const result = validator.validateRequest("updateRecords", loadSample("update-records.request.json"));
    expectInvalid(result, "update-records.request.json (raw)", "enum");
    const paths = [...new Set(result.errors.map((e) => e.instancePath))].sort();
    expect(paths).toEqual(["/trigger/3", "/trigger/4"]);
  });
});

describe("bodiless and undeclared responses", () => {
  it("accepts an empty body for 204 and 304", () => {
    expectValid(validator.validateResponse("getRecords", 204, undefined), "getRecords 204");
    expectValid(validator.validateResponse("getRecords", 304, ""), "getRecords 304");
    expectValid(validator.validateResponse("searchRecords", 204, null), "searchRecords 204");
    expectValid(validator.validateResponse("getRecordsByCOQL", 204, undefined), "coql 204");
  });

  it("rejects a body on 204, an undeclared status and an unknown operation", () => {
    expectInvalid(validator.validateResponse("getRecords", 204, { data: [] }), "getRecords 204 with body", "body");
    expectInvalid(validator.validateResponse("getRecords", 302, {}), "getRecords 302", "status");
    expectInvalid(validator.validateResponse("getOrganization", 304, undefined), "getOrganization 304", "status");
    expectInvalid(validator.validateResponse("noSuchOperation", 200, {}), "unknown operation", "operation");
  });
});

describe("negative checks: the validator really validates", () => {
  const okResult = { code: "SUCCESS", details: { id: "1" }, message: "record added", status: "success" };
  const info = { per_page: 200, count: 1, page: 1, more_records: false };

  it("a write result missing code fails", () => {
    const { code: _code, ...noCode } = okResult;
    expectInvalid(validator.validateResponse("createRecords", 201, { data: [noCode] }), "write result without code", "required");
  });

  it("a write result with an unknown status value fails", () => {
    expectInvalid(validator.validateResponse("updateRecords", 200, { data: [{ ...okResult, status: "ok" }] }), "status ok", "enum");
  });

  it("a page of 201 records fails maxItems", () => {
    const data = Array.from({ length: 201 }, (_, i) => ({ id: String(i) }));
    expectInvalid(validator.validateResponse("getRecords", 200, { data, info }), "201 records", "maxItems");
    expectValid(validator.validateResponse("getRecords", 200, { data: data.slice(0, 200), info }), "200 records");
  });

  it("info.per_page as a string fails", () => {
    expectInvalid(validator.validateResponse("getRecords", 200, { data: [], info: { ...info, per_page: "200" } }), "per_page string", "type");
  });

  it("a list without info fails, and info without more_records fails", () => {
    expectInvalid(validator.validateResponse("searchRecords", 200, { data: [] }), "no info", "required");
    const { more_records: _m, ...noMore } = info;
    expectInvalid(validator.validateResponse("getRecords", 200, { data: [], info: noMore }), "no more_records", "required");
  });

  it("a malformed date-time in a record fails (formats are checked)", () => {
    expectInvalid(validator.validateResponse("getRecord", 200, { data: [{ id: "1", Created_Time: "yesterday" }] }), "Created_Time", "format");
  });

  it("a write of 101 records, or of none, fails", () => {
    const data = Array.from({ length: 101 }, () => ({ Last_Name: "x" }));
    expectInvalid(validator.validateRequest("createRecords", { data }), "101 records", "maxItems");
    expectInvalid(validator.validateRequest("createRecords", { data: [] }), "0 records", "minItems");
    expectInvalid(validator.validateRequest("createRecords", undefined), "no body", "required");
  });

  it("an unknown trigger fails", () => {
    expectInvalid(validator.validateRequest("createRecords", { data: [{ Last_Name: "x" }], trigger: ["cadences"] }), "trigger", "enum");
  });

  it("an upsert result with an unknown action fails", () => {
    expectInvalid(
      validator.validateResponse("upsertRecords", 200, { data: [{ ...okResult, action: "merge", duplicate_field: null }] }),
      "action merge",
      "enum",
    );
  });

  it("an error body in neither shape fails, and ApiError needs status error", () => {
    expectInvalid(validator.validateResponse("createRecords", 400, { message: "bad" }), "400 shapeless", "oneOf");
    expectInvalid(
      validator.validateResponse("getRecords", 401, { code: "INVALID_TOKEN", details: {}, message: "x", status: "success" }),
      "401 status success",
      "enum",
    );
    expectValid(validator.validateResponse("getRecords", 401, { code: "SOME_FUTURE_CODE", details: {}, message: "x", status: "error" }), "unknown code");
  });

  it("a convert result in neither shape fails", () => {
    expectInvalid(validator.validateResponse("convertLead", 200, { data: [{ Leads: "1" }] }), "convert", "oneOf");
  });

  it("users and org must use their own envelope keys", () => {
    expectInvalid(validator.validateResponse("getUsers", 200, { data: [{ id: "1" }], info }), "users as data", "required");
    expectInvalid(validator.validateResponse("getOrganization", 200, { data: [{ id: "1" }] }), "org as data", "required");
  });

  it("COQL needs a non-empty select_query", () => {
    expectInvalid(validator.validateRequest("getRecordsByCOQL", { select_query: "" }), "empty query", "minLength");
    expectInvalid(validator.validateRequest("getRecordsByCOQL", {}), "no query", "required");
  });
});

describe("negative checks: settings and platform (issue 6 B)", () => {
  it("the token endpoint's body is tokens (access_token present) or an error object", () => {
    expectValid(validator.validateResponse("generateAccessToken", 200, { error: "invalid_code" }), "error body");
    expectInvalid(validator.validateResponse("generateAccessToken", 200, { error: 42 }), "numeric error", "oneOf");
    expectInvalid(
      validator.validateResponse("generateAccessToken", 200, { api_domain: "https://www.zohoapis.com", expires_in: 3600 }),
      "no access_token",
      "oneOf",
    );
    // The request is a form (not JSON): check its schema directly.
    expectValid(
      validator.validateSchema("OAuthTokenRequest", { grant_type: "authorization_code", code: "c", client_id: "a", client_secret: "b", redirect_uri: "u" }),
      "grant exchange",
    );
    expectInvalid(
      validator.validateSchema("OAuthTokenRequest", { grant_type: "refresh_token", client_id: "a", client_secret: "b" }),
      "refresh without refresh_token",
      "oneOf",
    );
  });

  it("watch events are <Module>.<create|edit|delete|all>; tokens are at most 50 characters", () => {
    const channel = { channel_id: "1", events: ["Leads.merge"], notify_url: "https://example.com/hook" };
    expectInvalid(validator.validateRequest("enableNotifications", { watch: [channel] }), "Leads.merge", "pattern");
    expectInvalid(
      validator.validateRequest("enableNotifications", { watch: [{ ...channel, events: ["Leads.all"], token: "x".repeat(51) }] }),
      "long token",
      "maxLength",
    );
    expectInvalid(
      validator.validateSchema("NotificationCallback", { module: "Leads", ids: ["1"], operation: "merge", channel_id: "1" }),
      "operation merge",
      "enum",
    );
  });

  it("bulk jobs: known comparators and states only; bulk write needs an operation and resources", () => {
    const query = { module: "Leads", criteria: { api_name: "Last_Name", comparator: "like", value: "x" } };
    expectInvalid(validator.validateRequest("createBulkReadJob", { query }), "comparator like", "enum");
    expectInvalid(validator.validateResponse("getBulkReadJobDetails", 200, { data: [{ id: "1", operation: "read", state: "DONE" }] }), "state DONE", "enum");
    expectInvalid(
      validator.validateRequest("createBulkWriteJob", { operation: "merge", resource: [{ type: "data", module: "Leads", file_id: "1" }] }),
      "operation merge",
      "enum",
    );
    expectInvalid(validator.validateRequest("createBulkWriteJob", { operation: "insert", resource: [] }), "no resources", "minItems");
  });

  it("binary replies must carry a declared media type: attachments are octet-stream downloads, photos images", () => {
    expectValid(validator.validateResponseContentType("downloadAttachment", 200, "application/octet-stream"), "attachment as octet-stream");
    expectInvalid(validator.validateResponseContentType("downloadAttachment", 200, "text/plain; charset=utf-8"), "attachment as text/plain", "content-type");
    expectValid(validator.validateResponseContentType("getPhoto", 200, "image/png"), "photo as image/png (image/* range)");
    expectInvalid(validator.validateResponseContentType("getPhoto", 200, "application/json"), "photo as JSON", "content-type");
    expectValid(validator.validateResponseContentType("downloadResult", 200, "application/zip"), "bulk read ZIP");
  });

  it("v2 shapes in answers: a bulk-read job's module and a territory's criteria field are names, not objects", () => {
    const job = (module: unknown) => ({ data: [{ id: "1", operation: "read", state: "ADDED", query: { module } }] });
    expectValid(validator.validateResponse("getBulkReadJobDetails", 200, job("Leads")), "query.module Leads");
    expectInvalid(validator.validateResponse("getBulkReadJobDetails", 200, job({ api_name: "Leads" })), "query.module {api_name}", "type");
    const territory = (field: unknown) => ({ territories: [{ id: "1", name: "Europe", criteria: { comparator: "in", field, value: ["Portugal"] } }] });
    expectValid(validator.validateResponse("getTerritories", 200, territory("Country")), "criteria.field Country");
    expectInvalid(validator.validateResponse("getTerritories", 200, territory({ api_name: "Country" })), "criteria.field {api_name}", "type");
  });

  it("settings envelopes are resource-named (currencies, taxes, variables, custom_views, profiles, roles, territories)", () => {
    for (const [operationId, key] of [
      ["getCurrencies", "currencies"],
      ["getTaxes", "taxes"],
      ["getVariables", "variables"],
      ["getProfiles", "profiles"],
      ["getRoles", "roles"],
      ["getTerritories", "territories"],
      ["getVariableGroups", "variable_groups"],
    ] as const) {
      expectInvalid(validator.validateResponse(operationId, 200, { data: [{ id: "1" }] }), `${operationId} as data`, "required");
      expectValid(
        validator.validateResponse(operationId, 200, { [key]: [{ id: "1", name: "x", api_name: "x", iso_code: "USD" }] }),
        `${operationId} as ${key}`,
      );
    }
    expectInvalid(
      validator.validateRequest("createVariables", { variables: [{ name: "x", api_name: "x", type: "money", variable_group: { api_name: "General" } }] }),
      "variable type money",
      "enum",
    );
  });
});
