/**
 * The one spec validator: loads the bundled OpenAPI document (`generated/crm-v2.openapi.json`,
 * written by `npm run generate`; CI checks it is current with `spec/`), matches requests to
 * operations by the spec's own paths (literal segments win), and validates JSON request bodies,
 * responses and named schemas with Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) + ajv-formats.
 * The emulator checks every reply with it; the contract tests check Zoho's samples.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020Module from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { PathMatcher } from "./path-matcher.js";
import { formatAjvErrors } from "./spec-errors.js";

export { formatAjvErrors };

// CommonJS modules whose `module.exports` is the class/plugin; `.default` is what the typings describe.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

const SPEC_ID = "https://zcrm-typed.local/crm-v2.openapi.json";
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** Where the bundled spec is, from `src/emulator/` (source) and from `dist/src/emulator/` (build). */
const CANDIDATES = ["../../generated/crm-v2.openapi.json", "../../../generated/crm-v2.openapi.json"];

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  hasRequestBody: boolean;
  statuses: string[];
}

/** Ajv's errors, plus synthetic ones (keywords `status`, `operation`, `body`, `required`, `schema`, `content-type`). */
export interface ValidationResult {
  valid: boolean;
  errors: ErrorObject[];
}

export interface ValidationFailure {
  operationId: string;
  status: number;
  errors: string[];
}

type Json = Record<string, unknown>;

export function findSpecFile(explicit?: string): string {
  if (explicit) return explicit;
  for (const candidate of CANDIDATES) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new Error(
    "The emulator validates against generated/crm-v2.openapi.json, which was not found: run `npm run generate` (or start the emulator with validate: false).",
  );
}

function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref} (the bundled spec has internal refs only)`);
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Json)[key] : undefined), doc);
}

/** Follows `$ref`s of non-schema objects (responses, request bodies). */
function deref(doc: Json, node: unknown): Json | undefined {
  let current = node;
  for (let i = 0; i < 10 && current && typeof current === "object" && typeof (current as Json).$ref === "string"; i++) {
    current = pointer(doc, (current as Json).$ref as string);
  }
  return current && typeof current === "object" ? (current as Json) : undefined;
}

/** Rewrites internal refs (`#/components/...`) to point into the schema registered under SPEC_ID. */
function anchorRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(anchorRefs);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#") ? SPEC_ID + value : anchorRefs(value);
  }
  return out;
}

function jsonSchemaOf(holder: Json | undefined): unknown {
  const content = holder?.content as Record<string, Json> | undefined;
  if (!content) return undefined;
  const media = content["application/json"] ?? Object.entries(content).find(([type]) => type.includes("json"))?.[1];
  return media?.schema;
}

function responseKey(responses: Json, status: number | string): string | undefined {
  const code = String(status);
  if (code in responses) return code;
  const range = Object.keys(responses).find((k) => k.toUpperCase() === `${code[0]}XX`);
  return range ?? ("default" in responses ? "default" : undefined);
}

function synthetic(keyword: string, message: string): ErrorObject {
  return { keyword, instancePath: "", schemaPath: "#", params: {}, message };
}

const VALID: ValidationResult = { valid: true, errors: [] };
const invalid = (keyword: string, message: string): ValidationResult => ({ valid: false, errors: [synthetic(keyword, message)] });

export class SpecValidator {
  readonly #doc: Json;
  readonly #ajv: InstanceType<typeof Ajv2020>;
  readonly #operations = new Map<string, SpecOperation & { object: Json }>();
  readonly #paths = new PathMatcher<Map<string, string>>();
  readonly #compiled = new Map<string, ValidateFunction | null>();

  constructor(doc: Json) {
    this.#doc = doc;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ $id: SPEC_ID, components: doc.components ?? {} });
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      const byMethod = new Map<string, string>();
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op || typeof op.operationId !== "string") continue;
        byMethod.set(method.toUpperCase(), op.operationId);
        this.#operations.set(op.operationId, {
          operationId: op.operationId,
          method: method.toUpperCase(),
          path,
          hasRequestBody: op.requestBody !== undefined,
          statuses: Object.keys((op.responses ?? {}) as Json),
          object: op,
        });
      }
      this.#paths.add(path, byMethod);
    }
  }

  static load(file?: string): SpecValidator {
    const path = findSpecFile(file);
    return new SpecValidator(JSON.parse(readFileSync(path, "utf8")) as Json);
  }

  operation(operationId: string): SpecOperation | undefined {
    const op = this.#operations.get(operationId);
    if (!op) return undefined;
    const { object: _object, ...info } = op;
    return info;
  }

  operations(): SpecOperation[] {
    return [...this.#operations.keys()].map((id) => this.operation(id)!);
  }

  /** The operation a request maps to by the spec's paths; undefined when the path or method is unknown. */
  matchOperation(method: string, pathname: string): { operationId: string; template: string; params: Record<string, string> } | undefined {
    const match = this.#paths.match(pathname);
    const operationId = match?.value.get(method.toUpperCase());
    return match && operationId ? { operationId, template: match.template, params: match.params } : undefined;
  }

  /** The bundled, dereferenceable OpenAPI document. */
  get document(): Json {
    return this.#doc;
  }

  /** A JSON request body against the operation's schema; a required body must be present. */
  validateRequest(operationId: string, body: unknown): ValidationResult {
    const op = this.#operations.get(operationId);
    if (!op) return invalid("operation", `operation ${operationId} is not in the spec`);
    const requestBody = deref(this.#doc, op.object.requestBody);
    const empty = body === undefined || body === null || body === "";
    if (!requestBody) return empty ? VALID : invalid("body", `${operationId} takes no request body`);
    if (empty) return requestBody.required === true ? invalid("required", `${operationId} requires a request body`) : VALID;
    return this.#run(`req:${operationId}`, () => jsonSchemaOf(requestBody), body);
  }

  /** A response for `status`: declared, with a body exactly when the spec declares one, that conforms. */
  validateResponse(operationId: string, status: number | string, body: unknown): ValidationResult {
    const op = this.#operations.get(operationId);
    if (!op) return invalid("operation", `operation ${operationId} is not in the spec`);
    const responses = (op.object.responses ?? {}) as Json;
    const key = responseKey(responses, status);
    if (key === undefined) return invalid("status", `status ${status} is not declared for ${operationId} (declared: ${op.statuses.join(", ")})`);
    const schema = jsonSchemaOf(deref(this.#doc, responses[key]));
    const empty = body === undefined || body === null || body === "";
    if (schema === undefined) return empty ? VALID : invalid("body", `status ${status} of ${operationId} declares no body, but one was sent`);
    if (empty) return invalid("body", `status ${status} of ${operationId} declares a JSON body, but none was sent`);
    return this.#run(`res:${operationId}:${key}`, () => schema, body);
  }

  /** The media types a response declares (`[]` when it has no body). */
  responseContentTypes(operationId: string, status: number | string): string[] {
    const responses = (this.#operations.get(operationId)?.object.responses ?? {}) as Json;
    const key = responseKey(responses, status);
    const content = key === undefined ? undefined : deref(this.#doc, responses[key])?.content;
    return content && typeof content === "object" ? Object.keys(content) : [];
  }

  /**
   * A binary (non-JSON) reply's `Content-Type` for `status`: one of the media types the response
   * declares (a range such as `image/*`, or the any-type range, matches), so downloads carry the type
   * the spec promises.
   */
  validateResponseContentType(operationId: string, status: number | string, contentType: string | undefined): ValidationResult {
    const declared = this.responseContentTypes(operationId, status);
    const actual = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
    const matches = declared.some((range) => {
      const [type, subtype] = range.toLowerCase().split("/");
      return range === "*/*" || (subtype === "*" ? actual.startsWith(`${type}/`) : actual === range.toLowerCase());
    });
    if (matches) return VALID;
    return invalid("content-type", `status ${status} of ${operationId} declares ${declared.join(", ") || "no body"}, but the reply is ${actual || "untyped"}`);
  }

  /** A value against a named schema of `components.schemas` (callback payloads, ...). */
  validateSchema(name: string, value: unknown): ValidationResult {
    const schemas = ((this.#doc.components as Json | undefined)?.schemas ?? {}) as Json;
    if (!(name in schemas)) return invalid("schema", `schema ${name} is not in components.schemas`);
    return this.#run(`schema:${name}`, () => ({ $ref: `#/components/schemas/${name}` }), value);
  }

  #run(key: string, schemaOf: () => unknown, value: unknown): ValidationResult {
    const validate = this.#compile(key, schemaOf);
    if (!validate || validate(value)) return VALID;
    return { valid: false, errors: [...(validate.errors ?? [])] };
  }

  #compile(key: string, schemaOf: () => unknown): ValidateFunction | null {
    if (!this.#compiled.has(key)) {
      const schema = schemaOf();
      this.#compiled.set(key, schema === undefined ? null : this.#ajv.compile(anchorRefs(schema) as Json));
    }
    return this.#compiled.get(key) ?? null;
  }
}
