/**
 * Keeps the emulator's Zoho Accounts endpoints honest against the spec's OAuth operations
 * (`spec/paths/oauth.yaml`): the operations the Accounts side serves, and a check of each reply it
 * produces (not injected faults) against the operation the request maps to. A mismatch lands in
 * `stats.responseValidationFailures`, like a CRM response that breaks the spec.
 */
import { formatAjvErrors } from "./spec-errors.js";
import type { SpecValidator } from "./spec-validator.js";
import type { EmulatorStats } from "./stats.js";
import type { Reply } from "./types.js";

/** The Accounts operations the emulator serves (method, the spec's path, operationId). */
export const ACCOUNTS_OPERATIONS = [
  { method: "POST", path: "/oauth/v2/token", operationId: "generateAccessToken" },
  { method: "POST", path: "/oauth/v2/token/revoke", operationId: "revokeToken" },
  { method: "GET", path: "/oauth/user/info", operationId: "getUserInfo" },
] as const;

/** Start-up drift check: each Accounts operation must exist in the spec with the same method and path. */
export function accountsSpecMismatches(validator: SpecValidator): string[] {
  const problems: string[] = [];
  for (const route of ACCOUNTS_OPERATIONS) {
    const op = validator.operation(route.operationId);
    if (!op) problems.push(`${route.method} ${route.path}: operation ${route.operationId} is not in the spec`);
    else if (op.method !== route.method || op.path !== route.path)
      problems.push(`${route.operationId}: route ${route.method} ${route.path}, spec ${op.method} ${op.path}`);
  }
  return problems;
}

/** Validates an Accounts reply; requests the spec does not describe (wrong method, unknown path) are skipped. */
export function checkAccountsReply(
  validator: SpecValidator | undefined,
  stats: EmulatorStats,
  log: (message: string) => void,
  method: string,
  pathname: string,
  reply: Reply,
): void {
  if (!validator || reply.raw !== undefined) return;
  const match = validator.matchOperation(method, pathname.replace(/\/+$/, ""));
  if (!match || !ACCOUNTS_OPERATIONS.some((op) => op.operationId === match.operationId)) return;
  const problems = formatAjvErrors(validator.validateResponse(match.operationId, reply.status, reply.body).errors);
  if (problems.length === 0) return;
  stats.responseValidationFailures.push({ operationId: match.operationId, status: reply.status, errors: problems });
  log(`zcrm emulator: response of ${match.operationId} (HTTP ${reply.status}) does not match the spec: ${problems.join("; ")}`);
}
