/**
 * Naming helpers for generated TypeScript: type names from Zoho API names, property keys that are
 * quoted when they are not identifiers, JSDoc text that cannot close its comment, and literals.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot name an interface or type alias. */
const RESERVED_TYPE_NAMES = new Set([
  "any",
  "boolean",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "declare",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "let",
  "never",
  "new",
  "null",
  "number",
  "object",
  "package",
  "private",
  "protected",
  "public",
  "return",
  "static",
  "string",
  "super",
  "switch",
  "symbol",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "undefined",
  "unknown",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "bigint",
  "await",
  "async",
  "type",
  "namespace",
  "module",
  "require",
  "global",
  "keyof",
  "readonly",
  "infer",
  "is",
  "asserts",
  "satisfies",
  "accessor",
  "out",
  "as",
  "from",
  "of",
]);

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A property key: bare when it is an identifier (reserved words are fine as keys), else quoted. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

/**
 * A type name from an API name: characters that cannot appear in an identifier become `_`, a
 * leading digit gets a `_` prefix, and reserved words get a `_` suffix. `Leads` stays `Leads`.
 */
export function typeName(apiName: string): string {
  let name = apiName.normalize("NFKD").replace(/[^A-Za-z0-9_$]/g, "_");
  if (name === "") name = "_";
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (RESERVED_TYPE_NAMES.has(name)) name = `${name}_`;
  return name;
}

/** Hands out type names, suffixing `_2`, `_3`... when a name is already taken. */
export class NameRegistry {
  readonly #taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.#taken.add(name);
  }

  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.#taken.has(name); n += 1) name = `${wanted}_${n}`;
    this.#taken.add(name);
    return name;
  }
}

/** Text safe inside a `/** ... *\/` comment on one line. */
export function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ").trim();
}

/** A string literal type. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}

/** Sorts by a string key with a locale-independent, code-unit comparison (reproducible output). */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
