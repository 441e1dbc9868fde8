/**
 * Zoho's search criteria: `(Field:operator:value)`, groups joined with `and`/`or`
 * (`((Last_Name:equals:Burns)and(First_Name:starts_with:B))`), `\(`, `\)` and `\,` escapes.
 * Operators: equals, not_equal, starts_with, ends_with, contains, in, between, greater_than,
 * greater_equal, less_than, less_equal. String comparisons ignore case, as Zoho's search does.
 */
import { fieldOf, isNumericType, type FieldDef, type ModuleDef } from "./module-metadata.js";
import type { StoredRecord } from "./types.js";

export const OPERATORS = [
  "equals",
  "not_equal",
  "starts_with",
  "ends_with",
  "contains",
  "in",
  "between",
  "greater_than",
  "greater_equal",
  "less_than",
  "less_equal",
] as const;
type Operator = (typeof OPERATORS)[number];

export type Criteria =
  | { kind: "condition"; field: FieldDef | "id"; apiName: string; operator: Operator; values: string[] }
  | { kind: "and" | "or"; left: Criteria; right: Criteria };

export class CriteriaError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Splits on unescaped commas and removes the escapes. */
function splitValues(text: string): string[] {
  const values: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      current += text[++i];
    } else if (c === ",") {
      values.push(current);
      current = "";
    } else current += c;
  }
  values.push(current);
  return values;
}

export function parseCriteria(module: ModuleDef, text: string): Criteria {
  let pos = 0;
  const fail = (reason: string): never => {
    throw new CriteriaError("Invalid query formed", { reason, position: pos });
  };
  const skipSpaces = () => {
    while (text[pos] === " ") pos++;
  };

  const condition = (body: string): Criteria => {
    const first = body.indexOf(":");
    const second = first === -1 ? -1 : body.indexOf(":", first + 1);
    if (first <= 0 || second === -1) fail("criteria must look like (Field:operator:value)");
    const apiName = body.slice(0, first).trim();
    const operator = body.slice(first + 1, second).trim() as Operator;
    const raw = body.slice(second + 1);
    const field = apiName === "id" ? "id" : fieldOf(module, apiName);
    if (!field) throw new CriteriaError("invalid field found in the criteria", { api_name: apiName, reason: "field not found" });
    if (!OPERATORS.includes(operator)) throw new CriteriaError("invalid operator found", { api_name: apiName, operator, reason: "invalid operator found" });
    const values = operator === "in" || operator === "between" ? splitValues(raw) : [splitValues(raw).join(",")];
    if (operator === "between" && values.length !== 2)
      throw new CriteriaError("between needs two values", { api_name: apiName, operator, reason: "invalid value" });
    return { kind: "condition", field, apiName, operator, values };
  };

  const term = (): Criteria => {
    skipSpaces();
    if (text[pos] !== "(") fail("expected (");
    pos++;
    skipSpaces();
    if (text[pos] === "(") {
      const inner = expression();
      skipSpaces();
      if (text[pos] !== ")") fail("expected )");
      pos++;
      return inner;
    }
    let body = "";
    while (pos < text.length && text[pos] !== ")") {
      if (text[pos] === "\\" && pos + 1 < text.length) body += text[pos++];
      body += text[pos++];
    }
    if (text[pos] !== ")") fail("unbalanced parentheses");
    pos++;
    return condition(body);
  };

  const conjunction = (): Criteria => {
    let left = term();
    for (;;) {
      skipSpaces();
      if (text.slice(pos, pos + 3).toLowerCase() !== "and") return left;
      pos += 3;
      left = { kind: "and", left, right: term() };
    }
  };

  const expression = (): Criteria => {
    let left = conjunction();
    for (;;) {
      skipSpaces();
      if (text.slice(pos, pos + 2).toLowerCase() !== "or") return left;
      pos += 2;
      left = { kind: "or", left, right: conjunction() };
    }
  };

  const result = expression();
  skipSpaces();
  if (pos !== text.length) fail("unexpected text after the criteria");
  return result;
}

function textOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "object") {
    const v = value as { id?: unknown; name?: unknown; email?: unknown };
    return [v.id, v.name, v.email].filter((x): x is string => typeof x === "string").map((s) => s.toLowerCase());
  }
  return [String(value).toLowerCase()];
}

function numeric(field: FieldDef | "id"): boolean {
  return field !== "id" && isNumericType(field.data_type);
}

function orderKey(field: FieldDef | "id", value: unknown): number | string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (numeric(field)) return Number(value);
  if (field !== "id" && field.data_type === "datetime") return Date.parse(String(value));
  return String(value).toLowerCase();
}

function compare(field: FieldDef | "id", a: unknown, b: string): number | undefined {
  const ka = orderKey(field, a);
  const kb = orderKey(field, b);
  if (ka === undefined || kb === undefined || (typeof ka === "number" && Number.isNaN(ka)) || (typeof kb === "number" && Number.isNaN(kb))) return undefined;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function conditionHolds(c: Extract<Criteria, { kind: "condition" }>, record: StoredRecord): boolean {
  const value = c.field === "id" ? record.id : record.data[c.field.api_name];
  const texts = textOf(value);
  const wanted = c.values.map((v) => v.trim().toLowerCase());
  const first = wanted[0] ?? "";
  const equal = (w: string) => (numeric(c.field) ? compare(c.field, value, w) === 0 : texts.includes(w));
  switch (c.operator) {
    case "equals":
      return equal(first);
    case "not_equal":
      return !equal(first);
    case "in":
      return wanted.some(equal);
    case "starts_with":
      return texts.some((t) => t.startsWith(first));
    case "ends_with":
      return texts.some((t) => t.endsWith(first));
    case "contains":
      return texts.some((t) => t.includes(first));
    case "between": {
      const low = compare(c.field, value, c.values[0] ?? "");
      const high = compare(c.field, value, c.values[1] ?? "");
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case "greater_than":
      return (compare(c.field, value, c.values[0] ?? "") ?? -1) > 0;
    case "greater_equal":
      return (compare(c.field, value, c.values[0] ?? "") ?? -1) >= 0;
    case "less_than":
      return (compare(c.field, value, c.values[0] ?? "") ?? 1) < 0;
    case "less_equal":
      return (compare(c.field, value, c.values[0] ?? "") ?? 1) <= 0;
  }
}

export function matchesCriteria(criteria: Criteria, record: StoredRecord): boolean {
  if (criteria.kind === "condition") return conditionHolds(criteria, record);
  if (criteria.kind === "and") return matchesCriteria(criteria.left, record) && matchesCriteria(criteria.right, record);
  return matchesCriteria(criteria.left, record) || matchesCriteria(criteria.right, record);
}
