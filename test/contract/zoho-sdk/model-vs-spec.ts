/**
 * Compares a structure of Zoho's SDK model metadata (its `config/json_details.json`: per class,
 * each member's JSON key `name` and `type`) with a schema of our bundled spec: every JSON key the
 * model declares must be a property of the schema, with a compatible JSON type, recursively
 * through nested structures, lists of structures, interfaces (the classes one answer may be) and
 * the declared keys of maps. `$ref`s are resolved; `allOf` merges; a key found in any `oneOf` /
 * `anyOf` branch counts.
 */

type Json = Record<string, unknown>;

/** One member of a class in json_details.json. */
interface ModelMember {
  name?: string;
  type?: string;
  structure_name?: string;
  lookup?: boolean;
  keys?: Array<{ name: string; type: string; structure_name?: string }>;
}

export interface Finding {
  /** Where, e.g. `users/response_wrapper.users[].role.name`. */
  path: string;
  problem: "missing" | "type";
  /** The model's type, and for `type` problems the schema's JSON types. */
  modelType: string;
  schemaTypes?: string[];
}

const API_PREFIX = "core/com/zoho/crm/api/";

/**
 * Models the SDK reuses for references: a user (`created_by`, `owner`, `manager`, ...), a record
 * (`Parent_Id`), a tag (a record's `Tag`), a profile or a layout (of a layout, of a field) travels
 * as `{id, name}`, not as the full model, which only the lists of its own endpoints carry. Inside
 * those wrappers the model is checked in full; anywhere else as a lookup (an object with an `id`).
 */
const FULL_IN: Record<string, string[]> = {
  "users/user": ["users/response_wrapper", "users/request_wrapper", "users/body_wrapper"],
  "record/record": [
    "record/response_wrapper",
    "record/body_wrapper",
    "related_records/response_wrapper",
    "query/response_wrapper",
    "contact_roles/record_response_wrapper",
  ],
  "tags/tag": ["tags/response_wrapper", "tags/body_wrapper"],
  "profiles/profile": ["profiles/response_wrapper"],
  "layouts/layout": ["layouts/response_wrapper"],
  "modules/module": ["modules/response_wrapper", "modules/body_wrapper"],
};

/** Whether `structure`, met as a member of `parent`, is a reference (checked as a lookup). */
function isReference(structure: string, parent: string): boolean {
  const full = FULL_IN[structure.replace(API_PREFIX, "")];
  return full !== undefined && !full.includes(parent.replace(API_PREFIX, ""));
}

/** JSON types a model type may take on the wire. */
function acceptedTypes(modelType: string): string[] | "any" | "skip" {
  switch (modelType) {
    case "String":
    case "Date":
    case "DateTime":
      return ["string"];
    case "Integer":
    case "Double":
      return ["integer", "number"];
    case "Long":
      return ["integer", "number", "string"]; // ids travel as strings, counts as numbers
    case "Boolean":
      return ["boolean"];
    case "Map":
      return ["object"];
    case "List":
      return ["array"];
    case "Object":
      return "any";
    case "utils/util/choice":
      return ["string", "integer", "number", "boolean"];
    case "utils/util/stream_wrapper":
      return "skip"; // file parts of multipart bodies, not JSON
    default:
      return modelType.startsWith("core/") ? ["object"] : "any";
  }
}

export class ModelVsSpec {
  readonly #model: Record<string, Record<string, unknown>>;
  readonly #spec: Json;

  constructor(model: Record<string, Record<string, unknown>>, spec: Json) {
    this.#model = model;
    this.#spec = spec;
  }

  /** A schema of `components.schemas`. */
  schema(name: string): Json {
    const found = ((this.#spec.components as Json).schemas as Json)[name];
    if (!found) throw new Error(`schema ${name} is not in the spec`);
    return found as Json;
  }

  /** The JSON schema of an operation's response for `status` (or of its request body). */
  operationSchema(operationId: string, where: number | "request"): Json {
    for (const item of Object.values(this.#spec.paths as Json)) {
      for (const op of Object.values(item as Json)) {
        if (!op || typeof op !== "object" || (op as Json).operationId !== operationId) continue;
        const holder = this.#deref(where === "request" ? (op as Json).requestBody : ((op as Json).responses as Json)[String(where)]);
        const schema = ((holder.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema;
        if (!schema) throw new Error(`${operationId} ${where} has no JSON schema`);
        return schema as Json;
      }
    }
    throw new Error(`operation ${operationId} is not in the spec`);
  }

  /** Every finding for the model structure `structure` (e.g. `users/user`) against `schema`. */
  compare(structure: string, schema: Json): Finding[] {
    const findings: Finding[] = [];
    this.#structure(API_PREFIX + structure, schema, structure, findings, new Map());
    return findings;
  }

  #deref(node: unknown): Json {
    let current = node as Json;
    for (let i = 0; i < 20 && current && typeof current.$ref === "string"; i++) {
      const pointer = (current.$ref as string).replace(/^#\//, "").split("/");
      current = pointer.reduce<unknown>((at, key) => (at as Json)[key.replace(/~1/g, "/").replace(/~0/g, "~")], this.#spec) as Json;
    }
    return current ?? {};
  }

  /** The schema and everything it merges (allOf) or may be (oneOf/anyOf), dereferenced. */
  #branches(node: unknown, seen = new Set<unknown>()): Json[] {
    const schema = this.#deref(node);
    if (seen.has(schema)) return [];
    seen.add(schema);
    const out = [schema];
    for (const key of ["allOf", "oneOf", "anyOf"]) {
      for (const sub of (schema[key] as unknown[] | undefined) ?? []) out.push(...this.#branches(sub, seen));
    }
    return out;
  }

  /** The JSON types a schema allows ("any" when it does not say). */
  #types(node: unknown): string[] | "any" {
    const types = new Set<string>();
    let open = false;
    for (const branch of this.#branches(node)) {
      const t = branch.type;
      if (typeof t === "string") types.add(t);
      else if (Array.isArray(t)) for (const x of t) types.add(String(x));
      else if (!branch.allOf && !branch.oneOf && !branch.anyOf) open = true;
    }
    types.delete("null");
    if (types.size === 0 && open) return "any";
    if (types.has("integer")) types.add("number");
    return [...types];
  }

  #property(node: unknown, name: string): Json[] {
    return this.#branches(node).flatMap((b) => {
      const prop = (b.properties as Json | undefined)?.[name];
      return prop === undefined ? [] : [prop as Json];
    });
  }

  #items(node: unknown): Json[] {
    return this.#branches(node).flatMap((b) => (b.items === undefined ? [] : [b.items as Json]));
  }

  #structure(key: string, schema: Json, path: string, findings: Finding[], seen: Map<string, Set<Json>>): void {
    const model = this.#model[key];
    if (!model) throw new Error(`${key} is not in Zoho's model metadata`);
    // Each (structure, schema object) once: models and schemas refer to themselves (a module's parent module).
    const schemas = seen.get(key) ?? new Set<Json>();
    if (schemas.has(schema)) return;
    seen.set(key, schemas.add(schema));
    if (model.interface === true) {
      for (const cls of model.classes as string[]) this.#structure(cls, schema, path, findings, seen);
      return;
    }
    for (const member of Object.values(model) as ModelMember[]) {
      if (!member || typeof member !== "object" || typeof member.name !== "string" || typeof member.type !== "string") continue;
      this.#member(key, member, schema, `${path}.${member.name}`, findings, seen);
    }
  }

  #member(owner: string, member: ModelMember, parent: Json, path: string, findings: Finding[], seen: Map<string, Set<Json>>): void {
    const props = this.#property(parent, member.name!);
    if (props.length === 0) {
      findings.push({ path, problem: "missing", modelType: member.type! });
      return;
    }
    const isList = member.type === "List";
    const accepted = acceptedTypes(member.type!);
    if (accepted === "skip") return;
    // The best-matching declaration (a key may appear in several oneOf branches).
    const prop = props.find((p) => this.#compatible(p, accepted)) ?? props[0]!;
    if (!this.#compatible(prop, accepted)) {
      const types = this.#types(prop);
      findings.push({ path, problem: "type", modelType: member.type!, schemaTypes: types === "any" ? ["any"] : types });
      return;
    }
    const structure = member.structure_name;
    const lookup = member.lookup === true || (structure !== undefined && isReference(structure, owner));
    if (structure && !lookup) {
      const targets = isList ? this.#items(prop) : [prop];
      for (const target of targets) this.#structure(structure, target, isList ? `${path}[]` : path, findings, seen);
    } else if (structure && lookup) {
      // A lookup carries the target's id (and name), not the whole structure (when the model has an id at all).
      const modelHasId = Object.values(this.#model[structure] ?? {}).some((m) => (m as ModelMember)?.name === "id");
      const targets = isList ? this.#items(prop) : [prop];
      for (const target of targets) {
        if (modelHasId && this.#types(target) !== "any" && this.#property(target, "id").length === 0)
          findings.push({ path: `${path}.id`, problem: "missing", modelType: "Long" });
      }
    }
    if (member.type === "Map" && member.keys) {
      for (const key of member.keys)
        this.#member(owner, { name: key.name, type: key.type, structure_name: key.structure_name }, prop, `${path}{${key.name}}`, findings, seen);
    }
  }

  #compatible(schema: Json, accepted: string[] | "any"): boolean {
    if (accepted === "any") return true;
    const types = this.#types(schema);
    return types === "any" || types.some((t) => accepted.includes(t));
  }
}
