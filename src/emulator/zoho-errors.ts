/**
 * Zoho-shaped error replies: request-level `{code, details, message, status: "error"}` and
 * record-level items inside `{data: [...]}`.
 */
import type { Reply } from "./types.js";

export interface ResultItem {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: "success" | "error";
  [key: string]: unknown;
}

export function apiError(status: number, code: string, message: string, details: Record<string, unknown> = {}): Reply {
  return { status, body: { code, details, message, status: "error" } };
}

export function errorItem(code: string, message: string, details: Record<string, unknown> = {}): ResultItem {
  return { code, details, message, status: "error" };
}

/** Record-level errors (every item failed): `{data: [...]}` under a 4xx. */
export function recordErrors(status: number, items: ResultItem[], key = "data"): Reply {
  return { status, body: { [key]: items } };
}

/** 200/201 when every item succeeded, 400 when every item failed, 207 when mixed. */
export function writeStatus(items: ResultItem[], allOk: number): number {
  const ok = items.filter((i) => i.status === "success").length;
  if (ok === items.length) return allOk;
  if (ok === 0) return 400;
  return 207;
}

export const errors = {
  invalidToken: () => apiError(401, "INVALID_TOKEN", "invalid oauth token"),
  authenticationFailure: () => apiError(401, "AUTHENTICATION_FAILURE", "Authentication failed"),
  scopeMismatch: () => apiError(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"),
  invalidUrl: () => apiError(404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"),
  invalidMethod: () => apiError(400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"),
  invalidModule: () => apiError(400, "INVALID_MODULE", "the module name given seems to be invalid", { resource_path_index: 0 }),
  requiredParam: (param: string) => apiError(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", { param_name: param }),
  invalidId: (index = 1) => apiError(400, "INVALID_DATA", "the id given seems to be invalid", { resource_path_index: index }),
  tooManyRequests: () =>
    apiError(
      429,
      "TOO_MANY_REQUESTS",
      "Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded.",
    ),
  internal: () => apiError(500, "INTERNAL_ERROR", "Internal Server Error"),
};
