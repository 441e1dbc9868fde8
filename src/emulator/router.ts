/**
 * The CRM route table: method + path template (the spec's) → operationId + handler. Adding an
 * operation is one entry in `crm-routes/index.ts`. Literal segments win over templates.
 */
import type { CrmState } from "./crm-state.js";
import { PathMatcher } from "./path-matcher.js";
import type { Access } from "./scopes.js";
import type { TokenRegistry } from "./token-registry.js";
import type { CrmRequest, Reply, ScopeFamily } from "./types.js";

export interface HandlerContext {
  state: CrmState;
  tokens: TokenRegistry;
}

export type CrmHandler = (req: CrmRequest, ctx: HandlerContext) => Reply;

export interface CrmRoute {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** The spec's path template, e.g. `/crm/v2/{module}/{id}`. */
  path: string;
  /** The spec's operationId (checked against the spec at start-up). */
  operationId: string;
  /** Scope needed: `ZohoCRM.<scope>.<access>` (or ALL). */
  scope: ScopeFamily;
  access: Access;
  /** The operation takes a JSON object body whose `key` must be an array (at most `max` items,
   *  else LIMIT_EXCEEDED, checked before the schema), a string or an object. */
  body?: { key: string; type: "array" | "string" | "object"; max?: number };
  /** The module a fixed-module path acts on (for module-specific scopes), e.g. `Leads`. */
  module?: string;
  handler: CrmHandler;
}

export type RouteResolution = { ok: true; route: CrmRoute; params: Record<string, string> } | { ok: false; reason: "not_found" | "method_not_allowed" };

export class Router {
  readonly #matcher = new PathMatcher<Map<string, CrmRoute>>();
  readonly routes: readonly CrmRoute[];

  constructor(routes: readonly CrmRoute[]) {
    this.routes = routes;
    const byPath = new Map<string, Map<string, CrmRoute>>();
    for (const route of routes) {
      const methods = byPath.get(route.path) ?? new Map<string, CrmRoute>();
      if (methods.has(route.method)) throw new Error(`duplicate emulator route ${route.method} ${route.path}`);
      methods.set(route.method, route);
      byPath.set(route.path, methods);
    }
    for (const [path, methods] of byPath) this.#matcher.add(path, methods);
  }

  resolve(method: string, pathname: string): RouteResolution {
    const match = this.#matcher.match(pathname);
    if (!match) return { ok: false, reason: "not_found" };
    const route = match.value.get(method.toUpperCase());
    return route ? { ok: true, route, params: match.params } : { ok: false, reason: "method_not_allowed" };
  }
}
