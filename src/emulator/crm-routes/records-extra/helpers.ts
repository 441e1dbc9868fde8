/**
 * Helpers of the records-adjacent routes: the parent record of a path (with `X-EXTERNAL`, through
 * `../record-ref.ts`), success items, user references, download replies and request-body checks.
 */
import type { ModuleDef } from "../../module-metadata.js";
import type { HandlerContext } from "../../router.js";
import type { CrmRequest, EmulatorUser, Reply, StoredRecord } from "../../types.js";
import { apiError, errors, type ResultItem } from "../../zoho-errors.js";
import { isReply, moduleOf } from "../common.js";
import { resolveRecord } from "../record-ref.js";

export { fileReply } from "../file-reply.js";
export { isReply, resolveRecord };

export interface Parent {
  module: ModuleDef;
  record: StoredRecord;
}

/** The module of `{module}` and the record of `param` (`recordId` by default). */
export function parentOf(req: CrmRequest, ctx: HandlerContext, param = "recordId", moduleName = req.params.module): Parent | Reply {
  const module = moduleOf(req, ctx, moduleName);
  if (isReply(module)) return module;
  const record = resolveRecord(req, ctx, module, req.params[param] ?? "", 1);
  if (isReply(record)) return record;
  return { module, record };
}

export function success(message: string, details: Record<string, unknown> = {}): ResultItem {
  return { code: "SUCCESS", details, message, status: "success" };
}

/** `{name, id}` of a user (with `email` for owner-style lookups). */
export function userRef(user: EmulatorUser, withEmail = false): { name: string; id: string; email?: string } {
  return withEmail ? { name: user.full_name, id: user.id, email: user.email } : { name: user.full_name, id: user.id };
}

export function contentTypeOf(req: CrmRequest): string | undefined {
  const value = req.headers["content-type"];
  return Array.isArray(value) ? value[0] : value;
}

export const unsupportedMedia = (): Reply => apiError(415, "MEDIA_TYPE_NOT_SUPPORTED", "Media type is not supported. Send multipart/form-data.", {});

export const missingParam = (name: string): Reply => errors.requiredParam(name);

/** A required query parameter as a comma-separated list. */
export function requiredList(query: URLSearchParams, name: string): string[] | Reply {
  const raw = query.get(name);
  const items =
    raw === null
      ? []
      : raw
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
  return items.length === 0 ? missingParam(name) : items;
}

export function limitExceeded(param: string, max: number): Reply {
  return apiError(400, "LIMIT_EXCEEDED", "count of records in your request exceeds the limit", { param_name: param, maximum_length: max });
}
