import type { CrmHandler, CrmRoute } from "../../router.js";
import { apiError, errors } from "../../zoho-errors.js";
import { itemsOf, success } from "../areas.js";

export const updateModuleByAPIName: CrmHandler = (req, ctx) => {
  const name = req.params.module ?? "";
  const module = ctx.state.modules.find((m) => m.id === name) ?? ctx.state.module(name);
  if (!module) return errors.invalidModule();
  const input = itemsOf<{ singular_label?: string; plural_label?: string; profiles?: Array<{ id?: string }> }>(req, "modules")[0] ?? {};
  for (const profile of input.profiles ?? []) {
    if (!ctx.state.profiles.some((p) => p.id === profile.id))
      return apiError(400, "INVALID_DATA", "invalid data", { api_name: "profiles", id: profile.id ?? null });
  }
  if (input.singular_label !== undefined) module.singular = input.singular_label;
  if (input.plural_label !== undefined) module.plural = input.plural_label;
  return { status: 200, body: { modules: [success("module updated successfully", { id: module.id })] } };
};

export const MODULE_SETTINGS_ROUTES: readonly CrmRoute[] = [
  {
    method: "PUT",
    path: "/crm/v2/settings/modules/{module}",
    operationId: "updateModuleByAPIName",
    scope: "settings",
    access: "UPDATE",
    body: { key: "modules", type: "array" },
    handler: updateModuleByAPIName,
  },
];
