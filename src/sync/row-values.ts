/**
 * A Zoho record as a table row: each column's value from the record (REST answers carry JSON
 * values; bulk-read CSV rows carry text), the whole record as JSON, and when it was synced.
 * Date-times are stored as UTC instants; JSON columns as JSON text (the database parses it).
 */
import { createHash } from "node:crypto";
import type { ColumnDef } from "./columns.js";
import { OWN_COLUMNS } from "./columns.js";

export type Row = Record<string, unknown>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function toNumber(value: unknown, integer: boolean): number | string | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return null;
  // Integers beyond 2^53 travel as text, so a bigint column keeps every digit.
  if (integer && !Number.isSafeInteger(n)) return typeof value === "string" ? value : BigInt(Math.trunc(n)).toString();
  return integer ? Math.trunc(n) : n;
}

function toBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return value;
  return String(value).toLowerCase() === "true";
}

function toDateTime(value: unknown): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const ms = typeof value === "number" ? value : Date.parse(String(value));
  return Number.isNaN(ms) ? null : new Date(ms);
}

function toDate(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const text = String(value);
  return ISO_DATE.test(text) ? text : text.slice(0, 10);
}

/** A JSON value from a REST value, or from bulk CSV text (JSON, or Zoho's `a;b` multi-select list). */
function toJson(value: unknown, fromCsv: boolean): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (fromCsv && typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      try {
        return JSON.stringify(JSON.parse(trimmed));
      } catch {
        // not JSON: a list below
      }
    }
    return JSON.stringify(value.split(";").map((item) => item.trim()));
  }
  return JSON.stringify(value);
}

function lookupPart(value: unknown, part: "id" | "name"): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "object") {
    const v = (value as Record<string, unknown>)[part];
    return v === null || v === undefined ? null : String(v);
  }
  // Bulk CSV carries a lookup's id only.
  return part === "id" ? String(value) : null;
}

/** The row of `record` for `columns`; `fromCsv` when the values are bulk-read text. */
export function rowOf(record: Record<string, unknown>, columns: readonly ColumnDef[], options: { fromCsv: boolean; syncedAt: Date }): Row {
  const row: Row = {};
  for (const column of columns) {
    if (column.field === undefined) continue;
    const value = record[column.field];
    switch (column.kind) {
      case "text":
        row[column.name] = toText(value === "" && options.fromCsv ? null : value);
        break;
      case "integer":
        row[column.name] = toNumber(value, true);
        break;
      case "number":
        row[column.name] = toNumber(value, false);
        break;
      case "boolean":
        row[column.name] = toBoolean(value);
        break;
      case "date":
        row[column.name] = toDate(value);
        break;
      case "datetime":
        row[column.name] = toDateTime(value);
        break;
      case "json":
        row[column.name] = toJson(value, options.fromCsv);
        break;
      case "lookup_id":
        row[column.name] = lookupPart(value, "id");
        break;
      case "lookup_name":
        row[column.name] = lookupPart(value, "name");
        break;
    }
  }
  const json = JSON.stringify(record);
  row[OWN_COLUMNS.record] = json;
  row[OWN_COLUMNS.recordHash] = createHash("sha1").update(json).digest("hex");
  row[OWN_COLUMNS.syncedAt] = options.syncedAt;
  row[OWN_COLUMNS.deletedAt] = null;
  return row;
}

/** A bulk-read CSV row (header → cells) as a record object. */
export function csvRecord(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const key = name === "Id" ? "id" : name;
    const cell = cells[i] ?? "";
    record[key] = cell === "" ? null : cell;
  });
  return record;
}
