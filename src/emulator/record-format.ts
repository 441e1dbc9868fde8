/**
 * Records as the API returns them (every field, `null` when empty, plus the read-only `$` keys),
 * field selection (`fields=`), ordering (`sort_by`/`sort_order`) and the Leads `converted` filter.
 */
import { fieldOf, type ModuleDef } from "./module-metadata.js";
import type { StoredRecord } from "./types.js";

/** The read-only `$` keys every record carries (a fresh object each time: callers may mutate it). */
function systemKeys(): Record<string, unknown> {
  return {
    $approved: true,
    $editable: true,
    $process_flow: false,
    $currency_symbol: "$",
    $review_process: null,
    $approval: { delegate: false, approve: false, reject: false, resubmit: false },
  };
}

export function formatRecord(module: ModuleDef, record: StoredRecord, fields?: readonly string[]): Record<string, unknown> {
  if (fields && fields.length > 0) {
    const out: Record<string, unknown> = { id: record.id };
    for (const name of fields) {
      const field = fieldOf(module, name);
      if (field) out[field.api_name] = record.data[field.api_name] ?? null;
      else if (name.startsWith("$") && name in record.data) out[name] = record.data[name];
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const field of module.fields) out[field.api_name] = record.data[field.api_name] ?? null;
  for (const [key, value] of Object.entries(record.data)) if (!(key in out)) out[key] = value;
  return { ...out, id: record.id, ...systemKeys(), Tag: Array.isArray(record.data.Tag) ? record.data.Tag : [] };
}

/** Leads: `converted=false` (default) hides converted leads, `true` shows only them, `both` all. */
export function filterConverted(module: ModuleDef, records: StoredRecord[], converted: string | null): StoredRecord[] {
  if (!module.convertable || converted === "both") return records;
  const wanted = converted === "true";
  return records.filter((r) => (r.data.$converted === true) === wanted);
}

function sortKey(value: unknown): string | number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "object") {
    const name = (value as { name?: unknown }).name;
    return typeof name === "string" ? name.toLowerCase() : undefined;
  }
  return String(value).toLowerCase();
}

export function compareValues(a: unknown, b: unknown): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka === undefined || kb === undefined) return ka === kb ? 0 : ka === undefined ? 1 : -1;
  if (typeof ka === "number" && typeof kb === "number") return ka - kb;
  return String(ka) < String(kb) ? -1 : String(ka) > String(kb) ? 1 : 0;
}

/** Stable sort by one field; nulls last. Without `sortBy`, insertion (id) order. */
export function sortRecords(records: StoredRecord[], sortBy: string | undefined, order: "asc" | "desc"): StoredRecord[] {
  if (!sortBy) return order === "desc" ? [...records].reverse() : records;
  const key = sortBy === "id" ? (r: StoredRecord) => BigInt(r.id) : (r: StoredRecord) => r.data[sortBy];
  return [...records].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    let c: number;
    if (typeof a === "bigint" && typeof b === "bigint") c = a < b ? -1 : a > b ? 1 : 0;
    else c = compareValues(a, b);
    return order === "desc" ? -c : c;
  });
}
