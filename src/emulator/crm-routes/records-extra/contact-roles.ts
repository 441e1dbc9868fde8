/**
 * Contact roles (`/Contacts/roles`) and the contacts of a deal with their role
 * (`/Deals/{dealId}/Contact_Roles[/{contactId}]`), kept as `contact_roles` links between a deal
 * and a contact whose `Contact_Role` is `{name, id}`.
 */
import { MAX_WRITE_RECORDS } from "../../constants.js";
import { formatRecord } from "../../record-format.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, Reply } from "../../types.js";
import { apiError, errorItem, recordErrors, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { listParam } from "../common.js";
import { isReply, limitExceeded, parentOf, requiredList, resolveRecord, success } from "./helpers.js";
import { RecordsExtraState, type StoredContactRole } from "./state.js";

const LIST = "contact_roles";
type Input = { id?: unknown; name?: unknown; sequence_number?: unknown };

const roles = (ctx: HandlerContext) => RecordsExtraState.of(ctx.state).contactRoles;
const sorted = (ctx: HandlerContext) => [...roles(ctx)].sort((a, b) => a.sequence_number - b.sequence_number);
const byName = (ctx: HandlerContext, name: string) => roles(ctx).find((r) => r.name.toLowerCase() === name.toLowerCase());
const rolesReply = (items: ResultItem[], allOk: number): Reply => ({ status: writeStatus(items, allOk), body: { contact_roles: items } });

function validName(value: unknown): string | undefined {
  const name = typeof value === "string" ? value.trim() : "";
  return name !== "" && name.length <= 100 ? name : undefined;
}

/** Renames the role on every deal-contact link. */
function relabel(ctx: HandlerContext, role: StoredContactRole | undefined, id: string): void {
  for (const link of RecordsExtraState.of(ctx.state).links) {
    if (link.list === LIST && (link.data.Contact_Role as { id?: string } | null)?.id === id)
      link.data.Contact_Role = role ? { name: role.name, id: role.id } : null;
  }
}

export const getContactRoles: CrmHandler = (_req, ctx) => {
  const list = sorted(ctx);
  return list.length === 0 ? { status: 204 } : { status: 200, body: { contact_roles: list } };
};

export const getContactRole: CrmHandler = (req, ctx) => {
  const role = roles(ctx).find((r) => r.id === req.params.id);
  return role
    ? { status: 200, body: { contact_roles: [role] } }
    : apiError(400, "INVALID_DATA", "the id given seems to be invalid", { id: req.params.id, resource_path_index: 2 });
};

export const createContactRoles: CrmHandler = (req, ctx) => {
  const items = (req.body as { contact_roles: Input[] }).contact_roles.map((input): ResultItem => {
    if (input.name === undefined) return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "name" });
    const name = validName(input.name);
    if (!name) return errorItem("INVALID_DATA", "invalid data", { api_name: "name" });
    const clash = byName(ctx, name);
    if (clash) return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "name", id: clash.id });
    const sequence = typeof input.sequence_number === "number" ? input.sequence_number : Math.max(0, ...roles(ctx).map((r) => r.sequence_number)) + 1;
    const role = { id: ctx.state.ids.next(), name, sequence_number: sequence };
    roles(ctx).push(role);
    return success("contact role added", { id: role.id });
  });
  return rolesReply(items, 201);
};

function updateOne(ctx: HandlerContext, id: unknown, input: Input): ResultItem {
  if (typeof id !== "string" || id === "") return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "id" });
  const role = roles(ctx).find((r) => r.id === id);
  if (!role) return errorItem("INVALID_DATA", "invalid data", { api_name: "id", id });
  if (input.name !== undefined) {
    const name = validName(input.name);
    if (!name) return errorItem("INVALID_DATA", "invalid data", { api_name: "name", id });
    const clash = byName(ctx, name);
    if (clash && clash.id !== id) return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "name", id: clash.id });
    role.name = name;
  }
  if (typeof input.sequence_number === "number") role.sequence_number = input.sequence_number;
  relabel(ctx, role, id);
  return success("contact role updated", { id });
}

export const updateContactRoles: CrmHandler = (req, ctx) =>
  rolesReply(
    (req.body as { contact_roles: Input[] }).contact_roles.map((input) => updateOne(ctx, input.id, input)),
    200,
  );

export const updateContactRole: CrmHandler = (req, ctx) => {
  const list = (req.body as { contact_roles: Input[] }).contact_roles;
  if (list.length !== 1) return apiError(400, "INVALID_DATA", "send exactly one contact role to update a role by id", { api_name: "contact_roles" });
  return rolesReply([updateOne(ctx, req.params.id, list[0]!)], 200);
};

function deleteOne(ctx: HandlerContext, id: string): ResultItem {
  const list = roles(ctx);
  const index = list.findIndex((r) => r.id === id);
  if (index < 0) return errorItem("INVALID_DATA", "contact role not deleted", { id });
  list.splice(index, 1);
  relabel(ctx, undefined, id);
  return success("contact role deleted", { id });
}

export const deleteContactRoles: CrmHandler = (req, ctx) => {
  const ids = requiredList(req.query, "ids");
  if (isReply(ids)) return ids;
  if (ids.length > MAX_WRITE_RECORDS) return limitExceeded("ids", MAX_WRITE_RECORDS);
  return rolesReply(
    ids.map((id) => deleteOne(ctx, id)),
    200,
  );
};

export const deleteContactRole: CrmHandler = (req, ctx) => rolesReply([deleteOne(ctx, req.params.id ?? "")], 200);

// ---- contacts of a deal ----

function dealOf(req: CrmRequest, ctx: HandlerContext) {
  return parentOf(req, ctx, "dealId", "Deals");
}

function contactsOf(_req: CrmRequest, ctx: HandlerContext, dealId: string) {
  const contacts = ctx.state.module("Contacts")!;
  return RecordsExtraState.of(ctx.state)
    .linksOf(LIST, "Deals", dealId, "Contacts")
    .flatMap(({ link, otherId }) => {
      const record = ctx.state.record("Contacts", otherId);
      return record ? [{ ...formatRecord(contacts, record), id: record.id, Contact_Role: link.data.Contact_Role ?? null }] : [];
    });
}

export const getAllContactRolesOfDeal: CrmHandler = (req, ctx) => {
  const deal = dealOf(req, ctx);
  if (isReply(deal)) return deal;
  const ids = listParam(req.query, "ids");
  const items = contactsOf(req, ctx, deal.record.id).filter((c) => !ids || ids.includes(String(c.id)));
  if (items.length === 0) return { status: 204 };
  return { status: 200, body: { data: items, info: { per_page: 200, count: items.length, page: 1, more_records: false } } };
};

export const getContactRoleOfDeal: CrmHandler = (req, ctx) => {
  const deal = dealOf(req, ctx);
  if (isReply(deal)) return deal;
  const item = contactsOf(req, ctx, deal.record.id).find((c) => c.id === req.params.contactId);
  return item ? { status: 200, body: { data: [item] } } : { status: 204 };
};

export const addContactRoleToDeal: CrmHandler = (req, ctx) => {
  const deal = dealOf(req, ctx);
  if (isReply(deal)) return deal;
  const contact = resolveRecord(req, ctx, ctx.state.module("Contacts")!, req.params.contactId ?? "", 3);
  if (isReply(contact)) return recordErrors(400, [errorItem("INVALID_DATA", "the related id given seems to be invalid", { id: req.params.contactId })]);
  const value = (req.body as { data: Array<{ Contact_Role: unknown }> }).data[0]!.Contact_Role;
  const roleId = typeof value === "string" ? value : (value as { id?: unknown } | null)?.id;
  const role = roles(ctx).find((r) => r.id === roleId);
  if (!role) return recordErrors(400, [errorItem("INVALID_DATA", "invalid data", { api_name: "Contact_Role", id: contact.id })]);
  RecordsExtraState.of(ctx.state).addLink(
    { list: LIST, aModule: "Deals", aId: deal.record.id, bModule: "Contacts", bId: contact.id, data: { Contact_Role: { name: role.name, id: role.id } } },
    ctx.state.clock.now(),
  );
  return { status: 200, body: { data: [success("relation added", { id: contact.id })] } };
};

export const removeContactRoleFromDeal: CrmHandler = (req, ctx) => {
  const deal = dealOf(req, ctx);
  if (isReply(deal)) return deal;
  const extra = RecordsExtraState.of(ctx.state);
  const link = extra.link(LIST, "Deals", deal.record.id, "Contacts", req.params.contactId ?? "");
  if (!link) return recordErrors(400, [errorItem("INVALID_DATA", "the related id given seems to be invalid", { id: req.params.contactId })]);
  extra.removeLink(link, ctx.state.clock.now());
  return { status: 200, body: { data: [success("relation removed", { id: req.params.contactId })] } };
};
