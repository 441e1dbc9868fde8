/**
 * COQL: `POST /crm/v2/coql` with `{select_query}`; 204 when no rows match; SYNTAX_ERROR and
 * INVALID_QUERY as 400.
 */
import { runCoql } from "../coql-executor.js";
import { CoqlError, parseCoql } from "../coql-parser.js";
import type { CrmHandler } from "../router.js";
import { apiError } from "../zoho-errors.js";

export const getRecordsByCOQL: CrmHandler = (req, ctx) => {
  const { select_query: query } = req.body as { select_query: string };
  try {
    const result = runCoql(ctx.state, parseCoql(query));
    if (result.rows.length === 0) return { status: 204 };
    return { status: 200, body: { data: result.rows, info: { count: result.rows.length, more_records: result.moreRecords } } };
  } catch (error) {
    if (error instanceof CoqlError) return apiError(400, error.code, error.message, error.details);
    throw error;
  }
};
