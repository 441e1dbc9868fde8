import type { CrmState } from "../../crm-state.js";
import type { CrmHandler, CrmRoute } from "../../router.js";
import { apiError, errorItem, errors, type ResultItem } from "../../zoho-errors.js";
import { area, envelopeReply, invalidField, invalidId, itemsOf, mandatory, settingsIds, success } from "../areas.js";
import { listParam } from "../common.js";

export const VARIABLE_TYPES = [
  "integer",
  "text",
  "percent",
  "decimal",
  "currency",
  "date",
  "datetime",
  "email",
  "phone",
  "url",
  "checkbox",
  "long",
  "textarea",
] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface VariableGroupDef {
  id: string;
  api_name: string;
  name: string;
  description: string | null;
}

export interface VariableDef {
  id: string;
  api_name: string;
  name: string;
  description: string | null;
  type: VariableType;
  value: string | number | boolean | null;
  group: VariableGroupDef;
}

export interface VariablesArea {
  groups: VariableGroupDef[];
  variables: VariableDef[];
}

export const VARIABLES_AREA = "variables";

function variablesArea(state: CrmState): VariablesArea {
  return area(state, VARIABLES_AREA, () => {
    const ids = settingsIds(state);
    const general: VariableGroupDef = { id: ids.next(), api_name: "General", name: "General", description: "Default group" };
    const integration: VariableGroupDef = { id: ids.next(), api_name: "Integration", name: "Integration", description: "Values used by integrations" };
    return {
      groups: [general, integration],
      variables: [
        {
          id: ids.next(),
          api_name: "Default_Tax_Rate",
          name: "Default Tax Rate",
          description: "Applied when a product has no tax",
          type: "percent",
          value: 7.5,
          group: general,
        },
        {
          id: ids.next(),
          api_name: "Support_Email",
          name: "Support Email",
          description: null,
          type: "email",
          value: "support@zylker.example",
          group: integration,
        },
      ],
    };
  });
}

const formatGroup = (g: VariableGroupDef) => ({ id: g.id, api_name: g.api_name, name: g.name, display_label: g.name, description: g.description });
const formatVariable = (v: VariableDef) => ({
  id: v.id,
  api_name: v.api_name,
  name: v.name,
  description: v.description,
  type: v.type,
  value: v.value,
  variable_group: { id: v.group.id, api_name: v.group.api_name, name: v.group.name },
});

function findGroup(state: CrmState, ref: unknown): VariableGroupDef | undefined {
  const { groups } = variablesArea(state);
  if (typeof ref === "string") return groups.find((g) => g.id === ref || g.api_name === ref);
  const r = (ref ?? {}) as { id?: string; api_name?: string };
  return groups.find((g) => (r.id !== undefined && g.id === r.id) || (r.api_name !== undefined && g.api_name === r.api_name));
}

function findVariable(state: CrmState, idOrName: string | undefined): VariableDef | undefined {
  return variablesArea(state).variables.find((v) => v.id === idOrName || v.api_name === idOrName);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a value fits a variable type (text values are accepted for numbers written as text). */
function valueFits(type: VariableType, value: unknown): boolean {
  if (value === null) return true;
  const text = String(value);
  switch (type) {
    case "integer":
    case "long":
      return /^-?\d+$/.test(text);
    case "percent":
    case "decimal":
    case "currency":
      return typeof value !== "boolean" && text.trim() !== "" && Number.isFinite(Number(text));
    case "checkbox":
      return typeof value === "boolean" || text === "true" || text === "false";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));
    case "datetime":
      return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text));
    case "email":
      return EMAIL.test(text);
    case "url":
      return /^https?:\/\/\S+$/.test(text);
    default:
      return typeof value === "string";
  }
}

type VariableInput = {
  id?: string;
  name?: string;
  api_name?: string;
  description?: string | null;
  type?: VariableType;
  value?: string | number | boolean | null;
  variable_group?: unknown;
};

function applyVariable(state: CrmState, input: VariableInput, existing: VariableDef | undefined): ResultItem {
  const { variables } = variablesArea(state);
  if (!existing) {
    for (const key of ["name", "api_name", "type", "variable_group"] as const) if (input[key] === undefined) return mandatory(key);
  }
  const group = input.variable_group === undefined ? existing?.group : findGroup(state, input.variable_group);
  if (!group) return invalidField("variable_group");
  const apiName = input.api_name ?? existing!.api_name;
  if (variables.some((v) => v !== existing && v.api_name.toLowerCase() === apiName.toLowerCase()))
    return errorItem("DUPLICATE_DATA", "duplicate data", { api_name: "api_name" });
  const type = input.type ?? existing!.type;
  const value = input.value === undefined ? (existing?.value ?? null) : input.value;
  if (!valueFits(type, value)) return invalidField("value", { expected_data_type: type });
  const next: VariableDef = {
    id: existing?.id ?? settingsIds(state).next(),
    api_name: apiName,
    name: input.name ?? existing!.name,
    description: input.description === undefined ? (existing?.description ?? null) : input.description,
    type,
    value,
    group,
  };
  if (existing) Object.assign(existing, next);
  else variables.push(next);
  return success(existing ? "variable updated successfully" : "variable created successfully", { id: next.id });
}

export const getVariables: CrmHandler = (req, ctx) => {
  const groupParam = req.query.get("group");
  const group = groupParam === null ? undefined : findGroup(ctx.state, groupParam);
  if (groupParam !== null && !group) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "group" });
  const list = variablesArea(ctx.state).variables.filter((v) => !group || v.group === group);
  return list.length === 0 ? { status: 204 } : { status: 200, body: { variables: list.map(formatVariable) } };
};

export const getVariableById: CrmHandler = (req, ctx) => {
  const variable = findVariable(ctx.state, req.params.id);
  if (!variable) return errors.invalidId(3);
  const groupParam = req.query.get("group");
  if (groupParam !== null && findGroup(ctx.state, groupParam) !== variable.group) return apiError(400, "INVALID_DATA", "invalid data", { param_name: "group" });
  return { status: 200, body: { variables: [formatVariable(variable)] } };
};

export const createVariables: CrmHandler = (req, ctx) =>
  envelopeReply(
    "variables",
    itemsOf<VariableInput>(req, "variables").map((input) => (input.id !== undefined ? invalidField("id") : applyVariable(ctx.state, input, undefined))),
    201,
  );

export const updateVariables: CrmHandler = (req, ctx) =>
  envelopeReply(
    "variables",
    itemsOf<VariableInput>(req, "variables").map((input) => {
      if (input.id === undefined) return mandatory("id");
      const existing = findVariable(ctx.state, input.id);
      return existing ? applyVariable(ctx.state, input, existing) : invalidId(input.id);
    }),
    200,
  );

export const updateVariableById: CrmHandler = (req, ctx) => {
  const existing = findVariable(ctx.state, req.params.id);
  if (!existing) return errors.invalidId(3);
  const input = itemsOf<VariableInput>(req, "variables")[0] ?? {};
  if (input.id !== undefined && input.id !== existing.id) return apiError(400, "INVALID_DATA", "the id in the body differs from the path", { api_name: "id" });
  return envelopeReply("variables", [applyVariable(ctx.state, input, existing)], 200);
};

function deleteVariableItem(state: CrmState, id: string): ResultItem {
  const { variables } = variablesArea(state);
  const index = variables.findIndex((v) => v.id === id);
  if (index === -1) return invalidId(id);
  variables.splice(index, 1);
  return success("variable deleted successfully", { id });
}

export const deleteVariables: CrmHandler = (req, ctx) => {
  const ids = listParam(req.query, "ids");
  if (!ids || ids.length === 0) return errors.requiredParam("ids");
  return envelopeReply(
    "variables",
    ids.map((id) => deleteVariableItem(ctx.state, id)),
    200,
  );
};

export const deleteVariable: CrmHandler = (req, ctx) => {
  const variable = findVariable(ctx.state, req.params.id);
  if (!variable) return errors.invalidId(3);
  return envelopeReply("variables", [deleteVariableItem(ctx.state, variable.id)], 200);
};

export const getVariableGroups: CrmHandler = (_req, ctx) => ({ status: 200, body: { variable_groups: variablesArea(ctx.state).groups.map(formatGroup) } });

export const getVariableGroupById: CrmHandler = (req, ctx) => {
  const group = findGroup(ctx.state, req.params.id);
  return group ? { status: 200, body: { variable_groups: [formatGroup(group)] } } : errors.invalidId(3);
};

const variables = { key: "variables", type: "array" } as const;

export const VARIABLE_ROUTES: readonly CrmRoute[] = [
  {
    method: "GET",
    path: "/crm/v2/settings/variables",
    operationId: "getVariables",
    scope: "settings",
    access: "READ",
    module: "variables",
    handler: getVariables,
  },
  {
    method: "POST",
    path: "/crm/v2/settings/variables",
    operationId: "createVariables",
    scope: "settings",
    access: "CREATE",
    module: "variables",
    body: variables,
    handler: createVariables,
  },
  {
    method: "PUT",
    path: "/crm/v2/settings/variables",
    operationId: "updateVariables",
    scope: "settings",
    access: "UPDATE",
    module: "variables",
    body: variables,
    handler: updateVariables,
  },
  {
    method: "DELETE",
    path: "/crm/v2/settings/variables",
    operationId: "deleteVariables",
    scope: "settings",
    access: "DELETE",
    module: "variables",
    handler: deleteVariables,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/variables/{id}",
    operationId: "getVariableById",
    scope: "settings",
    access: "READ",
    module: "variables",
    handler: getVariableById,
  },
  {
    method: "PUT",
    path: "/crm/v2/settings/variables/{id}",
    operationId: "updateVariableById",
    scope: "settings",
    access: "UPDATE",
    module: "variables",
    body: variables,
    handler: updateVariableById,
  },
  {
    method: "DELETE",
    path: "/crm/v2/settings/variables/{id}",
    operationId: "deleteVariable",
    scope: "settings",
    access: "DELETE",
    module: "variables",
    handler: deleteVariable,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/variable_groups",
    operationId: "getVariableGroups",
    scope: "settings",
    access: "READ",
    module: "variable_groups",
    handler: getVariableGroups,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/variable_groups/{id}",
    operationId: "getVariableGroupById",
    scope: "settings",
    access: "READ",
    module: "variable_groups",
    handler: getVariableGroupById,
  },
];
