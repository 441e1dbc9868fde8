/**
 * Runs a parsed COQL query over a module's records: resolves fields (including one level of
 * lookup, `Account_Name.Account_Name`, `Owner.email`), filters, orders, limits and projects.
 * Lookups are returned as `{id}`, as Zoho's COQL does.
 */
import { COQL_DEFAULT_LIMIT, COQL_MAX_LIMIT } from "./constants.js";
import type { CrmState } from "./crm-state.js";
import { CoqlError, type CoqlCondition, type CoqlQuery, type Literal } from "./coql-parser.js";
import { fieldOf, SE_MODULE, type FieldDef, type ModuleDef } from "./module-metadata.js";
import type { StoredRecord } from "./types.js";

type Resolver = (record: StoredRecord) => unknown;

const USER_KEYS = ["id", "email", "first_name", "last_name", "full_name", "zuid", "status"];

function invalidColumn(name: string): CoqlError {
  return new CoqlError("INVALID_QUERY", "column given seems to be invalid", { column_name: name });
}

/** A function reading `name` (a field, `id`, or `Lookup.field`) from a record of `module`. */
function resolver(state: CrmState, module: ModuleDef, name: string): { read: Resolver; field: FieldDef | undefined } {
  if (name === "id") return { read: (r) => r.id, field: undefined };
  const dot = name.indexOf(".");
  if (dot === -1) {
    const field = fieldOf(module, name);
    if (!field) throw invalidColumn(name);
    return { read: (r) => r.data[field.api_name], field };
  }
  const head = fieldOf(module, name.slice(0, dot));
  const tail = name.slice(dot + 1);
  if (!head) throw invalidColumn(name);
  const idOf = (r: StoredRecord) => (r.data[head.api_name] as { id?: string } | null)?.id;
  if (head.data_type === "ownerlookup") {
    if (!USER_KEYS.includes(tail)) throw invalidColumn(name);
    return { read: (r) => (state.user(idOf(r) ?? "") as Record<string, unknown> | undefined)?.[tail] ?? null, field: undefined };
  }
  const target = head.data_type === "lookup" && head.lookupModule && head.lookupModule !== SE_MODULE ? state.module(head.lookupModule) : undefined;
  if (!target) throw invalidColumn(name);
  const targetField = tail === "id" ? undefined : fieldOf(target, tail);
  if (tail !== "id" && !targetField) throw invalidColumn(name);
  return {
    read: (r) => {
      const linked = state.record(target.api_name, idOf(r) ?? "");
      if (!linked) return null;
      return tail === "id" ? linked.id : (linked.data[targetField!.api_name] ?? null);
    },
    field: targetField,
  };
}

function scalar(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "object") return (value as { id?: string }).id ?? null;
  return value as string | number | boolean;
}

function compare(a: unknown, b: Literal): number | undefined {
  const x = scalar(a);
  if (x === null || b === null) return undefined;
  if (typeof x === "number" || typeof b === "number") {
    const nx = Number(x);
    const nb = Number(b);
    return Number.isNaN(nx) || Number.isNaN(nb) ? undefined : nx - nb;
  }
  if (typeof x === "boolean" || typeof b === "boolean") return String(x) === String(b) ? 0 : undefined;
  const dx = /T\d{2}:/.test(x) ? Date.parse(x) : NaN;
  const db = /T\d{2}:/.test(b) ? Date.parse(b) : NaN;
  if (!Number.isNaN(dx) && !Number.isNaN(db)) return dx - db;
  const lx = x.toLowerCase();
  const lb = b.toLowerCase();
  return lx < lb ? -1 : lx > lb ? 1 : 0;
}

function likeRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/%/g, ".*")
    .replace(/_/g, ".");
  return new RegExp(`^${body}$`, "is");
}

function predicate(state: CrmState, module: ModuleDef, cond: CoqlCondition): (r: StoredRecord) => boolean {
  if (cond.kind === "and" || cond.kind === "or") {
    const left = predicate(state, module, cond.left);
    const right = predicate(state, module, cond.right);
    return cond.kind === "and" ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
  }
  const leaf = cond as Exclude<CoqlCondition, { kind: "and" | "or" }>;
  const { read } = resolver(state, module, leaf.field);
  switch (leaf.kind) {
    case "compare":
      return (r) => {
        const c = compare(read(r), leaf.value);
        if (leaf.op === "!=") return c !== 0;
        if (c === undefined) return leaf.op === "=" && leaf.value === null && scalar(read(r)) === null;
        return leaf.op === "=" ? c === 0 : leaf.op === "<" ? c < 0 : leaf.op === ">" ? c > 0 : leaf.op === "<=" ? c <= 0 : c >= 0;
      };
    case "like": {
      const regex = likeRegex(leaf.pattern);
      return (r) => {
        const v = scalar(read(r));
        return (v !== null && regex.test(String(v))) !== leaf.not;
      };
    }
    case "in":
      return (r) => leaf.values.some((v) => compare(read(r), v) === 0) !== leaf.not;
    case "between":
      return (r) => {
        const low = compare(read(r), leaf.low);
        const high = compare(read(r), leaf.high);
        return (low !== undefined && high !== undefined && low >= 0 && high <= 0) !== leaf.not;
      };
    case "null":
      return (r) => (scalar(read(r)) === null) !== leaf.not;
  }
}

function project(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value) && typeof (value as { id?: unknown }).id === "string")
    return { id: (value as { id: string }).id };
  return value ?? null;
}

export interface CoqlResult {
  rows: Array<Record<string, unknown>>;
  moreRecords: boolean;
}

export function runCoql(state: CrmState, query: CoqlQuery): CoqlResult {
  const module = state.module(query.module);
  if (!module) throw new CoqlError("INVALID_QUERY", "invalid module given", { module: query.module });
  const limit = query.limit ?? COQL_DEFAULT_LIMIT;
  if (limit > COQL_MAX_LIMIT) throw new CoqlError("LIMIT_EXCEEDED", "limit exceeded", { param_name: "limit", maximum_length: COQL_MAX_LIMIT });
  if (query.fields.length > 50) throw new CoqlError("LIMIT_EXCEEDED", "too many fields selected", { param_name: "select", maximum_length: 50 });
  const columns = query.fields.map((name) => ({ name, read: resolver(state, module, name).read }));
  const order = query.orderBy.map((o) => ({ ...o, read: resolver(state, module, o.field).read }));
  const test = predicate(state, module, query.where);
  let records = state
    .records(module.api_name)
    .filter((r) => !(module.convertable && r.data.$converted === true))
    .filter(test);
  if (order.length > 0) {
    records = [...records].sort((a, b) => {
      for (const o of order) {
        const va = scalar(o.read(a));
        const vb = scalar(o.read(b));
        let c: number;
        if (va === null || vb === null) c = va === vb ? 0 : va === null ? 1 : -1;
        else c = compare(va, vb) ?? 0;
        if (c !== 0) return o.direction === "desc" ? -c : c;
      }
      return 0;
    });
  }
  const page = records.slice(query.offset, query.offset + limit);
  return {
    rows: page.map((r) => {
      const row: Record<string, unknown> = {};
      for (const column of columns) row[column.name] = project(column.read(r));
      row.id = r.id;
      return row;
    }),
    moreRecords: query.offset + page.length < records.length,
  };
}
