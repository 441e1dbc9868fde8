/**
 * EMULATOR-ONLY endpoints under `/emulator/` (they do not exist at Zoho):
 * - `POST /emulator/grant` `{user?, scopes?}` → `{code}`: the consent shortcut, a grant code as the
 *   browser redirect would deliver it (single-use, expires after `grantTtlSec`).
 * - `POST /emulator/faults` `{clear?, latencyMs?, concurrencyLimit?, failNext?, failNextToken?}` →
 *   the queued faults; `failNext` is one object or a list of `{kind, count?, match?: {method?,
 *   path?}, retryAfterSec?, status?}` (`path` matches itself and below, `*` one segment).
 *   `GET /emulator/faults` shows them.
 * - `GET /emulator/stats`, `POST /emulator/stats/reset`.
 * - `POST /emulator/clock` `{advanceMs}`: moves the emulator clock (token expiry, refresh windows).
 * - `POST /emulator/expire-tokens`: every live access token expires now.
 * - `POST /emulator/fields` `{module, api_name, data_type, field_label?, length?, pick_list_values?,
 *   lookup_module?, mandatory?, unique?}` → `{fields: [field]}`: adds a custom field to the module now.
 * No authentication and no fault injection apply to them. So that a web page open in the
 * developer's browser cannot drive them (a cross-site form or `fetch` to localhost), a request with
 * a foreign `Origin` is refused (403), and a POST must be `application/json` (415) — which a page
 * can only send after a CORS preflight this server never approves.
 */
import type { IncomingCall } from "./crm-api.js";
import type { CustomFieldInput } from "./custom-fields.js";
import { FAULT_KINDS, TOKEN_FAULT_KINDS, type FailNextOptions, type FaultController, type FaultKind, type TokenFaultKind } from "./faults.js";
import { parseJson } from "./http-io.js";
import type { EmulatorStats } from "./stats.js";
import type { Reply } from "./types.js";

export interface ControlOptions {
  mintGrantCode: (options: { user?: string; scopes?: string[] }) => string;
  faults: FaultController;
  stats: EmulatorStats;
  resetStats: () => void;
  advanceClock: (ms: number) => void;
  expireAccessTokens: () => void;
  addField: (module: string, field: CustomFieldInput) => Record<string, unknown>;
}

const bad = (message: string): Reply => ({ status: 400, body: { error: "invalid_request", message } });

function failNextOf(raw: unknown): FailNextOptions {
  const item = (raw ?? {}) as Record<string, unknown>;
  if (!FAULT_KINDS.includes(item.kind as FaultKind)) throw new Error(`failNext.kind must be one of ${FAULT_KINDS.join(", ")}`);
  const match = (item.match ?? undefined) as { method?: unknown; path?: unknown; pathRegex?: unknown } | undefined;
  if (match?.pathRegex !== undefined) throw new Error("match.pathRegex is not supported: use match.path (a path prefix; * matches one segment)");
  return {
    kind: item.kind as FaultKind,
    ...(typeof item.count === "number" ? { count: item.count } : {}),
    ...(typeof item.retryAfterSec === "number" ? { retryAfterSec: item.retryAfterSec } : {}),
    ...(typeof item.status === "number" ? { status: item.status } : {}),
    ...(match
      ? {
          match: {
            ...(typeof match.method === "string" ? { method: match.method } : {}),
            ...(typeof match.path === "string" ? { path: match.path } : {}),
          },
        }
      : {}),
  };
}

export function handleControl(call: IncomingCall, o: ControlOptions): Reply {
  const path = call.url.pathname.replace(/\/+$/, "");
  const origin = call.headers.origin;
  if (origin !== undefined && origin !== call.url.origin) {
    return { status: 403, body: { error: "forbidden", message: "the emulator's control endpoints refuse requests from another origin (a web page)" } };
  }
  const type = String(call.headers["content-type"] ?? "");
  if (call.method !== "GET" && !/^application\/json\s*(;|$)/i.test(type)) {
    return { status: 415, body: { error: "unsupported_media_type", message: "send the control request as application/json" } };
  }
  const parsed = parseJson(call.body);
  const body = (parsed.ok && parsed.value && typeof parsed.value === "object" ? parsed.value : {}) as Record<string, unknown>;
  if (!parsed.ok && !parsed.empty) return bad("the body must be JSON");
  try {
    if (path === "/emulator/grant" && call.method === "POST") {
      const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : undefined;
      const user = typeof body.user === "string" ? body.user : undefined;
      return { status: 200, body: { code: o.mintGrantCode({ ...(user ? { user } : {}), ...(scopes ? { scopes } : {}) }) } };
    }
    if (path === "/emulator/faults" && call.method === "GET") return { status: 200, body: o.faults.pending() };
    if (path === "/emulator/faults" && call.method === "POST") {
      if (body.clear === true) o.faults.clear();
      if (typeof body.latencyMs === "number") o.faults.latencyMs = Math.max(0, body.latencyMs);
      if (typeof body.concurrencyLimit === "number") o.faults.concurrencyLimit = body.concurrencyLimit;
      if (body.concurrencyLimit === null) o.faults.concurrencyLimit = undefined;
      if (body.failNext !== undefined) for (const item of Array.isArray(body.failNext) ? body.failNext : [body.failNext]) o.faults.failNext(failNextOf(item));
      if (body.failNextToken !== undefined) {
        for (const item of Array.isArray(body.failNextToken) ? body.failNextToken : [body.failNextToken]) {
          const t = (item ?? {}) as { kind?: unknown; count?: unknown };
          if (!TOKEN_FAULT_KINDS.includes(t.kind as TokenFaultKind)) throw new Error(`failNextToken.kind must be one of ${TOKEN_FAULT_KINDS.join(", ")}`);
          o.faults.failNextToken({ kind: t.kind as TokenFaultKind, ...(typeof t.count === "number" ? { count: t.count } : {}) });
        }
      }
      return { status: 200, body: o.faults.pending() };
    }
    if (path === "/emulator/stats" && call.method === "GET") return { status: 200, body: o.stats };
    if (path === "/emulator/stats/reset" && call.method === "POST") {
      o.resetStats();
      return { status: 200, body: o.stats };
    }
    if (path === "/emulator/clock" && call.method === "POST") {
      if (typeof body.advanceMs !== "number") return bad("send {advanceMs: number}");
      o.advanceClock(body.advanceMs);
      return { status: 200, body: { ok: true } };
    }
    if (path === "/emulator/fields" && call.method === "POST") {
      const { module, ...field } = body;
      if (typeof module !== "string") return bad("send {module, api_name, data_type, ...}");
      return { status: 200, body: { fields: [o.addField(module, field as unknown as CustomFieldInput)] } };
    }
    if (path === "/emulator/expire-tokens" && call.method === "POST") {
      o.expireAccessTokens();
      return { status: 200, body: { ok: true } };
    }
  } catch (error) {
    return bad(error instanceof Error ? error.message : String(error));
  }
  return { status: 404, body: { error: "not_found", message: `no emulator endpoint ${call.method} ${path}` } };
}
