/**
 * Notes (module `Notes`): all notes (`/Notes`, `/Notes/{id}`) and the notes of one record
 * (`/{module}/{recordId}/Notes[/{id}]`). Stored as Notes records, so the generic record routes,
 * COQL and search see them too; `$attachments` lists the files attached to a note.
 */
import { parseHeaderDate } from "../../clock.js";
import { MAX_WRITE_RECORDS } from "../../constants.js";
import { isIdLike } from "../../id-generator.js";
import type { ModuleDef } from "../../module-metadata.js";
import { formatRecord, sortRecords } from "../../record-format.js";
import { buildRecord, successDetails } from "../../record-writer.js";
import type { CrmHandler, HandlerContext } from "../../router.js";
import type { CrmRequest, Reply, StoredRecord } from "../../types.js";
import { apiError, errorItem, errors, writeStatus, type ResultItem } from "../../zoho-errors.js";
import { listParam, notModified, pageReply, pagingOf } from "../common.js";
import { attachmentsOf } from "./attachments.js";
import { isReply, limitExceeded, parentOf, requiredList, success, type Parent } from "./helpers.js";

type Body = { data: Array<Record<string, unknown>> };

function notesModule(ctx: HandlerContext): ModuleDef {
  const module = ctx.state.module("Notes");
  if (!module) throw new Error("the emulator has no Notes module");
  return module;
}

function formatNote(ctx: HandlerContext, module: ModuleDef, note: StoredRecord, fields?: string[]): Record<string, unknown> {
  const out = formatRecord(module, note, fields);
  if (fields && fields.length > 0) return out;
  const files = attachmentsOf(ctx, "Notes", note.id).filter((a) => a.bytes !== undefined);
  out.$attachments =
    files.length === 0 ? null : files.map((a) => ({ id: a.id, File_Name: a.fileName, Size: String(a.bytes!.length), $file_id: a.fileId ?? null }));
  return out;
}

const belongsTo = (note: StoredRecord, parent: Parent) =>
  note.data.$se_module === parent.module.api_name && (note.data.Parent_Id as { id?: unknown } | null | undefined)?.id === parent.record.id;

/** A page of notes with Zoho's list rules: paging, If-Modified-Since, sort, field selection. */
function listNotes(req: CrmRequest, ctx: HandlerContext, filter: (note: StoredRecord) => boolean): Reply {
  const module = notesModule(ctx);
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  if (notModified(req, ctx.state.lastChange(module.api_name))) return { status: 304 };
  let notes = ctx.state.records(module.api_name).filter(filter);
  const since = parseHeaderDate(req.headers["if-modified-since"]);
  if (since !== undefined) notes = notes.filter((n) => n.modifiedMs > since);
  notes = sortRecords(notes, req.query.get("sort_by") ?? undefined, req.query.get("sort_order") === "desc" ? "desc" : "asc");
  const fields = listParam(req.query, "fields");
  return pageReply(
    "data",
    notes.map((n) => formatNote(ctx, module, n, fields)),
    paging,
  );
}

function createNote(req: CrmRequest, ctx: HandlerContext, input: Record<string, unknown>): ResultItem {
  const outcome = buildRecord(ctx.state, notesModule(ctx), input, { user: req.user });
  if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
  ctx.state.saveRecord(outcome.record);
  return success("record added", successDetails(outcome.record));
}

function updateNote(req: CrmRequest, ctx: HandlerContext, input: Record<string, unknown>, id: unknown, parent?: Parent): ResultItem {
  if (typeof id !== "string" || id === "") return errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: "id" });
  const module = notesModule(ctx);
  const existing = isIdLike(id) ? ctx.state.record(module.api_name, id) : undefined;
  if (!existing || (parent && !belongsTo(existing, parent))) return errorItem("INVALID_DATA", "the id given seems to be invalid", { id });
  const values = { ...input };
  if (parent) {
    delete values.Parent_Id;
    delete values.$se_module;
  }
  const outcome = buildRecord(ctx.state, module, values, { user: req.user, existing });
  if (!outcome.ok) return errorItem(outcome.error.code, outcome.error.message, outcome.error.details);
  ctx.state.saveRecord(outcome.record);
  return success("record updated", successDetails(outcome.record));
}

function deleteNote(req: CrmRequest, ctx: HandlerContext, id: string, parent?: Parent): ResultItem {
  const module = notesModule(ctx);
  const existing = isIdLike(id) ? ctx.state.record(module.api_name, id) : undefined;
  if (!existing || (parent && !belongsTo(existing, parent))) return errorItem("INVALID_DATA", "record not deleted", { id });
  ctx.state.deleteRecord(module.api_name, id, req.user);
  return success("record deleted", { id });
}

const reply = (items: ResultItem[], allOk: number): Reply => ({ status: writeStatus(items, allOk), body: { data: items } });

function single(req: CrmRequest): Record<string, unknown> | Reply {
  const data = (req.body as Body).data;
  if (data.length !== 1) return apiError(400, "INVALID_DATA", "send exactly one note in data to update a note by id", { api_name: "data" });
  return data[0]!;
}

export const getNotes: CrmHandler = (req, ctx) => listNotes(req, ctx, () => true);

export const createNotes: CrmHandler = (req, ctx) =>
  reply(
    (req.body as Body).data.map((input) => createNote(req, ctx, input)),
    201,
  );

export const updateNotes: CrmHandler = (req, ctx) =>
  reply(
    (req.body as Body).data.map((input) => updateNote(req, ctx, input, input.id)),
    200,
  );

export const deleteNotes: CrmHandler = (req, ctx) => {
  const ids = requiredList(req.query, "ids");
  if (isReply(ids)) return ids;
  if (ids.length > MAX_WRITE_RECORDS) return limitExceeded("ids", MAX_WRITE_RECORDS);
  return reply(
    ids.map((id) => deleteNote(req, ctx, id)),
    200,
  );
};

export const getNote: CrmHandler = (req, ctx) => {
  const module = notesModule(ctx);
  const id = req.params.id ?? "";
  if (!isIdLike(id)) return errors.invalidId(1);
  const note = ctx.state.record(module.api_name, id);
  if (!note) return { status: 204 };
  if (notModified(req, note.modifiedMs)) return { status: 304 };
  return { status: 200, body: { data: [formatNote(ctx, module, note, listParam(req.query, "fields"))] } };
};

export const updateNoteById: CrmHandler = (req, ctx) => {
  const input = single(req);
  if (isReply(input)) return input;
  return reply([updateNote(req, ctx, input, req.params.id)], 200);
};

export const deleteNoteById: CrmHandler = (req, ctx) => reply([deleteNote(req, ctx, req.params.id ?? "")], 200);

export const getRecordNotes: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  return listNotes(req, ctx, (note) => belongsTo(note, parent));
};

export const createRecordNotes: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const items = (req.body as Body).data.map((input) =>
    createNote(req, ctx, { ...input, Parent_Id: { id: parent.record.id }, $se_module: parent.module.api_name }),
  );
  return reply(items, 201);
};

export const updateRecordNote: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  const input = single(req);
  if (isReply(input)) return input;
  return reply([updateNote(req, ctx, input, req.params.id, parent)], 200);
};

export const deleteRecordNote: CrmHandler = (req, ctx) => {
  const parent = parentOf(req, ctx);
  if (isReply(parent)) return parent;
  return reply([deleteNote(req, ctx, req.params.id ?? "", parent)], 200);
};
