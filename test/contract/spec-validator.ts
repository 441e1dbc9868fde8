/**
 * Validates request and response bodies against the hand-written spec (`spec/crm-v2.yaml`).
 *
 * The spec is bundled and dereferenced with `@redocly/openapi-core`, and each operation's JSON
 * schemas are compiled lazily with Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) plus
 * ajv-formats. Reused by the contract tests, the emulator tests and anything else that needs to
 * check "is this what Zoho (or our emulator) may send?".
 *
 *   const v = await createSpecValidator();
 *   v.validateResponse("getRecords", 200, body);   // { valid, errors }
 *   v.validateRequest("createRecords", body);
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, createConfig } from "@redocly/openapi-core";
import Ajv2020Module from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv and ajv-formats are CommonJS modules whose `module.exports` is the class/plugin and whose
// `.default` points at the same thing; `.default` is what their typings describe.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

export const DEFAULT_SPEC_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "spec", "crm-v2.yaml");

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const JSON_MEDIA_TYPE = "application/json";

export interface ValidationResult {
  valid: boolean;
  /** Ajv's errors, plus synthetic ones (`keyword: "status"`, `"operation"`, `"body"`) for
   *  undeclared statuses, unknown operations and bodies on no-content responses. */
  errors: ErrorObject[];
}

export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  /** Declared response statuses, as written in the spec ("200", "204", "4XX", "default"). */
  statuses: string[];
  hasRequestBody: boolean;
}

export interface SpecValidator {
  /** The bundled, dereferenced OpenAPI document. */
  readonly document: OpenApiDocument;
  operations(): OperationInfo[];
  operation(operationId: string): OperationInfo | undefined;
  /** Validates a response body for `status`. Statuses without content (204, 304) accept only an
   *  empty body (`undefined`, `null` or `""`). */
  validateResponse(operationId: string, status: number | string, body: unknown): ValidationResult;
  /** Validates a JSON request body. */
  validateRequest(operationId: string, body: unknown): ValidationResult;
  /** Validates a value against a named schema of `components.schemas` (callback payloads, ...). */
  validateSchema(name: string, value: unknown): ValidationResult;
}

export interface CreateSpecValidatorOptions {
  specPath?: string;
}

// Minimal structural types for the parts of the document we read.
type JsonSchema = Record<string, unknown> | boolean;
interface MediaTypeObject {
  schema?: JsonSchema;
}
interface ContentHolder {
  content?: Record<string, MediaTypeObject>;
  required?: boolean;
}
interface OperationObject {
  operationId?: string;
  requestBody?: ContentHolder;
  responses?: Record<string, ContentHolder>;
}
export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

interface IndexedOperation extends OperationInfo {
  object: OperationObject;
}

function syntheticError(keyword: string, message: string, instancePath = ""): ErrorObject {
  return { keyword, instancePath, schemaPath: "#", params: {}, message };
}

function pickJsonSchema(holder: ContentHolder | undefined): JsonSchema | undefined {
  const content = holder?.content;
  if (!content) return undefined;
  const media = content[JSON_MEDIA_TYPE] ?? Object.entries(content).find(([type]) => type.includes("json"))?.[1];
  return media?.schema;
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || body === "";
}

/** Finds the declared response key for a status: exact, then `2XX`-style range, then `default`. */
function responseKeyFor(responses: Record<string, unknown>, status: number | string): string | undefined {
  const code = String(status);
  if (code in responses) return code;
  const range = `${code[0]}XX`;
  const rangeKey = Object.keys(responses).find((key) => key.toUpperCase() === range);
  if (rangeKey) return rangeKey;
  return "default" in responses ? "default" : undefined;
}

/** Formats Ajv errors one per line, for assertion messages. */
export function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => {
      const params = Object.keys(e.params ?? {}).length > 0 ? ` ${JSON.stringify(e.params)}` : "";
      return `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${params}`;
    })
    .join("\n");
}

export async function loadBundledSpec(specPath: string = DEFAULT_SPEC_PATH): Promise<OpenApiDocument> {
  // An empty config, not `loadConfig()` (which would pick up ./redocly.yaml): bundling needs no lint
  // rules, and the repo's redocly.yaml targets Redocly CLI 2.x, whose rules this 1.x core may not know.
  const config = await createConfig({});
  const result = await bundle({ ref: specPath, config, dereference: true });
  const errors = result.problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) {
    throw new Error(`Bundling ${specPath} failed:\n${errors.map((p) => `- ${p.message}`).join("\n")}`);
  }
  return result.bundle.parsed as OpenApiDocument;
}

export async function createSpecValidator(options: CreateSpecValidatorOptions = {}): Promise<SpecValidator> {
  const document = await loadBundledSpec(options.specPath);
  const ajv = new Ajv2020({
    allErrors: true,
    // OpenAPI adds keywords (`example`, `discriminator`, `xml`, `externalDocs`) that are not JSON
    // Schema; strict mode would reject them. Nullability is JSON Schema's `type: [T, "null"]` in 3.1.
    strict: false,
    validateFormats: true,
  });
  addFormats(ajv);

  const index = new Map<string, IndexedOperation>();
  for (const [pathKey, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = pathItem[method] as OperationObject | undefined;
      if (!op?.operationId) continue;
      if (index.has(op.operationId)) throw new Error(`Duplicate operationId ${op.operationId}`);
      index.set(op.operationId, {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path: pathKey,
        statuses: Object.keys(op.responses ?? {}),
        hasRequestBody: op.requestBody !== undefined,
        object: op,
      });
    }
  }

  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: JsonSchema): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(schema);
      compiled.set(key, fn);
    }
    return fn;
  };
  const run = (key: string, schema: JsonSchema, body: unknown): ValidationResult => {
    const fn = compile(key, schema);
    const valid = fn(body);
    return { valid, errors: valid ? [] : [...(fn.errors ?? [])] };
  };
  const unknownOperation = (operationId: string): ValidationResult => ({
    valid: false,
    errors: [syntheticError("operation", `operation ${operationId} is not in the spec`)],
  });

  return {
    document,
    operations: () => [...index.values()].map(({ object: _object, ...info }) => info),
    operation(operationId) {
      const op = index.get(operationId);
      if (!op) return undefined;
      const { object: _object, ...info } = op;
      return info;
    },
    validateResponse(operationId, status, body) {
      const op = index.get(operationId);
      if (!op) return unknownOperation(operationId);
      const responses = op.object.responses ?? {};
      const key = responseKeyFor(responses, status);
      if (key === undefined) {
        return {
          valid: false,
          errors: [syntheticError("status", `status ${status} is not declared for ${operationId} (declared: ${op.statuses.join(", ")})`)],
        };
      }
      const schema = pickJsonSchema(responses[key]);
      if (schema === undefined) {
        return isEmptyBody(body)
          ? { valid: true, errors: [] }
          : { valid: false, errors: [syntheticError("body", `status ${status} of ${operationId} has no content, but a body was given`)] };
      }
      return run(`res:${operationId}:${key}`, schema, body);
    },
    validateSchema(name, value) {
      const schemas = (document.components as { schemas?: Record<string, JsonSchema> } | undefined)?.schemas ?? {};
      const schema = schemas[name];
      if (schema === undefined) return { valid: false, errors: [syntheticError("schema", `schema ${name} is not in components.schemas`)] };
      return run(`schema:${name}`, schema, value);
    },
    validateRequest(operationId, body) {
      const op = index.get(operationId);
      if (!op) return unknownOperation(operationId);
      const requestBody = op.object.requestBody;
      if (!requestBody) {
        return isEmptyBody(body) ? { valid: true, errors: [] } : { valid: false, errors: [syntheticError("body", `${operationId} takes no request body`)] };
      }
      if (isEmptyBody(body)) {
        return requestBody.required
          ? { valid: false, errors: [syntheticError("required", `${operationId} requires a request body`)] }
          : { valid: true, errors: [] };
      }
      const schema = pickJsonSchema(requestBody);
      if (schema === undefined) return { valid: true, errors: [] };
      return run(`req:${operationId}`, schema, body);
    },
  };
}
