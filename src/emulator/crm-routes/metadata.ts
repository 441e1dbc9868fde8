/**
 * Settings: modules, fields and layouts (envelopes `modules`, `fields`, `layouts`).
 */
import { formatField, formatFields, formatLayout, formatModule } from "../metadata-format.js";
import type { ModuleDef } from "../module-metadata.js";
import type { CrmHandler, HandlerContext } from "../router.js";
import type { CrmRequest, Reply } from "../types.js";
import { errors } from "../zoho-errors.js";
import { isReply, moduleOf, notModified } from "./common.js";

/** The module named by the mandatory `module` query parameter. */
function moduleParam(req: CrmRequest, ctx: HandlerContext): ModuleDef | Reply {
  const name = req.query.get("module");
  if (!name) return errors.requiredParam("module");
  return moduleOf(req, ctx, name);
}

export const getModules: CrmHandler = (req, ctx) => {
  if (notModified(req, ctx.state.epochMs)) return { status: 304 };
  return { status: 200, body: { modules: ctx.state.modules.map((m) => formatModule(ctx.state, m)) } };
};

export const getModule: CrmHandler = (req, ctx) => {
  const module = moduleOf(req, ctx);
  if (isReply(module)) return module;
  return { status: 200, body: { modules: [formatModule(ctx.state, module, true)] } };
};

export const getFields: CrmHandler = (req, ctx) => {
  const module = moduleParam(req, ctx);
  if (isReply(module)) return module;
  // type=unused: the emulator's modules have no unused fields.
  if (req.query.get("type") === "unused") return { status: 200, body: { fields: [] } };
  return { status: 200, body: { fields: formatFields(ctx.state, module) } };
};

export const getField: CrmHandler = (req, ctx) => {
  const module = moduleParam(req, ctx);
  if (isReply(module)) return module;
  const index = module.fields.findIndex((f) => f.id === req.params.id);
  if (index === -1) return errors.invalidId(3);
  return { status: 200, body: { fields: [formatField(ctx.state, module, module.fields[index]!, index)] } };
};

export const getLayouts: CrmHandler = (req, ctx) => {
  const module = moduleParam(req, ctx);
  if (isReply(module)) return module;
  return { status: 200, body: { layouts: [formatLayout(ctx.state, module)] } };
};

export const getLayout: CrmHandler = (req, ctx) => {
  const module = moduleParam(req, ctx);
  if (isReply(module)) return module;
  if (req.params.id !== module.layoutId) return errors.invalidId(3);
  return { status: 200, body: { layouts: [formatLayout(ctx.state, module)] } };
};
