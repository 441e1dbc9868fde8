/**
 * Deleted records: the recycle bin (records deleted through the API) and permanently deleted ones.
 */
import type { CrmHandler } from "../router.js";
import { apiError } from "../zoho-errors.js";
import { isReply, moduleOf, notModified, pageReply, pagingOf } from "./common.js";

export const getDeletedRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const type = req.query.get("type") ?? "all";
  if (!["all", "recycle", "permanent"].includes(type)) {
    return apiError(400, "PATTERN_NOT_MATCHED", "Please check whether the input values are correct", { param_name: "type" });
  }
  const entries = ctx.state
    .deleted(module.api_name)
    .filter((e) => type === "all" || e.type === type)
    .sort((a, b) => b.deletedMs - a.deletedMs);
  const last = entries[0]?.deletedMs ?? ctx.state.epochMs;
  if (notModified(req, last)) return { status: 304 };
  const items = entries.map(({ module: _module, deletedMs: _ms, ...entry }) => entry);
  return pageReply("data", items, paging);
};
