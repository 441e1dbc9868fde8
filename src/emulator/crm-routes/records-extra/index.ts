/**
 * Routes of the records-adjacent operations (issue 6 A): mass update, record photo, related
 * records, notes, attachments, tags, blueprint, sharing, contact roles. Spread into CRM_ROUTES.
 */
import { MAX_WRITE_RECORDS } from "../../constants.js";
import type { CrmRoute } from "../../router.js";
import { deleteAttachment, deleteAttachments, downloadAttachment, getAttachments, uploadAttachment } from "./attachments.js";
import { getBlueprint, updateBlueprint } from "./blueprint.js";
import {
  addContactRoleToDeal,
  createContactRoles,
  deleteContactRole,
  deleteContactRoles,
  getAllContactRolesOfDeal,
  getContactRole,
  getContactRoleOfDeal,
  getContactRoles,
  removeContactRoleFromDeal,
  updateContactRole,
  updateContactRoles,
} from "./contact-roles.js";
import { getMassUpdateStatus, massUpdateRecords } from "./mass-update.js";
import {
  createNotes,
  createRecordNotes,
  deleteNoteById,
  deleteNotes,
  deleteRecordNote,
  getNote,
  getNotes,
  getRecordNotes,
  updateNoteById,
  updateNotes,
  updateRecordNote,
} from "./notes.js";
import { deletePhoto, getPhoto, uploadPhoto } from "./photo.js";
import { delinkRecord, delinkRecords, getRelatedRecord, getRelatedRecords, updateRelatedRecord, updateRelatedRecords } from "./related.js";
import { getSharedRecordDetails, revokeSharedRecord, shareRecord, updateSharePermissions } from "./share.js";
import {
  addTagsToMultipleRecords,
  addTagsToRecord,
  createTags,
  deleteTag,
  getRecordCountForTag,
  getTags,
  mergeTags,
  removeTagsFromMultipleRecords,
  removeTagsFromRecord,
  updateTag,
  updateTags,
} from "./tags.js";

const data = { key: "data", type: "array", max: MAX_WRITE_RECORDS } as const;
const tags = { key: "tags", type: "array" } as const;
const roles = { key: "contact_roles", type: "array", max: MAX_WRITE_RECORDS } as const;
const share = { key: "share", type: "array" } as const;

const RELATED = "/crm/v2/{module}/{recordId}/{relatedList}";
const RECORD_NOTES = "/crm/v2/{module}/{recordId}/Notes";
const ATTACHMENTS = "/crm/v2/{module}/{recordId}/Attachments";
const DEAL_ROLES = "/crm/v2/Deals/{dealId}/Contact_Roles";

export const RECORDS_EXTRA_ROUTES: readonly CrmRoute[] = [
  // mass update, photo
  {
    method: "POST",
    path: "/crm/v2/{module}/actions/mass_update",
    operationId: "massUpdateRecords",
    scope: "modules",
    access: "UPDATE",
    body: { key: "data", type: "array" },
    handler: massUpdateRecords,
  },
  {
    method: "GET",
    path: "/crm/v2/{module}/actions/mass_update",
    operationId: "getMassUpdateStatus",
    scope: "modules",
    access: "READ",
    handler: getMassUpdateStatus,
  },
  { method: "GET", path: "/crm/v2/{module}/{id}/photo", operationId: "getPhoto", scope: "modules", access: "READ", handler: getPhoto },
  { method: "POST", path: "/crm/v2/{module}/{id}/photo", operationId: "uploadPhoto", scope: "modules", access: "UPDATE", handler: uploadPhoto },
  { method: "DELETE", path: "/crm/v2/{module}/{id}/photo", operationId: "deletePhoto", scope: "modules", access: "UPDATE", handler: deletePhoto },
  // related records
  { method: "GET", path: RELATED, operationId: "getRelatedRecords", scope: "modules", access: "READ", handler: getRelatedRecords },
  { method: "PUT", path: RELATED, operationId: "updateRelatedRecords", scope: "modules", access: "UPDATE", body: data, handler: updateRelatedRecords },
  { method: "DELETE", path: RELATED, operationId: "delinkRecords", scope: "modules", access: "UPDATE", handler: delinkRecords },
  { method: "GET", path: `${RELATED}/{relatedRecordId}`, operationId: "getRelatedRecord", scope: "modules", access: "READ", handler: getRelatedRecord },
  {
    method: "PUT",
    path: `${RELATED}/{relatedRecordId}`,
    operationId: "updateRelatedRecord",
    scope: "modules",
    access: "UPDATE",
    body: data,
    handler: updateRelatedRecord,
  },
  { method: "DELETE", path: `${RELATED}/{relatedRecordId}`, operationId: "delinkRecord", scope: "modules", access: "UPDATE", handler: delinkRecord },
  // notes
  { method: "GET", path: "/crm/v2/Notes", operationId: "getNotes", scope: "modules", access: "READ", module: "Notes", handler: getNotes },
  { method: "POST", path: "/crm/v2/Notes", operationId: "createNotes", scope: "modules", access: "CREATE", module: "Notes", body: data, handler: createNotes },
  { method: "PUT", path: "/crm/v2/Notes", operationId: "updateNotes", scope: "modules", access: "UPDATE", module: "Notes", body: data, handler: updateNotes },
  { method: "DELETE", path: "/crm/v2/Notes", operationId: "deleteNotes", scope: "modules", access: "DELETE", module: "Notes", handler: deleteNotes },
  { method: "GET", path: "/crm/v2/Notes/{id}", operationId: "getNote", scope: "modules", access: "READ", module: "Notes", handler: getNote },
  {
    method: "PUT",
    path: "/crm/v2/Notes/{id}",
    operationId: "updateNote",
    scope: "modules",
    access: "UPDATE",
    module: "Notes",
    body: data,
    handler: updateNoteById,
  },
  { method: "DELETE", path: "/crm/v2/Notes/{id}", operationId: "deleteNote", scope: "modules", access: "DELETE", module: "Notes", handler: deleteNoteById },
  { method: "GET", path: RECORD_NOTES, operationId: "getRecordNotes", scope: "modules", access: "READ", handler: getRecordNotes },
  { method: "POST", path: RECORD_NOTES, operationId: "createRecordNotes", scope: "modules", access: "CREATE", body: data, handler: createRecordNotes },
  { method: "PUT", path: `${RECORD_NOTES}/{id}`, operationId: "updateRecordNote", scope: "modules", access: "UPDATE", body: data, handler: updateRecordNote },
  { method: "DELETE", path: `${RECORD_NOTES}/{id}`, operationId: "deleteRecordNote", scope: "modules", access: "DELETE", handler: deleteRecordNote },
  // attachments
  { method: "GET", path: ATTACHMENTS, operationId: "getAttachments", scope: "modules", access: "READ", handler: getAttachments },
  { method: "POST", path: ATTACHMENTS, operationId: "uploadAttachment", scope: "modules", access: "CREATE", handler: uploadAttachment },
  { method: "DELETE", path: ATTACHMENTS, operationId: "deleteAttachments", scope: "modules", access: "DELETE", handler: deleteAttachments },
  { method: "GET", path: `${ATTACHMENTS}/{id}`, operationId: "downloadAttachment", scope: "modules", access: "READ", handler: downloadAttachment },
  { method: "DELETE", path: `${ATTACHMENTS}/{id}`, operationId: "deleteAttachment", scope: "modules", access: "DELETE", handler: deleteAttachment },
  // tags
  { method: "GET", path: "/crm/v2/settings/tags", operationId: "getTags", scope: "settings", access: "READ", handler: getTags },
  { method: "POST", path: "/crm/v2/settings/tags", operationId: "createTags", scope: "settings", access: "CREATE", body: tags, handler: createTags },
  { method: "PUT", path: "/crm/v2/settings/tags", operationId: "updateTags", scope: "settings", access: "UPDATE", body: tags, handler: updateTags },
  { method: "PUT", path: "/crm/v2/settings/tags/{id}", operationId: "updateTag", scope: "settings", access: "UPDATE", body: tags, handler: updateTag },
  { method: "DELETE", path: "/crm/v2/settings/tags/{id}", operationId: "deleteTag", scope: "settings", access: "DELETE", handler: deleteTag },
  {
    method: "POST",
    path: "/crm/v2/settings/tags/{id}/actions/merge",
    operationId: "mergeTags",
    scope: "settings",
    access: "UPDATE",
    body: tags,
    handler: mergeTags,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/tags/{id}/actions/records_count",
    operationId: "getRecordCountForTag",
    scope: "settings",
    access: "READ",
    handler: getRecordCountForTag,
  },
  {
    method: "POST",
    path: "/crm/v2/{module}/actions/add_tags",
    operationId: "addTagsToMultipleRecords",
    scope: "modules",
    access: "UPDATE",
    handler: addTagsToMultipleRecords,
  },
  {
    method: "POST",
    path: "/crm/v2/{module}/actions/remove_tags",
    operationId: "removeTagsFromMultipleRecords",
    scope: "modules",
    access: "UPDATE",
    handler: removeTagsFromMultipleRecords,
  },
  {
    method: "POST",
    path: "/crm/v2/{module}/{recordId}/actions/add_tags",
    operationId: "addTagsToRecord",
    scope: "modules",
    access: "UPDATE",
    handler: addTagsToRecord,
  },
  {
    method: "POST",
    path: "/crm/v2/{module}/{recordId}/actions/remove_tags",
    operationId: "removeTagsFromRecord",
    scope: "modules",
    access: "UPDATE",
    handler: removeTagsFromRecord,
  },
  // blueprint, sharing
  {
    method: "GET",
    path: "/crm/v2/{module}/{recordId}/actions/blueprint",
    operationId: "getBlueprint",
    scope: "modules",
    access: "READ",
    handler: getBlueprint,
  },
  {
    method: "PUT",
    path: "/crm/v2/{module}/{recordId}/actions/blueprint",
    operationId: "updateBlueprint",
    scope: "modules",
    access: "UPDATE",
    body: { key: "blueprint", type: "array" },
    handler: updateBlueprint,
  },
  {
    method: "GET",
    path: "/crm/v2/{module}/{recordId}/actions/share",
    operationId: "getSharedRecordDetails",
    scope: "modules",
    access: "READ",
    handler: getSharedRecordDetails,
  },
  {
    method: "POST",
    path: "/crm/v2/{module}/{recordId}/actions/share",
    operationId: "shareRecord",
    scope: "modules",
    access: "UPDATE",
    body: share,
    handler: shareRecord,
  },
  {
    method: "PUT",
    path: "/crm/v2/{module}/{recordId}/actions/share",
    operationId: "updateSharePermissions",
    scope: "modules",
    access: "UPDATE",
    body: share,
    handler: updateSharePermissions,
  },
  {
    method: "DELETE",
    path: "/crm/v2/{module}/{recordId}/actions/share",
    operationId: "revokeSharedRecord",
    scope: "modules",
    access: "UPDATE",
    handler: revokeSharedRecord,
  },
  // contact roles
  { method: "GET", path: "/crm/v2/Contacts/roles", operationId: "getContactRoles", scope: "settings", access: "READ", handler: getContactRoles },
  {
    method: "POST",
    path: "/crm/v2/Contacts/roles",
    operationId: "createContactRoles",
    scope: "settings",
    access: "CREATE",
    body: roles,
    handler: createContactRoles,
  },
  {
    method: "PUT",
    path: "/crm/v2/Contacts/roles",
    operationId: "updateContactRoles",
    scope: "settings",
    access: "UPDATE",
    body: roles,
    handler: updateContactRoles,
  },
  { method: "DELETE", path: "/crm/v2/Contacts/roles", operationId: "deleteContactRoles", scope: "settings", access: "DELETE", handler: deleteContactRoles },
  { method: "GET", path: "/crm/v2/Contacts/roles/{id}", operationId: "getContactRole", scope: "settings", access: "READ", handler: getContactRole },
  {
    method: "PUT",
    path: "/crm/v2/Contacts/roles/{id}",
    operationId: "updateContactRole",
    scope: "settings",
    access: "UPDATE",
    body: roles,
    handler: updateContactRole,
  },
  { method: "DELETE", path: "/crm/v2/Contacts/roles/{id}", operationId: "deleteContactRole", scope: "settings", access: "DELETE", handler: deleteContactRole },
  {
    method: "GET",
    path: DEAL_ROLES,
    operationId: "getAllContactRolesOfDeal",
    scope: "modules",
    access: "READ",
    module: "Deals",
    handler: getAllContactRolesOfDeal,
  },
  {
    method: "GET",
    path: `${DEAL_ROLES}/{contactId}`,
    operationId: "getContactRoleOfDeal",
    scope: "modules",
    access: "READ",
    module: "Deals",
    handler: getContactRoleOfDeal,
  },
  {
    method: "PUT",
    path: `${DEAL_ROLES}/{contactId}`,
    operationId: "addContactRoleToDeal",
    scope: "modules",
    access: "UPDATE",
    module: "Deals",
    body: { key: "data", type: "array" },
    handler: addContactRoleToDeal,
  },
  {
    method: "DELETE",
    path: `${DEAL_ROLES}/{contactId}`,
    operationId: "removeContactRoleFromDeal",
    scope: "modules",
    access: "UPDATE",
    module: "Deals",
    handler: removeContactRoleFromDeal,
  },
];
