/**
 * Related records: the records of a record's related list, relating and delinking them. A related
 * list is either lookup-based (Accounts → Contacts through `Contacts.Account_Name`: relating sets
 * the child's lookup, delinking clears it) or a many-to-many link kept with the relation's own
 * fields (Products of Leads/Contacts/Accounts/Deals).
 */
import { parseHeaderDate } from "../../clock.js";
import { MAX_WRITE_RECORDS } from "../../constants.js";
import type { ModuleDef } from "../../module-metadata.js";
import { formatRecord, sortRecords } from "../../record-format.js";
import { buildRecord } from "../../record-writer.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, Reply, StoredRecord } from "../../types.js";
import { apiError, errorItem, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { listParam, notModified, pageReply, pagingOf } from "../common.js";
import { isReply, limitExceeded, parentOf, requiredList, resolveRecord, success, type Parent } from "./helpers.js";
import { RecordsExtraState } from "./state.js";

export type RelatedListDef =
  | { api_name: string; module: string; kind: "lookup"; field: string }
  | { api_name: string; module: string; kind: "link"; link: string };

const products: RelatedListDef = { api_name: "Products", module: "Products", kind: "link", link: "products" };
const ofProduct = (module: string): RelatedListDef => ({ api_name: module, module, kind: "link", link: "products" });

/** The related lists served by the generic related-records routes, per parent module. */
export const RELATED_LISTS: Readonly<Record<string, readonly RelatedListDef[]>> = {
  Accounts: [
    { api_name: "Contacts", module: "Contacts", kind: "lookup", field: "Account_Name" },
    { api_name: "Deals", module: "Deals", kind: "lookup", field: "Account_Name" },
    products,
  ],
  Contacts: [
    { api_name: "Deals", module: "Deals", kind: "lookup", field: "Contact_Name" },
    { api_name: "Tasks", module: "Tasks", kind: "lookup", field: "Who_Id" },
    products,
  ],
  Leads: [products],
  Deals: [products],
  Products: [ofProduct("Leads"), ofProduct("Contacts"), ofProduct("Accounts"), ofProduct("Deals")],
};

interface Context {
  parent: Parent;
  list: RelatedListDef;
  target: ModuleDef;
}

function contextOf(req: CrmRequest, ctx: HandlerContext): Context | Reply {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const name = (req.params.relatedList ?? "").toLowerCase();
  const list = RELATED_LISTS[parent.module.api_name]?.find((l) => l.api_name.toLowerCase() === name);
  const target = list ? ctx.state.module(list.module) : undefined;
  if (!list || !target) return apiError(400, "INVALID_DATA", "The relation name given seems to be invalid", { resource_path_index: 2 });
  return { parent, list, target };
}

/** The related records with the relation's own fields. */
function relatedOf(ctx: HandlerContext, c: Context): Array<{ record: StoredRecord; data: Record<string, unknown> }> {
  const { parent, list, target } = c;
  if (list.kind === "lookup") {
    return ctx.state
      .records(target.api_name)
      .filter((r) => (r.data[list.field] as { id?: unknown } | null | undefined)?.id === parent.record.id)
      .map((record) => ({ record, data: {} }));
  }
  const out: Array<{ record: StoredRecord; data: Record<string, unknown> }> = [];
  for (const { link, otherId } of RecordsExtraState.of(ctx.state).linksOf(list.link, parent.module.api_name, parent.record.id, target.api_name)) {
    const record = ctx.state.record(target.api_name, otherId);
    if (record) out.push({ record, data: link.data });
  }
  return out;
}

const lastChange = (ctx: HandlerContext, c: Context) => Math.max(ctx.state.lastChange(c.target.api_name), RecordsExtraState.of(ctx.state).linksChangedMs);

export const getRelatedRecords: CrmHandler = (req, ctx) => {
  const c = contextOf(req, ctx);
  if (isReply(c)) return c;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  if (notModified(req, lastChange(ctx, c))) return { status: 304 };
  let related = relatedOf(ctx, c);
  const since = parseHeaderDate(req.headers["if-modified-since"]);
  if (since !== undefined) related = related.filter((r) => r.record.modifiedMs > since);
  const order = req.query.get("sort_order") === "desc" ? "desc" : "asc";
  const sorted = sortRecords(
    related.map((r) => r.record),
    req.query.get("sort_by") ?? undefined,
    order,
  );
  const dataOf = new Map(related.map((r) => [r.record.id, r.data]));
  const fields = listParam(req.query, "fields");
  return pageReply(
    "data",
    sorted.map((r) => ({ ...formatRecord(c.target, r, fields), ...dataOf.get(r.id) })),
    paging,
  );
};

export const getRelatedRecord: CrmHandler = (req, ctx) => {
  const c = contextOf(req, ctx);
  if (isReply(c)) return c;
  const target = resolveRecord(req, ctx, c.target, req.params.relatedRecordId ?? "", 3);
  if (isReply(target)) return { status: 204 };
  const found = relatedOf(ctx, c).find((r) => r.record.id === target.id);
  if (!found) return { status: 204 };
  if (notModified(req, found.record.modifiedMs)) return { status: 304 };
  return { status: 200, body: { data: [{ ...formatRecord(c.target, found.record), ...found.data }] } };
};

function relate(req: CrmRequest, ctx: HandlerContext, c: Context, idText: unknown, input: Record<string, unknown>): ResultItem {
  if (typeof idText !== "string" || idText === "") return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "id" });
  const target = resolveRecord(req, ctx, c.target, idText, 3);
  if (isReply(target)) return errorItem("INVALID_DATA", "the related id given seems to be invalid", { id: idText });
  const now = ctx.state.clock.now();
  if (c.list.kind === "lookup") {
    const outcome = buildRecord(ctx.state, c.target, { [c.list.field]: { id: c.parent.record.id } }, { user: req.user, existing: target, now });
    if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
    ctx.state.saveRecord(outcome.record);
  } else {
    const data = Object.fromEntries(Object.entries(input).filter(([key]) => key !== "id" && !key.startsWith("$")));
    RecordsExtraState.of(ctx.state).addLink(
      { list: c.list.link, aModule: c.parent.module.api_name, aId: c.parent.record.id, bModule: c.target.api_name, bId: target.id, data },
      now,
    );
  }
  return success("relation added", { id: target.id });
}

function delink(req: CrmRequest, ctx: HandlerContext, c: Context, idText: string): ResultItem {
  const target = resolveRecord(req, ctx, c.target, idText, 3);
  const invalid = errorItem("INVALID_DATA", "the related id given seems to be invalid", { id: idText });
  if (isReply(target)) return invalid;
  const now = ctx.state.clock.now();
  if (c.list.kind === "lookup") {
    if ((target.data[c.list.field] as { id?: unknown } | null | undefined)?.id !== c.parent.record.id) return invalid;
    const outcome = buildRecord(ctx.state, c.target, { [c.list.field]: null }, { user: req.user, existing: target, now });
    if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
    ctx.state.saveRecord(outcome.record);
  } else {
    const extra = RecordsExtraState.of(ctx.state);
    const link = extra.link(c.list.link, c.parent.module.api_name, c.parent.record.id, c.target.api_name, target.id);
    if (!link) return invalid;
    extra.removeLink(link, now);
  }
  return success("relation removed", { id: target.id });
}

const reply = (items: ResultItem[]): Reply => ({ status: writeStatus(items, 200), body: { data: items } });

export const updateRelatedRecords: CrmHandler = (req, ctx) => {
  const c = contextOf(req, ctx);
  if (isReply(c)) return c;
  return reply((req.body as { data: Array<Record<string, unknown>> }).data.map((input) => relate(req, ctx, c, input.id, input)));
};

export const updateRelatedRecord: CrmHandler = (req, ctx) => {
  const c = contextOf(req, ctx);
  if (isReply(c)) return c;
  const data = (req.body as { data: Array<Record<string, unknown>> }).data;
  return reply([relate(req, ctx, c, req.params.relatedRecordId, data[0] ?? {})]);
};

export const delinkRecords: CrmHandler = (req, ctx) => {
  const c = contextOf(req, ctx);
  if (isReply(c)) return c;
  const ids = requiredList(req.query, "ids");
  if (isReply(ids)) return ids;
  if (ids.length > MAX_WRITE_RECORDS) return limitExceeded("ids", MAX_WRITE_RECORDS);
  return reply(ids.map((id) => delink(req, ctx, c, id)));
};

export const delinkRecord: CrmHandler = (req, ctx) => {
  const c = contextOf(req, ctx);
  if (isReply(c)) return c;
  return reply([delink(req, ctx, c, req.params.relatedRecordId ?? "")]);
};
