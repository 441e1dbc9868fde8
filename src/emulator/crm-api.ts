/**
 * The CRM API pipeline for one request: route, concurrency cap, latency and early faults,
 * authentication (Zoho-oauthtoken), scopes, JSON body (Zoho's limits, then the spec's schema),
 * the handler, and validation of the emulator's own response against the spec.
 */
import type { IncomingHttpHeaders } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { CrmState } from "./crm-state.js";
import { beforeProcessing, type FaultController, type PendingFault } from "./faults.js";
import { parseJson } from "./http-io.js";
import type { Router, RouteResolution } from "./router.js";
import { scopeAllows } from "./scopes.js";
import { formatAjvErrors } from "./spec-errors.js";
import type { SpecValidator } from "./spec-validator.js";
import { bump, type EmulatorStats } from "./stats.js";
import type { TokenRegistry } from "./token-registry.js";
import type { CrmRequest, Reply } from "./types.js";
import { apiError, errorItem, errors, recordErrors } from "./zoho-errors.js";

export interface IncomingCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CrmApiOptions {
  router: Router;
  validator: SpecValidator | undefined;
  state: CrmState;
  tokens: TokenRegistry;
  faults: FaultController;
  stats: EmulatorStats;
  log: (message: string) => void;
}

/** `$.data[0].Owner` from Ajv's `/data/0/Owner`. */
function jsonPath(instancePath: string): string {
  return (
    "$" +
    instancePath
      .split("/")
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p.replace(/~1/g, "/").replace(/~0/g, "~")}`))
      .join("")
  );
}

/** Zoho's error code of an error body: request-level `{code}` or the first record-level `{data: [{code}]}`. */
function errorCodeOf(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { code?: unknown; data?: Array<{ code?: unknown }> };
  const code = b.code ?? (Array.isArray(b.data) ? b.data[0]?.code : undefined);
  return typeof code === "string" ? code : undefined;
}

export class CrmApi {
  readonly #o: CrmApiOptions;
  #active = 0;

  constructor(options: CrmApiOptions) {
    this.#o = options;
  }

  /** The reply to send, or "reset" to drop the connection (fault injection). */
  async handle(call: IncomingCall, fault: PendingFault | undefined): Promise<Reply | "reset"> {
    const { stats, faults, router } = this.#o;
    const resolution = router.resolve(call.method, call.url.pathname);
    const operationId = resolution.ok ? resolution.route.operationId : undefined;
    stats.apiCalls += 1;
    bump(stats.perPath, `${call.method} ${call.url.pathname}`);
    if (operationId) bump(stats.perOperation, operationId);
    this.#active += 1;
    stats.inFlight = this.#active;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, this.#active);
    try {
      if (faults.concurrencyLimit !== undefined && this.#active > faults.concurrencyLimit) {
        stats.concurrencyRejections += 1;
        return this.#checked(operationId, errors.tooManyRequests());
      }
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      await faults.passGate();
      const before = beforeProcessing(fault);
      if (before.action === "reset") return "reset";
      if (before.action === "reply") return before.reply; // injected: deliberately not spec-checked
      return this.#checked(operationId, this.#process(call, resolution));
    } finally {
      this.#active -= 1;
      stats.inFlight = this.#active;
    }
  }

  #process(call: IncomingCall, resolution: RouteResolution): Reply {
    const { state, tokens, validator, stats } = this.#o;
    const header = call.headers.authorization;
    const scheme = typeof header === "string" ? /^Zoho-oauthtoken\s+(\S+)\s*$/i.exec(header) : null;
    if (!scheme) {
      stats.unauthorized += 1;
      return errors.authenticationFailure();
    }
    const check = tokens.check(scheme[1]!);
    if (!check.ok) {
      stats.unauthorized += 1;
      return errors.invalidToken();
    }
    const user = state.userByEmail(check.token.user);
    if (user?.status !== "active") {
      stats.unauthorized += 1;
      return errors.authenticationFailure();
    }
    if (!resolution.ok) return resolution.reason === "not_found" ? errors.invalidUrl() : errors.invalidMethod();
    const { route, params } = resolution;
    if (!scopeAllows(check.token.scopes, route.scope, route.access, params.module ?? route.module)) return errors.scopeMismatch();

    let body: unknown;
    if (route.body) {
      const parsed = parseJson(call.body);
      if (!parsed.ok)
        return apiError(400, "INVALID_DATA", parsed.empty ? "the request body is empty; send a JSON body" : "the request body is not valid JSON", {});
      body = parsed.value;
      const spec = route.body;
      const value = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>)[spec.key] : undefined;
      if (value === undefined) return errors.requiredParam(spec.key);
      if (spec.type === "array" && Array.isArray(value) && spec.max !== undefined && value.length > spec.max) {
        return recordErrors(400, [
          errorItem("LIMIT_EXCEEDED", "count of records in your request exceeds the limit", { maximum_length: spec.max, api_name: spec.key }),
        ]);
      }
      if (validator) {
        const problems = validator.validateRequest(route.operationId, body).errors;
        if (problems.length > 0) {
          stats.requestValidationFailures += 1;
          const first = problems[0]!;
          const missing = (first.params as { missingProperty?: unknown }).missingProperty;
          if (first.keyword === "required" && first.instancePath === "" && typeof missing === "string") return errors.requiredParam(missing);
          const parts = first.instancePath.split("/");
          const apiName = parts.length >= 4 ? parts[3] : parts[parts.length - 1];
          return apiError(400, "INVALID_DATA", "invalid data", {
            ...(apiName ? { api_name: apiName } : {}),
            json_path: jsonPath(first.instancePath),
            reason: first.message ?? first.keyword,
            errors: formatAjvErrors(problems),
          });
        }
      }
      const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
      if ((spec.type === "array" && !Array.isArray(value)) || (spec.type === "string" && typeof value !== "string") || (spec.type === "object" && !isObject)) {
        return apiError(400, "INVALID_DATA", "invalid data", {
          api_name: spec.key,
          expected_data_type: spec.type === "array" ? "jsonarray" : spec.type === "object" ? "jsonobject" : "string",
        });
      }
    }

    const request: CrmRequest = {
      method: call.method,
      path: call.url.pathname,
      query: call.url.searchParams,
      headers: call.headers,
      params,
      body,
      rawBody: call.body,
      user,
    };
    try {
      return route.handler(request, { state, tokens });
    } catch (error) {
      this.#o.log(`zcrm emulator: ${route.operationId} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return errors.internal();
    }
  }

  /** Validates the emulator's own reply against the spec (a mismatch is an emulator bug) and counts error answers. */
  #checked(operationId: string | undefined, reply: Reply): Reply {
    const { validator, stats, log } = this.#o;
    if (reply.status >= 400) bump(stats.errorReplies, `${operationId ?? "(no operation)"} ${reply.status} ${errorCodeOf(reply.body) ?? "-"}`);
    if (!validator || !operationId) return reply;
    const result =
      reply.raw === undefined
        ? validator.validateResponse(operationId, reply.status, reply.body)
        : validator.validateResponseContentType(operationId, reply.status, reply.headers?.["content-type"]);
    const problems = formatAjvErrors(result.errors);
    if (problems.length > 0) {
      stats.responseValidationFailures.push({ operationId, status: reply.status, errors: problems });
      log(`zcrm emulator: response of ${operationId} (HTTP ${reply.status}) does not match the spec: ${problems.join("; ")}`);
    }
    return reply;
  }
}
