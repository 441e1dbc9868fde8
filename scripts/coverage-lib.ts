/**
 * Coverage of Zoho's CRM v2 operation list (test/fixtures/zoho-v2-operations.tsv, a copy of the
 * shared /work/shared/zoho-v2-operations.tsv: every operation of Zoho's TS SDK 2.0 and Python SDK
 * 2.0 plus the Accounts OAuth rows) by the bundled spec (generated/crm-v2.openapi.json). Paths are
 * compared with placeholders normalised (`{id}`, `{recordId}` → `{}`), as their names differ.
 * Shared by test/contract/coverage.test.ts and scripts/coverage-table.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const TSV_FILE = path.join(ROOT, "test", "fixtures", "zoho-v2-operations.tsv");
export const BUNDLED_SPEC = path.join(ROOT, "generated", "crm-v2.openapi.json");

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

export interface TsvRow {
  group: string;
  method: string;
  path: string;
  params: string;
  tsOps: string[];
  pyOps: string[];
  notes: string;
}

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
}

/** `/crm/v2/{module}/{recordId}` → `/crm/v2/{}/{}`. */
export function normalisePath(p: string): string {
  return p.replace(/\{[^}]*\}/g, "{}");
}

export const keyOf = (method: string, p: string): string => `${method.toUpperCase()} ${normalisePath(p)}`;

export function readTsv(file = TSV_FILE): TsvRow[] {
  const lines = readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  const [header, ...rows] = lines;
  const columns = header!.split("\t");
  const at = (cells: string[], name: string) => cells[columns.indexOf(name)] ?? "";
  const names = (text: string) =>
    text
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean);
  return rows.map((line) => {
    const cells = line.split("\t");
    return {
      group: at(cells, "group"),
      method: at(cells, "method").toUpperCase(),
      path: at(cells, "path"),
      params: at(cells, "params"),
      tsOps: names(at(cells, "ts_sdk_op")),
      pyOps: names(at(cells, "py_sdk_op")),
      notes: at(cells, "notes"),
    };
  });
}

export function readSpecOperations(file = BUNDLED_SPEC): SpecOperation[] {
  const doc = JSON.parse(readFileSync(file, "utf8")) as { paths?: Record<string, Record<string, { operationId?: string }>> };
  const ops: SpecOperation[] = [];
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ method: method.toUpperCase(), path: p, operationId: op.operationId ?? "" });
    }
  }
  return ops;
}

/** The distinct method + path pairs of the TSV that no spec operation covers. */
export function missingOperations(rows: TsvRow[], ops: SpecOperation[]): string[] {
  const covered = new Set(ops.map((o) => keyOf(o.method, o.path)));
  const missing = new Set<string>();
  for (const row of rows) if (!covered.has(keyOf(row.method, row.path))) missing.add(`${row.method} ${row.path} (${row.group})`);
  return [...missing];
}
