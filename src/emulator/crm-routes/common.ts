/**
 * Helpers shared by the CRM handlers: module lookup, paging parameters, list replies (204 when
 * empty) and If-Modified-Since.
 */
import { parseHeaderDate } from "../clock.js";
import { MAX_PAGE_SIZE } from "../constants.js";
import type { ModuleDef } from "../module-metadata.js";
import type { HandlerContext } from "../router.js";
import type { CrmRequest, Reply } from "../types.js";
import { apiError, errors } from "../zoho-errors.js";

export function moduleOf(req: CrmRequest, ctx: HandlerContext, name = req.params.module): ModuleDef | Reply {
  const module = name === undefined ? undefined : ctx.state.module(name);
  return module ?? errors.invalidModule();
}

/** The module named by the `module` query parameter (settings endpoints), or the error reply. */
export function moduleQuery(req: CrmRequest, ctx: HandlerContext): ModuleDef | Reply {
  const name = req.query.get("module");
  if (!name) return errors.requiredParam("module");
  return moduleOf(req, ctx, name);
}

export function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && typeof (value as Reply).status === "number" && !("api_name" in value);
}

export interface Paging {
  page: number;
  perPage: number;
}

function positiveInt(text: string | null, fallback: number): number | undefined {
  if (text === null || text === "") return fallback;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}

/** `page` (from 1) and `per_page` (1..200): anything else is 400 INVALID_DATA naming the parameter. */
export function pagingOf(query: URLSearchParams): Paging | Reply {
  const page = positiveInt(query.get("page"), 1);
  if (page === undefined) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "page" });
  const perPage = positiveInt(query.get("per_page"), MAX_PAGE_SIZE);
  if (perPage === undefined || perPage > MAX_PAGE_SIZE)
    return apiError(400, "INVALID_DATA", "invalid data", { param_name: "per_page", maximum_length: MAX_PAGE_SIZE });
  return { page, perPage };
}

/**
 * One page of `items` under `key` with v2's `info`; 204 with no body when the page is empty.
 * `format` runs on the page's items only (a 100k-record module formats 200, not all).
 */
export function pageReply<T>(key: string, items: readonly T[], paging: Paging, format?: (item: T) => unknown): Reply {
  const start = (paging.page - 1) * paging.perPage;
  const page = items.slice(start, start + paging.perPage);
  const slice = format ? page.map(format) : page;
  if (slice.length === 0) return { status: 204 };
  return {
    status: 200,
    body: { [key]: slice, info: { per_page: paging.perPage, count: slice.length, page: paging.page, more_records: start + slice.length < items.length } },
  };
}

/** If-Modified-Since in ms, or undefined when absent or unparseable. */
export function modifiedSince(req: CrmRequest): number | undefined {
  return parseHeaderDate(req.headers["if-modified-since"]);
}

/**
 * Zoho's If-Modified-Since: "modified after the given time", at the second resolution of
 * Modified_Time (a change at 10:00:00.700 is a change at 10:00:00, not after it).
 */
export function changedAfter(changeMs: number, since: number): boolean {
  return Math.floor(changeMs / 1000) * 1000 > since;
}

/** True when the request's If-Modified-Since is at or after `lastChangeMs` (second precision). */
export function notModified(req: CrmRequest, lastChangeMs: number): boolean {
  const since = modifiedSince(req);
  return since !== undefined && !changedAfter(lastChangeMs, since);
}

/** Comma-separated list parameter (`fields`, `ids`). */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
