/**
 * Search: exactly one of `criteria`, `email`, `phone`, `word` (precedence in that order); 204 when
 * nothing matches.
 */
import { CriteriaError, matchesCriteria, parseCriteria } from "../criteria.js";
import { filterConverted, formatRecord } from "../record-format.js";
import type { CrmHandler } from "../router.js";
import type { StoredRecord } from "../types.js";
import { apiError, errors } from "../zoho-errors.js";
import { isReply, listParam, moduleOf, pageReply, pagingOf } from "./common.js";

const digits = (text: string) => text.replace(/\D/g, "");

export const searchRecords: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const records = filterConverted(module, ctx.state.records(module.api_name), req.query.get("converted"));
  const criteria = req.query.get("criteria");
  const email = req.query.get("email");
  const phone = req.query.get("phone");
  const word = req.query.get("word");
  let match: (r: StoredRecord) => boolean;
  if (criteria) {
    try {
      const parsed = parseCriteria(module, criteria);
      match = (r) => matchesCriteria(parsed, r);
    } catch (error) {
      if (error instanceof CriteriaError) return apiError(400, "INVALID_QUERY", error.message, error.details);
      throw error;
    }
  } else if (email) {
    const wanted = email.toLowerCase();
    const fields = module.fields.filter((f) => f.data_type === "email");
    match = (r) => fields.some((f) => typeof r.data[f.api_name] === "string" && (r.data[f.api_name] as string).toLowerCase() === wanted);
  } else if (phone) {
    const wanted = digits(phone);
    if (wanted === "") return apiError(400, "INVALID_DATA", "invalid data", { param_name: "phone" });
    const fields = module.fields.filter((f) => f.data_type === "phone");
    match = (r) => fields.some((f) => typeof r.data[f.api_name] === "string" && digits(r.data[f.api_name] as string).includes(wanted));
  } else if (word) {
    const wanted = word.toLowerCase();
    const fields = module.fields.filter((f) => ["text", "textarea", "email", "phone", "website", "picklist"].includes(f.data_type));
    match = (r) => fields.some((f) => typeof r.data[f.api_name] === "string" && (r.data[f.api_name] as string).toLowerCase().includes(wanted));
  } else {
    return errors.requiredParam("criteria");
  }
  const fields = listParam(req.query, "fields");
  return pageReply(
    "data",
    records.filter(match).map((r) => formatRecord(module, r, fields)),
    paging,
  );
};
