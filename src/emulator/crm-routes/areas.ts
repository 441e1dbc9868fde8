/**
 * Per-emulator state of the settings/platform route groups (bulk jobs, watch channels, org
 * settings...), kept in `CrmState.areas` so nothing is module-global, plus the helpers those
 * groups share: their own id range, request base URLs and one-item bodies.
 */
import type { CrmState } from "../crm-state.js";
import { IdGenerator } from "../id-generator.js";
import type { CrmRequest, Reply } from "../types.js";
import { errorItem, type ResultItem } from "../zoho-errors.js";

export function area<T>(state: CrmState, name: string, create: () => T): T {
  let value = state.areas.get(name) as T | undefined;
  if (value === undefined) {
    value = create();
    state.areas.set(name, value);
  }
  return value;
}

/** Ids of settings objects (currencies, taxes, variables, jobs...): the org's prefix, a counter range of their own. */
export const SETTINGS_IDS_AREA = "settings-ids";

export function settingsIds(state: CrmState): IdGenerator {
  return area(state, SETTINGS_IDS_AREA, () => new IdGenerator(state.ids.prefix, 700_000_000));
}

/** `http://host:port` of the request (absolute URLs in replies point back at the emulator). */
export function baseUrlOf(req: CrmRequest): string {
  const host = req.headers.host ?? "127.0.0.1";
  return `http://${host}`;
}

/** Items of a JSON body envelope (`{key: [...]}`), validated by the route before the handler runs. */
export function itemsOf<T = Record<string, unknown>>(req: CrmRequest, key: string): T[] {
  return (req.body as Record<string, T[]>)[key] ?? [];
}

/** Per-item results under an envelope: `allOk` when all succeeded, 207 when mixed, 400 when none did. */
export function envelopeReply(key: string, items: ResultItem[], allOk: number): Reply {
  const ok = items.filter((i) => i.status === "success").length;
  const status = ok === items.length ? allOk : ok === 0 ? 400 : 207;
  return { status, body: { [key]: items } };
}

export const success = (message: string, details: Record<string, unknown>): ResultItem => ({ code: "SUCCESS", details, message, status: "success" });
export const invalidId = (id: unknown): ResultItem =>
  errorItem("INVALID_DATA", "the id given seems to be invalid", { id: typeof id === "string" ? id : String(id ?? "") });
export const mandatory = (apiName: string): ResultItem => errorItem("MANDATORY_NOT_FOUND", "required field not found", { api_name: apiName });
export const invalidField = (apiName: string, extra: Record<string, unknown> = {}): ResultItem =>
  errorItem("INVALID_DATA", "invalid data", { api_name: apiName, ...extra });
