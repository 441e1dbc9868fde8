/**
 * Deleted records: the recycle bin (records deleted through the API) and permanently deleted ones,
 * newest first, `deleted_time` as Zoho writes it (`2024-01-15T10:30:00+00:00`).
 */
import type { CrmHandler } from "../router.js";
import { apiError } from "../zoho-errors.js";
import { compareIds } from "../record-indexes.js";
import { changedAfter, isReply, modifiedSince, moduleOf, notModified, pageReply, pagingOf } from "./common.js";

export const getDeletedRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const type = req.query.get("type") ?? "all";
  if (!["all", "recycle", "permanent"].includes(type)) {
    return apiError(400, "PATTERN_NOT_MATCHED", "Please check whether the input values are correct", { param_name: "type" });
  }
  // Newest first; one second's entries by id ascending (deterministic pages).
  const entries = ctx.state
    .deleted(module.api_name)
    .filter((e) => type === "all" || e.type === type)
    .sort((a, b) => Math.floor(b.deletedMs / 1000) - Math.floor(a.deletedMs / 1000) || compareIds(a.id, b.id));
  const last = entries[0]?.deletedMs ?? ctx.state.epochMs;
  if (notModified(req, last)) return { status: 304 };
  // If-Modified-Since: only what was deleted after it (second resolution, as deleted_time).
  const since = modifiedSince(req);
  const newer = since === undefined ? entries : entries.filter((e) => changedAfter(e.deletedMs, since));
  return pageReply("data", newer, paging, ({ module: _module, deletedMs: _ms, ...entry }) => entry);
};
