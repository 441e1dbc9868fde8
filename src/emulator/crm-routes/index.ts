/**
 * The route table of the CRM API: one line per operation (method, the spec's path template and
 * operationId, scope). Add related records, notes, attachments or tags here.
 */
import { MAX_WRITE_RECORDS } from "../constants.js";
import type { CrmRoute } from "../router.js";
import { getRecordsByCOQL } from "./coql.js";
import { convertLead } from "./convert.js";
import { getDeletedRecords } from "./deleted.js";
import { getField, getFields, getLayout, getLayouts, getModule, getModules } from "./metadata.js";
import { getOrganization } from "./org.js";
import { createRecords, deleteRecord, deleteRecords, getRecord, getRecords, updateRecord, updateRecords } from "./records.js";
import { searchRecords } from "./search.js";
import { upsertRecords } from "./upsert.js";
import { RECORDS_EXTRA_ROUTES } from "./records-extra/index.js";
import { BULK_READ_ROUTES } from "./bulk-read-routes.js";
import { BULK_WRITE_ROUTES } from "./bulk-write-routes.js";
import { FILE_FUNCTION_ROUTES } from "./file-function-routes.js";
import { NOTIFICATION_ROUTES } from "./notification-routes.js";
import { ORG_SETTINGS_ROUTES } from "./org-settings-routes.js";
import { SETTINGS_ROUTES } from "./settings/index.js";
import { createUser, deleteUser, getUser, getUsers, updateUser, updateUsers } from "./users.js";

const records = { key: "data", type: "array", max: MAX_WRITE_RECORDS } as const;
const users = { key: "users", type: "array" } as const;

export const CRM_ROUTES: readonly CrmRoute[] = [
  { method: "GET", path: "/crm/v2/{module}", operationId: "getRecords", scope: "modules", access: "READ", handler: getRecords },
  { method: "POST", path: "/crm/v2/{module}", operationId: "createRecords", scope: "modules", access: "CREATE", body: records, handler: createRecords },
  { method: "PUT", path: "/crm/v2/{module}", operationId: "updateRecords", scope: "modules", access: "UPDATE", body: records, handler: updateRecords },
  { method: "DELETE", path: "/crm/v2/{module}", operationId: "deleteRecords", scope: "modules", access: "DELETE", handler: deleteRecords },
  { method: "GET", path: "/crm/v2/{module}/{id}", operationId: "getRecord", scope: "modules", access: "READ", handler: getRecord },
  { method: "PUT", path: "/crm/v2/{module}/{id}", operationId: "updateRecord", scope: "modules", access: "UPDATE", body: records, handler: updateRecord },
  { method: "DELETE", path: "/crm/v2/{module}/{id}", operationId: "deleteRecord", scope: "modules", access: "DELETE", handler: deleteRecord },
  { method: "POST", path: "/crm/v2/{module}/upsert", operationId: "upsertRecords", scope: "modules", access: "CREATE", body: records, handler: upsertRecords },
  { method: "GET", path: "/crm/v2/{module}/search", operationId: "searchRecords", scope: "modules", access: "READ", handler: searchRecords },
  { method: "GET", path: "/crm/v2/{module}/deleted", operationId: "getDeletedRecords", scope: "modules", access: "READ", handler: getDeletedRecords },
  {
    method: "POST",
    path: "/crm/v2/Leads/{id}/actions/convert",
    operationId: "convertLead",
    scope: "modules",
    access: "CREATE",
    body: { key: "data", type: "array" },
    module: "Leads",
    handler: convertLead,
  },
  {
    method: "POST",
    path: "/crm/v2/coql",
    operationId: "getRecordsByCOQL",
    scope: "coql",
    access: "READ",
    body: { key: "select_query", type: "string" },
    handler: getRecordsByCOQL,
  },
  { method: "GET", path: "/crm/v2/users", operationId: "getUsers", scope: "users", access: "READ", handler: getUsers },
  { method: "POST", path: "/crm/v2/users", operationId: "createUser", scope: "users", access: "CREATE", body: users, handler: createUser },
  { method: "PUT", path: "/crm/v2/users", operationId: "updateUsers", scope: "users", access: "UPDATE", body: users, handler: updateUsers },
  { method: "GET", path: "/crm/v2/users/{id}", operationId: "getUser", scope: "users", access: "READ", handler: getUser },
  { method: "PUT", path: "/crm/v2/users/{id}", operationId: "updateUser", scope: "users", access: "UPDATE", body: users, handler: updateUser },
  { method: "DELETE", path: "/crm/v2/users/{id}", operationId: "deleteUser", scope: "users", access: "DELETE", handler: deleteUser },
  { method: "GET", path: "/crm/v2/org", operationId: "getOrganization", scope: "org", access: "READ", handler: getOrganization },
  { method: "GET", path: "/crm/v2/settings/modules", operationId: "getModules", scope: "settings", access: "READ", handler: getModules },
  { method: "GET", path: "/crm/v2/settings/modules/{module}", operationId: "getModule", scope: "settings", access: "READ", handler: getModule },
  { method: "GET", path: "/crm/v2/settings/fields", operationId: "getFields", scope: "settings", access: "READ", handler: getFields },
  { method: "GET", path: "/crm/v2/settings/fields/{id}", operationId: "getField", scope: "settings", access: "READ", handler: getField },
  { method: "GET", path: "/crm/v2/settings/layouts", operationId: "getLayouts", scope: "settings", access: "READ", handler: getLayouts },
  { method: "GET", path: "/crm/v2/settings/layouts/{id}", operationId: "getLayout", scope: "settings", access: "READ", handler: getLayout },
  // issue 6 A: records-adjacent operations (records-extra/index.ts)
  ...RECORDS_EXTRA_ROUTES,
  // issue 6 B: settings and platform operations
  ...BULK_READ_ROUTES,
  ...BULK_WRITE_ROUTES,
  ...NOTIFICATION_ROUTES,
  ...FILE_FUNCTION_ROUTES,
  ...ORG_SETTINGS_ROUTES,
  ...SETTINGS_ROUTES,
];
