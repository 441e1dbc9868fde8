/**
 * The record a path segment names: its id, or with `X-EXTERNAL: <Module>.<field>` naming the
 * path's module, the value of that external-id field. One resolver for the record routes and the
 * records-adjacent ones (attachments, notes, related records...).
 */
import { comparable } from "../field-values.js";
import { isIdLike } from "../id-generator.js";
import { fieldOf, type FieldDef, type ModuleDef } from "../module-metadata.js";
import type { HandlerContext } from "../router.js";
import type { CrmRequest, Reply, StoredRecord } from "../types.js";
import { apiError, errors } from "../zoho-errors.js";
import { isReply } from "./common.js";

function header(req: CrmRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The external-id field `X-EXTERNAL` names for `module`; undefined without the header or when it
 * names another module (then it concerns lookups in the body); a 400 when the field is unknown or
 * not an external-id field.
 */
export function externalField(req: CrmRequest, module: ModuleDef): FieldDef | Reply | undefined {
  const external = header(req, "x-external");
  if (!external) return undefined;
  const [extModule, extField] = external.split(".", 2);
  if (extModule?.toLowerCase() !== module.api_name.toLowerCase()) return undefined;
  const field = extField ? fieldOf(module, extField) : undefined;
  if (!field) return apiError(400, "INVALID_DATA", "the external field given seems to be invalid", { api_name: extField ?? external });
  if (!field.external) return apiError(400, "INVALID_DATA", "the field given in X-EXTERNAL is not an external id field", { api_name: field.api_name });
  return field;
}

/**
 * The record `value` names in `module`: undefined when no record has that id (each operation
 * answers that its own way), a reply for a malformed id, a bad header or an unknown external value.
 */
export function findRecord(req: CrmRequest, ctx: HandlerContext, module: ModuleDef, value: string, pathIndex: number): StoredRecord | Reply | undefined {
  const field = externalField(req, module);
  if (isReply(field)) return field;
  if (field) {
    const wanted = comparable(value);
    const record = ctx.state.records(module.api_name).find((r) => comparable(r.data[field.api_name]) === wanted);
    return record ?? apiError(400, "INVALID_DATA", "The value of the external field is invalid.", { api_name: field.api_name, resource_path_index: pathIndex });
  }
  if (!isIdLike(value)) return errors.invalidId(pathIndex);
  return ctx.state.record(module.api_name, value);
}

/** Like `findRecord`, with 400 INVALID_DATA for an id no record has. */
export function resolveRecord(req: CrmRequest, ctx: HandlerContext, module: ModuleDef, value: string, pathIndex: number): StoredRecord | Reply {
  return (
    findRecord(req, ctx, module, value, pathIndex) ??
    apiError(400, "INVALID_DATA", "the id given seems to be invalid", { id: value, resource_path_index: pathIndex })
  );
}
