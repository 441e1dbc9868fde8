/**
 * OAuth scopes: which scopes a grant carries (all CRM scopes by default) and whether they allow a
 * CRM operation (`ZohoCRM.<family>[.<module>].<ALL|READ|CREATE|UPDATE|WRITE|DELETE>`).
 */
import type { ScopeFamily } from "./types.js";

export type Access = "READ" | "CREATE" | "UPDATE" | "DELETE";

export const DEFAULT_SCOPES = [
  "ZohoCRM.modules.ALL",
  "ZohoCRM.settings.ALL",
  "ZohoCRM.users.ALL",
  "ZohoCRM.org.ALL",
  "ZohoCRM.coql.READ",
  "ZohoCRM.bulk.ALL",
  "ZohoCRM.notifications.ALL",
  "ZohoCRM.files.ALL",
  "ZohoCRM.functions.execute.READ",
  "ZohoCRM.functions.execute.CREATE",
  "ZohoSearch.securesearch.READ",
  "AaaServer.profile.READ",
];

export function scopeAllows(scopes: readonly string[], family: ScopeFamily, access: Access, module?: string): boolean {
  return scopes.some((scope) => {
    const parts = scope.split(".");
    if (parts[0] !== "ZohoCRM" || parts[1]?.toLowerCase() !== family) return false;
    const rest = parts.slice(2);
    const action = (rest.length >= 2 ? rest[1] : rest[0])?.toUpperCase();
    const target = rest.length >= 2 ? rest[0]?.toLowerCase() : undefined;
    if (target !== undefined && target !== "all" && module !== undefined && target !== module.toLowerCase()) return false;
    if (target !== undefined && target !== "all" && module === undefined) return false;
    return action === "ALL" || action === access || (action === "WRITE" && (access === "CREATE" || access === "UPDATE"));
  });
}

export function hasProfileScope(scopes: readonly string[]): boolean {
  return scopes.some((s) => s.toLowerCase() === "aaaserver.profile.read" || s.toLowerCase() === "aaaserver.profile.all");
}
