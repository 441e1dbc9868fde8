/**
 * `generateOrgTypes()`: TypeScript types for one org's modules, from its field metadata. For each
 * module: the record as Zoho returns it (`Leads`), the input of an insert (`LeadsCreate`: mandatory
 * fields required, read-only ones left out) and of an update (`LeadsUpdate`: `id` plus any writable
 * field), picklist unions, subform rows, and the `OrgModules` map that `crm.modules<OrgModules>()`
 * takes. The output is deterministic (sorted, no timestamp), so regenerating an unchanged org gives
 * the same file and a diff shows what changed in Zoho. The same generator writes the shipped types
 * of Zoho's standard modules (`generated/standard-modules.ts`, `typePrefix: "Standard"`).
 */
import {
  fieldKind,
  isMandatory,
  isReadOnly,
  labelOf,
  layoutMandatoryFields,
  subformSource,
  dataTypeOf,
  type Field,
  type LayoutMeta,
  type ModuleMeta,
} from "./field-types.js";
import { NameRegistry, byKey, docText, propertyKey, stringLiteral, typeName } from "./identifiers.js";

export type { Field, LayoutMeta, ModuleMeta } from "./field-types.js";

export interface GenerateOrgTypesInput {
  /** The modules to emit (from `GET /settings/modules`). */
  modules: readonly ModuleMeta[];
  /** Each module's fields (`GET /settings/fields?module=`), by module API name; subform modules too. */
  fieldsByModule: Readonly<Record<string, readonly Field[]>>;
  /** Each module's layouts (`GET /settings/layouts?module=`): fields every layout requires are mandatory. */
  layoutsByModule?: Readonly<Record<string, readonly LayoutMeta[]>>;
  /** Where the metadata came from, e.g. `https://www.zohoapis.eu`; named in the header. */
  source: string;
  /** The command that made the file, named in the header. Default `zcrm gen-types`. */
  command?: string;
  /** Prefix of the map types: `<prefix>Modules` and `<prefix>ModuleName`. Default `Org`. */
  typePrefix?: string;
  /** Header comment lines, replacing the default one (which names `command` and `source`). */
  header?: readonly string[];
}

/** Helper types every generated file declares; module types never take these names. */
const LOOKUP = "ZohoLookup";
const META = "ZohoRecordMeta";

/** Keys Zoho adds to records besides their fields (read-only here): the `$` keys and `Tag`. */
const META_KEYS: ReadonlyArray<[string, string, string]> = [
  ["$approved", "boolean", "False while the record awaits approval."],
  ["$editable", "boolean", "Whether the current user may edit the record."],
  ["$converted", "boolean", "Leads: whether the lead was converted."],
  ["$process_flow", "boolean", "Whether a blueprint applies to the record."],
  ["$currency_symbol", "string", "Symbol of the record's currency."],
  ["$approval", "Record<string, unknown>", "What the current user may do in the approval process."],
  ["$review_process", "Record<string, unknown> | null", "Review process state."],
  ["$converted_detail", "Record<string, unknown>", "Leads: what the conversion created."],
  // Not a field in the metadata, yet on every record; written through the tag actions.
  ["Tag", "Array<{ name: string; id: string }>", "The record's tags (add and remove them with the tag actions)."],
];

interface Member {
  key: string;
  doc: string[];
  readonly: boolean;
  optional: boolean;
  type: string;
}

interface PreparedField {
  field: Field;
  label: string;
  dataType: string;
  readOnly: boolean;
  mandatory: boolean;
  /** Value type in records (without `| null`). */
  readType: string;
  /** Value type in write bodies (without `| null`). */
  writeType: string;
  notes: string[];
}

class Output {
  readonly lines: string[] = [];
  push(...lines: string[]): void {
    this.lines.push(...lines);
  }
  doc(indent: string, lines: string[]): void {
    const text = lines.map(docText).filter((l) => l !== "");
    if (text.length === 0) return;
    if (text.length === 1) this.push(`${indent}/** ${text[0]} */`);
    else this.push(`${indent}/**`, ...text.map((l) => `${indent} * ${l}`), `${indent} */`);
  }
  members(members: Member[]): void {
    for (const m of members) {
      this.doc("  ", m.doc);
      this.push(`  ${m.readonly ? "readonly " : ""}${propertyKey(m.key)}${m.optional ? "?" : ""}: ${m.type};`);
    }
  }
}

function uniqueFields(fields: readonly Field[] | undefined): Field[] {
  const seen = new Map<string, Field>();
  for (const field of fields ?? []) {
    if (field && typeof field.api_name === "string" && field.api_name !== "" && !seen.has(field.api_name)) seen.set(field.api_name, field);
  }
  return [...seen.values()].sort(byKey((f) => f.api_name));
}

function nullable(type: string): string {
  return type === "unknown" ? type : `${type} | null`;
}

function union(values: string[]): string {
  return values.map(stringLiteral).join(" | ");
}

/** Generates the TypeScript source. Same metadata in, same text out. */
export function generateOrgTypes(input: GenerateOrgTypesInput): string {
  const command = input.command ?? "zcrm gen-types";
  const prefix = input.typePrefix ?? "Org";
  const mapName = `${prefix}Modules`;
  const moduleNameType = `${prefix}ModuleName`;
  const names = new NameRegistry([LOOKUP, META, mapName, moduleNameType]);
  const declarations = new Output();
  const modules = [...new Map(input.modules.filter((m) => typeof m?.api_name === "string").map((m) => [m.api_name, m])).values()].sort(
    byKey((m) => m.api_name),
  );

  const mapEntries: string[] = [];
  for (const module of modules) {
    const api = module.api_name;
    const recordName = names.claim(typeName(api));
    const createName = names.claim(`${recordName}Create`);
    const updateName = names.claim(`${recordName}Update`);
    const fields = uniqueFields(input.fieldsByModule[api] ?? module.fields);
    const layoutMandatory = layoutMandatoryFields(input.layoutsByModule?.[api]);
    const prepared = fields.map((field) =>
      prepareField(field, layoutMandatory, { owner: recordName, ownerLabel: api, names, input, out: declarations, depth: 0 }),
    );

    const plural = module.plural_label ?? module.module_name;
    const label = [plural !== api ? plural : undefined, module.singular_label ? `one ${module.singular_label}` : undefined].filter(Boolean).join("; ");
    const recordMembers = recordMembersOf(prepared);
    const declared = new Set(prepared.map((p) => p.field.api_name));
    const clashes = META_KEYS.map(([key]) => key).filter((key) => declared.has(key));
    const base = clashes.length === 0 ? META : `Omit<${META}, ${union(clashes)}>`;

    declarations.doc("", [`${api}${label ? ` (${label})` : ""}: a record as Zoho CRM returns it; empty fields are null.`]);
    declarations.push(`export interface ${recordName} extends ${base} {`);
    declarations.members(recordMembers);
    declarations.push("}", "");

    declarations.doc("", [`Input of a ${api} insert: mandatory fields are required, read-only fields are left out.`]);
    declarations.push(`export interface ${createName} {`);
    declarations.members(createMembersOf(prepared));
    declarations.push("}", "");

    declarations.doc("", [`Input of a ${api} update: the record's id and any writable field.`]);
    declarations.push(`export interface ${updateName} {`);
    declarations.members(updateMembersOf(prepared, "Id of the record to update."));
    declarations.push("}", "");

    mapEntries.push(`  ${propertyKey(api)}: { record: ${recordName}; create: ${createName}; update: ${updateName} };`);
  }

  const out = new Output();
  const modulesArg = modules.length > 0 ? modules.map((m) => m.api_name).join(", ") : "(none)";
  out.doc(
    "",
    input.header
      ? [...input.header]
      : [
          `Zoho CRM record types of one org, generated by \`${command}\` (zcrm-typed) from the metadata of ${input.source}.`,
          `Modules: ${modulesArg}.`,
          "Do not edit by hand: run the command again after the org's modules, fields or layouts change.",
        ],
  );
  out.push("");
  out.push("/** A lookup (lookup, owner and user fields): the related record's id and, in responses, its display name. */");
  out.push(`export interface ${LOOKUP} {`, "  id: string;", "  name?: string;", "}", "");
  out.push("/** Read-only keys Zoho adds to records besides their fields. */");
  out.push(`export interface ${META} {`);
  for (const [key, type, doc] of META_KEYS) {
    out.push(`  /** ${doc} */`, `  readonly ${propertyKey(key)}?: ${type};`);
  }
  out.push("}", "");
  out.push(...declarations.lines);
  out.doc("", [`Every module with its record, create and update types, for \`crm.modules<${mapName}>()("Leads")\`.`]);
  if (mapEntries.length === 0) out.push(`export type ${mapName} = {};`);
  else out.push(`export type ${mapName} = {`, ...mapEntries, "};");
  out.push("", "/** The API names of the modules above. */", `export type ${moduleNameType} = keyof ${mapName};`, "");
  return out.lines.join("\n");
}

interface PrepareContext {
  /** Type name of the record (or subform row) the field belongs to. */
  owner: string;
  ownerLabel: string;
  names: NameRegistry;
  input: GenerateOrgTypesInput;
  out: Output;
  depth: number;
}

function prepareField(field: Field, layoutMandatory: ReadonlySet<string>, ctx: PrepareContext): PreparedField {
  const dataType = dataTypeOf(field);
  const label = labelOf(field);
  const kind = fieldKind(field);
  const notes: string[] = [];
  let readType: string;
  let writeType: string;
  switch (kind.kind) {
    case "string":
      readType = writeType = "string";
      if (kind.note) notes.push(kind.note);
      break;
    case "number":
    case "boolean":
    case "unknown":
      readType = writeType = kind.kind;
      break;
    case "lookup":
      readType = writeType = LOOKUP;
      break;
    case "picklist":
    case "multiselect": {
      let item = "string";
      if (kind.values) {
        item = ctx.names.claim(`${ctx.owner}_${typeName(field.api_name).replace(/^_+/, "")}`);
        ctx.out.doc("", [`Values of the ${label} ${kind.kind === "picklist" ? "picklist" : "multi-select picklist"} (${ctx.ownerLabel}.${field.api_name}).`]);
        ctx.out.push(`export type ${item} =`, ...kind.values.map((v, i) => `  | ${stringLiteral(v)}${i === kind.values!.length - 1 ? ";" : ""}`), "");
      }
      readType = writeType = kind.kind === "picklist" ? item : `${item}[]`;
      break;
    }
    case "subform": {
      const source = subformSource(field);
      const rowFields = source.fields ?? (source.module ? ctx.input.fieldsByModule[source.module] : undefined);
      if (!rowFields || ctx.depth > 0) {
        readType = writeType = "Record<string, unknown>[]";
        notes.push("Subform rows (no subform field metadata was available).");
      } else {
        const rowName = ctx.names.claim(`${ctx.owner}_${typeName(field.api_name).replace(/^_+/, "")}`);
        const inputName = ctx.names.claim(`${rowName}Input`);
        const sub = uniqueFields(rowFields).map((f) =>
          prepareField(f, new Set(), { ...ctx, owner: rowName, ownerLabel: `${ctx.ownerLabel}.${field.api_name}`, depth: ctx.depth + 1 }),
        );
        ctx.out.doc("", [`A row of the ${label} subform (${ctx.ownerLabel}.${field.api_name})${source.module ? `, subform module ${source.module}` : ""}.`]);
        ctx.out.push(`export interface ${rowName} {`);
        ctx.out.members(recordMembersOf(sub));
        ctx.out.push("}", "");
        ctx.out.doc("", [`A row of the ${label} subform in a write: with \`id\` it updates that row, without it adds one.`]);
        ctx.out.push(`export interface ${inputName} {`);
        ctx.out.members(updateMembersOf(sub, "Id of the row to update; leave out to add a row.").map((m) => (m.key === "id" ? { ...m, optional: true } : m)));
        ctx.out.push("}", "");
        readType = `${rowName}[]`;
        writeType = `${inputName}[]`;
      }
      break;
    }
  }
  const readOnly = isReadOnly(field);
  const mandatory = isMandatory(field, layoutMandatory);
  return { field, label, dataType, readOnly, mandatory, readType, writeType, notes };
}

function docOf(p: PreparedField, extra: string[] = []): string[] {
  const flags = [p.dataType, p.mandatory ? "mandatory" : undefined, p.readOnly ? "read-only" : undefined].filter(Boolean).join(", ");
  return [`${p.label} (${flags}).`, ...p.notes, ...extra];
}

/** Members of a record as read: `id` first, mandatory fields present and non-null, the rest optional and nullable. */
function recordMembersOf(fields: PreparedField[]): Member[] {
  const members: Member[] = [{ key: "id", doc: ["Record id (numeric text)."], readonly: true, optional: false, type: "string" }];
  for (const p of fields) {
    if (p.field.api_name === "id") continue;
    const present = p.mandatory;
    members.push({ key: p.field.api_name, doc: docOf(p), readonly: p.readOnly, optional: !present, type: present ? p.readType : nullable(p.readType) });
  }
  return members;
}

/** Members of an insert: writable fields; mandatory ones required. */
function createMembersOf(fields: PreparedField[]): Member[] {
  const members: Member[] = [];
  for (const p of fields) {
    if (p.readOnly || p.field.api_name === "id") continue;
    members.push({ key: p.field.api_name, doc: docOf(p), readonly: false, optional: !p.mandatory, type: p.mandatory ? p.writeType : nullable(p.writeType) });
  }
  return members;
}

/** Members of an update: `id` plus writable fields, all optional; mandatory ones cannot be cleared (no null). */
function updateMembersOf(fields: PreparedField[], idDoc: string): Member[] {
  const members: Member[] = [{ key: "id", doc: [idDoc], readonly: false, optional: false, type: "string" }];
  for (const p of fields) {
    if (p.readOnly || p.field.api_name === "id") continue;
    members.push({ key: p.field.api_name, doc: docOf(p), readonly: false, optional: true, type: p.mandatory ? p.writeType : nullable(p.writeType) });
  }
  return members;
}
