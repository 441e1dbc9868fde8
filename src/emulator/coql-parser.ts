/**
 * A parser for the COQL subset the emulator runs:
 *   select f1, f2[, Lookup.field] from Module where <condition> [order by f [asc|desc], ...]
 *   [limit n | limit offset, n | limit n offset m]
 * Conditions: = != <> > < >= <= like 'a%', not like, in (...), not in, between a and b,
 * is null, is not null; combined with and/or and parentheses. WHERE is mandatory, as in Zoho.
 */
export class CoqlError extends Error {
  constructor(
    readonly code: "SYNTAX_ERROR" | "INVALID_QUERY" | "LIMIT_EXCEEDED",
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export type Literal = string | number | boolean | null;

export type CoqlCondition =
  | { kind: "and" | "or"; left: CoqlCondition; right: CoqlCondition }
  | { kind: "compare"; field: string; op: "=" | "!=" | "<" | ">" | "<=" | ">="; value: Literal }
  | { kind: "like"; field: string; pattern: string; not: boolean }
  | { kind: "in"; field: string; values: Literal[]; not: boolean }
  | { kind: "between"; field: string; low: Literal; high: Literal; not: boolean }
  | { kind: "null"; field: string; not: boolean };

export interface CoqlQuery {
  fields: string[];
  module: string;
  where: CoqlCondition;
  orderBy: Array<{ field: string; direction: "asc" | "desc" }>;
  limit: number | undefined;
  offset: number;
}

type Token = { type: "word" | "string" | "number" | "punct"; text: string; value?: Literal };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let text = "";
      i++;
      for (;;) {
        if (i >= query.length) throw new CoqlError("SYNTAX_ERROR", "unterminated string literal", { near: text });
        const d = query[i]!;
        if (d === "\\" && i + 1 < query.length) {
          text += query[i + 1];
          i += 2;
        } else if (d === c && query[i + 1] === c) {
          text += c;
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      tokens.push({ type: "string", text, value: text });
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(query[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?/.exec(query.slice(i))!;
      tokens.push({ type: "number", text: m[0], value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(query.slice(i))!;
      tokens.push({ type: "word", text: m[0] });
      i += m[0].length;
    } else {
      const two = query.slice(i, i + 2);
      if (["!=", "<>", "<=", ">="].includes(two)) {
        tokens.push({ type: "punct", text: two === "<>" ? "!=" : two });
        i += 2;
      } else if ("(),=<>*".includes(c)) {
        tokens.push({ type: "punct", text: c });
        i++;
      } else {
        throw new CoqlError("SYNTAX_ERROR", `unexpected character ${c}`, { near: c });
      }
    }
  }
  return tokens;
}

export function parseCoql(query: string): CoqlQuery {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (word: string, token = peek()) => token?.type === "word" && token.text.toLowerCase() === word;
  const near = () => peek()?.text ?? "end of query";
  const syntax = (message: string, details: Record<string, unknown> = { near: near() }): never => {
    throw new CoqlError("SYNTAX_ERROR", message, details);
  };
  const expectWord = (word: string) => {
    if (!isWord(word)) syntax(`expected ${word}`);
    pos++;
  };
  const expectPunct = (text: string) => {
    if (peek()?.type !== "punct" || peek()!.text !== text) syntax(`expected ${text}`);
    pos++;
  };
  const field = (): string => {
    const token = peek();
    if (token?.type !== "word" || ["select", "from", "where", "order", "limit", "and", "or"].includes(token.text.toLowerCase()))
      syntax("expected a field name");
    pos++;
    return token!.text;
  };
  const literal = (): Literal => {
    const token = peek();
    if (!token) return syntax("expected a value");
    if (token.type === "string" || token.type === "number") {
      pos++;
      return token.value ?? null;
    }
    if (token.type === "word" && ["true", "false", "null"].includes(token.text.toLowerCase())) {
      pos++;
      return token.text.toLowerCase() === "null" ? null : token.text.toLowerCase() === "true";
    }
    return syntax("expected a value");
  };
  const integer = (): number => {
    const token = peek();
    if (token?.type !== "number" || !Number.isInteger(token.value) || (token.value as number) < 0) syntax("expected a non-negative integer");
    pos++;
    return token!.value as number;
  };

  const comparison = (): CoqlCondition => {
    if (peek()?.type === "punct" && peek()!.text === "(") {
      pos++;
      const inner = disjunction();
      expectPunct(")");
      return inner;
    }
    const name = field();
    const token = peek();
    if (token?.type === "punct" && ["=", "!=", "<", ">", "<=", ">="].includes(token.text)) {
      pos++;
      return { kind: "compare", field: name, op: token.text as "=", value: literal() };
    }
    let not = false;
    if (isWord("is")) {
      pos++;
      if (isWord("not")) {
        pos++;
        not = true;
      }
      expectWord("null");
      return { kind: "null", field: name, not };
    }
    if (isWord("not")) {
      pos++;
      not = true;
    }
    if (isWord("like")) {
      pos++;
      const pattern = literal();
      if (typeof pattern !== "string") syntax("like needs a string pattern");
      return { kind: "like", field: name, pattern: pattern as string, not };
    }
    if (isWord("in")) {
      pos++;
      expectPunct("(");
      const values = [literal()];
      while (peek()?.text === ",") {
        pos++;
        values.push(literal());
      }
      expectPunct(")");
      return { kind: "in", field: name, values, not };
    }
    if (isWord("between")) {
      pos++;
      const low = literal();
      expectWord("and");
      return { kind: "between", field: name, low, high: literal(), not };
    }
    return syntax("expected a comparison operator");
  };
  const conjunction = (): CoqlCondition => {
    let left = comparison();
    while (isWord("and")) {
      pos++;
      left = { kind: "and", left, right: comparison() };
    }
    return left;
  };
  const disjunction = (): CoqlCondition => {
    let left = conjunction();
    while (isWord("or")) {
      pos++;
      left = { kind: "or", left, right: conjunction() };
    }
    return left;
  };

  expectWord("select");
  if (peek()?.text === "*") syntax("select * is not supported; name the fields");
  const fields = [field()];
  while (peek()?.text === ",") {
    pos++;
    fields.push(field());
  }
  if (!isWord("from")) syntax("missing clause", { clause: "from" });
  pos++;
  const moduleToken = peek();
  if (moduleToken?.type !== "word") syntax("expected a module name");
  pos++;
  if (!isWord("where")) syntax("missing clause", { clause: "where" });
  pos++;
  const where = disjunction();
  const orderBy: CoqlQuery["orderBy"] = [];
  if (isWord("order")) {
    pos++;
    expectWord("by");
    do {
      if (peek()?.text === ",") pos++;
      const name = field();
      let direction: "asc" | "desc" = "asc";
      if (isWord("asc") || isWord("desc")) direction = tokens[pos++]!.text.toLowerCase() as "asc" | "desc";
      orderBy.push({ field: name, direction });
    } while (peek()?.text === ",");
  }
  let limit: number | undefined;
  let offset = 0;
  if (isWord("limit")) {
    pos++;
    limit = integer();
    if (peek()?.text === ",") {
      pos++;
      offset = limit;
      limit = integer();
    } else if (isWord("offset")) {
      pos++;
      offset = integer();
    }
  }
  if (pos < tokens.length) syntax("unexpected text at the end of the query");
  return { fields, module: moduleToken!.text, where, orderBy, limit, offset };
}
