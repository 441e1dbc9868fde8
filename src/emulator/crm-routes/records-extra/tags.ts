/**
 * Tags: a module's tags (`/settings/tags`: list, create, rename, delete, merge, count) and tagging
 * records (`actions/add_tags` / `remove_tags`, v2-style: `tag_names`, `ids`, `over_write` in the
 * query). A record's tags live in its `Tag` field as `[{name, id}]`; adding an unknown name
 * creates the tag.
 */
import { zohoDateTime } from "../../clock.js";
import { MAX_WRITE_RECORDS } from "../../constants.js";
import type { ModuleDef } from "../../module-metadata.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, EmulatorUser, Reply, StoredRecord } from "../../types.js";
import { apiError, errorItem, errors, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { moduleOf } from "../common.js";
import { isReply, limitExceeded, parentOf, requiredList, success, userRef } from "./helpers.js";
import { RecordsExtraState, type StoredTag } from "./state.js";

/** Tags a module may have (Zoho's edition limit; `info.allowed_count`). */
export const ALLOWED_TAGS = 100;
const NAME = /^[^,;<>"\\]{1,50}$/;

type TagRef = { name: string; id: string };

function formatTag(tag: StoredTag): Record<string, unknown> {
  return {
    created_by: tag.createdBy,
    modified_by: tag.modifiedBy,
    modified_time: zohoDateTime(tag.modifiedMs),
    name: tag.name,
    created_time: zohoDateTime(tag.createdMs),
    id: tag.id,
  };
}

function auditDetails(tag: StoredTag): Record<string, unknown> {
  return {
    created_time: zohoDateTime(tag.createdMs),
    modified_time: zohoDateTime(tag.modifiedMs),
    modified_by: tag.modifiedBy,
    id: tag.id,
    created_by: tag.createdBy,
  };
}

function tagsOf(ctx: HandlerContext, module: string): StoredTag[] {
  return [...RecordsExtraState.of(ctx.state).tags.values()].filter((t) => t.module === module);
}

function byName(ctx: HandlerContext, module: string, name: string): StoredTag | undefined {
  const lower = name.toLowerCase();
  return tagsOf(ctx, module).find((t) => t.name.toLowerCase() === lower);
}

/** The `module` query parameter (required by every settings/tags call that names it). */
function tagModule(req: CrmRequest, ctx: HandlerContext): ModuleDef | Reply {
  const name = req.query.get("module");
  if (!name) return errors.requiredParam("module");
  return moduleOf(req, ctx, name);
}

function newTag(ctx: HandlerContext, module: string, name: string, user: EmulatorUser): StoredTag {
  const now = ctx.state.clock.now();
  const by = userRef(user);
  const tag: StoredTag = { id: ctx.state.ids.next(), module, name, createdBy: by, modifiedBy: by, createdMs: now, modifiedMs: now };
  RecordsExtraState.of(ctx.state).tags.set(tag.id, tag);
  return tag;
}

function recordTags(record: StoredRecord): TagRef[] {
  return Array.isArray(record.data.Tag) ? (record.data.Tag as TagRef[]) : [];
}

/** Rewrites the `Tag` field of every record of `module` (rename, delete, merge). */
function rewriteRecordTags(ctx: HandlerContext, module: string, change: (tags: TagRef[]) => TagRef[]): void {
  for (const record of ctx.state.records(module)) {
    const before = recordTags(record);
    if (before.length === 0) continue;
    const after = change(before);
    if (JSON.stringify(after) !== JSON.stringify(before)) ctx.state.saveRecord({ ...record, data: { ...record.data, Tag: after } });
  }
}

const tagsReply = (items: ResultItem[]): Reply => ({ status: writeStatus(items, 200), body: { tags: items } });

export const getTags: CrmHandler = (req, ctx) => {
  const module = tagModule(req, ctx);
  if (isReply(module)) return module;
  let tags = tagsOf(ctx, module.api_name);
  if (req.query.get("my_tags") === "true") tags = tags.filter((t) => t.createdBy.id === req.user.id);
  return { status: 200, body: { tags: tags.map(formatTag), info: { count: tags.length, allowed_count: ALLOWED_TAGS } } };
};

export const createTags: CrmHandler = (req, ctx) => {
  const module = tagModule(req, ctx);
  if (isReply(module)) return module;
  const items = (req.body as { tags: Array<{ name?: unknown }> }).tags.map((input): ResultItem => {
    const name = typeof input.name === "string" ? input.name.trim() : "";
    if (!NAME.test(name)) return errorItem("INVALID_DATA", "invalid data", { api_name: "name" });
    const clash = byName(ctx, module.api_name, name);
    if (clash) return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "name", id: clash.id });
    if (tagsOf(ctx, module.api_name).length >= ALLOWED_TAGS)
      return errorItem("LIMIT_EXCEEDED", "tag edition limit exceeded", { api_name: "name", limit: ALLOWED_TAGS });
    return success("tags created successfully", auditDetails(newTag(ctx, module.api_name, name, req.user)));
  });
  return tagsReply(items);
};

function rename(req: CrmRequest, ctx: HandlerContext, module: ModuleDef, id: unknown, input: { name?: unknown }): ResultItem {
  if (typeof id !== "string" || id === "") return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "id" });
  const tag = RecordsExtraState.of(ctx.state).tags.get(id);
  if (!tag || tag.module !== module.api_name) return errorItem("INVALID_DATA", "the id given seems to be invalid", { id });
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!NAME.test(name)) return errorItem("INVALID_DATA", "invalid data", { api_name: "name", id });
  const clash = byName(ctx, module.api_name, name);
  if (clash && clash.id !== id) return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "name", id: clash.id });
  tag.name = name;
  tag.modifiedMs = ctx.state.clock.now();
  tag.modifiedBy = userRef(req.user);
  rewriteRecordTags(ctx, module.api_name, (tags) => tags.map((t) => (t.id === id ? { name, id } : t)));
  return success("tags updated successfully", auditDetails(tag));
}

export const updateTags: CrmHandler = (req, ctx) => {
  const module = tagModule(req, ctx);
  if (isReply(module)) return module;
  return tagsReply((req.body as { tags: Array<{ id?: unknown; name?: unknown }> }).tags.map((input) => rename(req, ctx, module, input.id, input)));
};

export const updateTag: CrmHandler = (req, ctx) => {
  const module = tagModule(req, ctx);
  if (isReply(module)) return module;
  const tags = (req.body as { tags: Array<{ name?: unknown }> }).tags;
  if (tags.length !== 1) return apiError(400, "INVALID_DATA", "send exactly one tag to rename a tag by id", { api_name: "tags" });
  return tagsReply([rename(req, ctx, module, req.params.id, tags[0]!)]);
};

export const deleteTag: CrmHandler = (req, ctx) => {
  const id = req.params.id ?? "";
  const all = RecordsExtraState.of(ctx.state).tags;
  const tag = all.get(id);
  if (!tag) return apiError(400, "INVALID_DATA", "the id given seems to be invalid", { id, resource_path_index: 2 });
  all.delete(id);
  rewriteRecordTags(ctx, tag.module, (tags) => tags.filter((t) => t.id !== id));
  return tagsReply([success("tags deleted successfully", { id })]);
};

export const mergeTags: CrmHandler = (req, ctx) => {
  const id = req.params.id ?? "";
  const all = RecordsExtraState.of(ctx.state).tags;
  const tag = all.get(id);
  if (!tag) return apiError(400, "INVALID_DATA", "the id given seems to be invalid", { id, resource_path_index: 2 });
  const conflictId = (req.body as { tags: Array<{ conflict_id: string }> }).tags[0]!.conflict_id;
  const into = all.get(conflictId);
  if (!into || into.module !== tag.module || into.id === id)
    return tagsReply([errorItem("INVALID_DATA", "the id given seems to be invalid", { api_name: "conflict_id", id: conflictId })]);
  all.delete(id);
  rewriteRecordTags(ctx, tag.module, (tags) => {
    if (!tags.some((t) => t.id === id)) return tags;
    const kept = tags.filter((t) => t.id !== id);
    return kept.some((t) => t.id === into.id) ? kept : [...kept, { name: into.name, id: into.id }];
  });
  into.modifiedMs = ctx.state.clock.now();
  into.modifiedBy = userRef(req.user);
  return tagsReply([success("tags merged successfully", auditDetails(into))]);
};

export const getRecordCountForTag: CrmHandler = (req, ctx) => {
  const module = tagModule(req, ctx);
  if (isReply(module)) return module;
  const id = req.params.id ?? "";
  const tag = RecordsExtraState.of(ctx.state).tags.get(id);
  if (!tag || tag.module !== module.api_name) return apiError(400, "INVALID_DATA", "the id given seems to be invalid", { id, resource_path_index: 2 });
  const count = ctx.state.records(module.api_name).filter((r) => recordTags(r).some((t) => t.id === id)).length;
  return { status: 200, body: { count: String(count) } };
};

/** The tag names of the query, de-duplicated case-insensitively. */
function tagNames(req: CrmRequest): string[] | Reply {
  const names = requiredList(req.query, "tag_names");
  if (isReply(names)) return names;
  const seen = new Set<string>();
  const unique = names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
  if (unique.some((n) => !NAME.test(n))) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "tag_names" });
  if (unique.length > 10) return limitExceeded("tag_names", 10);
  return unique;
}

function tagRecord(
  req: CrmRequest,
  ctx: HandlerContext,
  module: ModuleDef,
  record: StoredRecord,
  names: string[],
  mode: "add" | "overwrite" | "remove",
): ResultItem {
  let tags = recordTags(record);
  if (mode === "remove") {
    const drop = new Set(names.map((n) => n.toLowerCase()));
    tags = tags.filter((t) => !drop.has(t.name.toLowerCase()));
  } else {
    const wanted: TagRef[] = [];
    for (const name of names) {
      const tag =
        byName(ctx, module.api_name, name) ?? (tagsOf(ctx, module.api_name).length < ALLOWED_TAGS ? newTag(ctx, module.api_name, name, req.user) : undefined);
      if (!tag) return errorItem("LIMIT_EXCEEDED", "tag edition limit exceeded", { api_name: "tag_names", limit: ALLOWED_TAGS, id: record.id });
      wanted.push({ name: tag.name, id: tag.id });
    }
    tags = mode === "overwrite" ? wanted : [...tags, ...wanted.filter((w) => !tags.some((t) => t.id === w.id))];
  }
  ctx.state.saveRecord({ ...record, data: { ...record.data, Tag: tags } });
  return success("tags updated successfully", { id: record.id, tags: tags.map((t) => t.name) });
}

const modeOf = (req: CrmRequest, remove: boolean) => (remove ? "remove" : req.query.get("over_write") === "true" ? "overwrite" : "add");

function onRecord(remove: boolean): CrmHandler {
  return (req, ctx) => {
    const parent = parentOf(req, ctx);
    if (isReply(parent)) return parent;
    const names = tagNames(req);
    if (isReply(names)) return names;
    const item = tagRecord(req, ctx, parent.module, parent.record, names, modeOf(req, remove));
    return { status: writeStatus([item], 200), body: { data: [item] } };
  };
}

function onRecords(remove: boolean): CrmHandler {
  return (req, ctx) => {
    const module = moduleOf(req, ctx);
    if (isReply(module)) return module;
    const names = tagNames(req);
    if (isReply(names)) return names;
    const ids = requiredList(req.query, "ids");
    if (isReply(ids)) return ids;
    if (ids.length > MAX_WRITE_RECORDS) return limitExceeded("ids", MAX_WRITE_RECORDS);
    const items = ids.map((id) => {
      const record = ctx.state.record(module.api_name, id);
      return record ? tagRecord(req, ctx, module, record, names, modeOf(req, remove)) : errorItem("INVALID_DATA", "the id given seems to be invalid", { id });
    });
    const ok = items.filter((i) => i.status === "success").length;
    // v2 types, as Zoho's v2 SDK models them (tags/record_action_wrapper): success_count a string, locked_count a number.
    return { status: writeStatus(items, 200), body: { data: items, wf_scheduler: false, success_count: String(ok), locked_count: 0 } };
  };
}

export const addTagsToRecord = onRecord(false);
export const removeTagsFromRecord = onRecord(true);
export const addTagsToMultipleRecords = onRecords(false);
export const removeTagsFromMultipleRecords = onRecords(true);
