/**
 * Settings of the org: custom views (two per module, `PUT` changes the sort), related lists
 * (derived from the modules' lookups), profiles, roles and territories (read-only seed data),
 * org variables and variable groups (CRUD), and module settings updates (labels).
 */
import { zohoDateTime } from "../clock.js";
import type { CrmState } from "../crm-state.js";
import { fieldOf, type ModuleDef } from "../module-metadata.js";
import type { CrmHandler, CrmRoute, HandlerContext } from "../router.js";
import type { CrmRequest, Lookup, Reply, StoredRecord } from "../types.js";
import { apiError, errorItem, errors, type ResultItem } from "../zoho-errors.js";
import { area, envelopeReply, invalidField, invalidId, itemsOf, mandatory, settingsIds, success } from "./areas.js";
import { isReply, listParam, moduleOf, notModified, pageReply, pagingOf } from "./common.js";

// ---------------------------------------------------------------- custom views

export interface CustomViewDef {
  id: string;
  module: string;
  name: string;
  systemName: string;
  isDefault: boolean;
  sortBy: string | null;
  sortOrder: "asc" | "desc" | null;
  /** Only the current user's records ("My ..." views). */
  mine: boolean;
}

export const CUSTOM_VIEWS_AREA = "custom-views";

/** Two views per module: "All <plural>" (the default) and "My <plural>" (Owner is the caller). */
function customViews(state: CrmState): CustomViewDef[] {
  return area(state, CUSTOM_VIEWS_AREA, () => {
    const ids = settingsIds(state);
    return state.modules.flatMap((m) => [
      { id: ids.next(), module: m.api_name, name: `All ${m.plural}`, systemName: "ALLVIEWS", isDefault: true, sortBy: null, sortOrder: null, mine: false },
      { id: ids.next(), module: m.api_name, name: `My ${m.plural}`, systemName: "MYVIEWS", isDefault: false, sortBy: null, sortOrder: null, mine: true },
    ]);
  });
}

/** The record filter of a module's custom view (bulk read `cvid`); undefined for an unknown view. */
export function customViewFilter(state: CrmState, module: ModuleDef, cvid: string, userId: string): ((r: StoredRecord) => boolean) | undefined {
  const view = customViews(state).find((v) => v.id === cvid && v.module === module.api_name);
  if (!view) return undefined;
  return view.mine ? (r) => (r.data.Owner as Lookup | null | undefined)?.id === userId : () => true;
}

function formatView(_state: CrmState, module: ModuleDef, view: CustomViewDef, full: boolean): Record<string, unknown> {
  return {
    id: view.id,
    name: view.name,
    display_value: view.name,
    system_name: view.systemName,
    category: "public_views",
    module: module.api_name,
    default: view.isDefault,
    favorite: null,
    system_defined: true,
    offline: true,
    sort_by: view.sortBy,
    sort_order: view.sortOrder,
    ...(full
      ? {
          fields: module.fields.slice(0, 6).map((f) => f.api_name),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Zoho's own placeholder for "the current user", not a template.
          criteria: view.mine ? { comparator: "equal", field: "Owner", value: "${CURRENTUSER}" } : null,
          shared_to: null,
        }
      : {}),
  };
}

function moduleQuery(req: CrmRequest, ctx: HandlerContext): ModuleDef | Reply {
  const name = req.query.get("module");
  if (!name) return errors.requiredParam("module");
  return moduleOf(req, ctx, name);
}

export const getCustomViews: CrmHandler = (req, ctx) => {
  const module = moduleQuery(req, ctx);
  if (isReply(module)) return module;
  const paging = pagingOf(req.query);
  if (isReply(paging)) return paging;
  const views = customViews(ctx.state).filter((v) => v.module === module.api_name);
  const reply = pageReply(
    "custom_views",
    views.map((v) => formatView(ctx.state, module, v, false)),
    paging,
  );
  if (reply.status !== 200) return reply;
  const body = reply.body as { info: Record<string, unknown> };
  body.info = {
    ...body.info,
    default: views.find((v) => v.isDefault)?.id,
    translation: { public_views: "Public Views", other_users_views: "Other Users' Views", shared_with_me: "Shared With Me", created_by_me: "Created By Me" },
  };
  return reply;
};

function viewOf(req: CrmRequest, ctx: HandlerContext): { module: ModuleDef; view: CustomViewDef } | Reply {
  const module = moduleQuery(req, ctx);
  if (isReply(module)) return module;
  const view = customViews(ctx.state).find((v) => v.id === req.params.id && v.module === module.api_name);
  return view ? { module, view } : errors.invalidId(3);
}

export const getCustomView: CrmHandler = (req, ctx) => {
  const found = viewOf(req, ctx);
  if (isReply(found)) return found;
  return { status: 200, body: { custom_views: [formatView(ctx.state, found.module, found.view, true)] } };
};

export const updateCustomView: CrmHandler = (req, ctx) => {
  const found = viewOf(req, ctx);
  if (isReply(found)) return found;
  const input = itemsOf<{ sort_by?: string; sort_order?: "asc" | "desc" }>(req, "custom_views")[0] ?? {};
  if (input.sort_by !== undefined && !fieldOf(found.module, input.sort_by)) return apiError(400, "INVALID_DATA", "invalid data", { api_name: "sort_by" });
  if (input.sort_by !== undefined) found.view.sortBy = fieldOf(found.module, input.sort_by)!.api_name;
  if (input.sort_order !== undefined) found.view.sortOrder = input.sort_order;
  if (found.view.sortBy !== null && found.view.sortOrder === null) found.view.sortOrder = "asc";
  return { status: 200, body: { custom_views: [success("custom view updated successfully", { id: found.view.id })] } };
};

// ---------------------------------------------------------------- related lists

export interface RelatedListDef {
  id: string;
  module: string;
  api_name: string;
  display_label: string;
  target: string | null;
  sequence: number;
}

export const RELATED_LISTS_AREA = "related-lists";

/** A module's related lists: each module with a lookup to it, then Notes and Attachments. */
function relatedLists(state: CrmState): RelatedListDef[] {
  return area(state, RELATED_LISTS_AREA, () => {
    const ids = settingsIds(state);
    return state.modules.flatMap((m) => {
      const lists: Array<Omit<RelatedListDef, "id" | "sequence">> = [];
      for (const other of state.modules) {
        if (other.api_name === m.api_name || other.api_name === "Notes") continue;
        if (other.fields.some((f) => f.data_type === "lookup" && f.lookupModule === m.api_name))
          lists.push({ module: m.api_name, api_name: other.api_name, display_label: other.plural, target: other.api_name });
      }
      if (m.api_name !== "Notes") lists.push({ module: m.api_name, api_name: "Notes", display_label: "Notes", target: "Notes" });
      lists.push({ module: m.api_name, api_name: "Attachments", display_label: "Attachments", target: null });
      return lists.map((l, i) => ({ ...l, id: ids.next(), sequence: i + 1 }));
    });
  });
}

function formatRelatedList(list: RelatedListDef): Record<string, unknown> {
  return {
    id: list.id,
    sequence_number: String(list.sequence),
    display_label: list.display_label,
    api_name: list.api_name,
    module: list.target,
    name: list.api_name,
    action: null,
    href: list.target ? `${list.module}/{ENTITYID}/${list.api_name}` : null,
    type: "default",
    connectedmodule: null,
    linkingmodule: null,
  };
}

export const getRelatedLists: CrmHandler = (req, ctx) => {
  const module = moduleQuery(req, ctx);
  if (isReply(module)) return module;
  return {
    status: 200,
    body: {
      related_lists: relatedLists(ctx.state)
        .filter((l) => l.module === module.api_name)
        .map(formatRelatedList),
    },
  };
};

export const getRelatedList: CrmHandler = (req, ctx) => {
  const module = moduleQuery(req, ctx);
  if (isReply(module)) return module;
  const list = relatedLists(ctx.state).find((l) => l.module === module.api_name && l.id === req.params.id);
  return list ? { status: 200, body: { related_lists: [formatRelatedList(list)] } } : errors.invalidId(3);
};

// ---------------------------------------------------------------- profiles, roles, territories

function systemStamp(state: CrmState): { time: string; by: Lookup | null } {
  const admin = state.users()[0];
  return { time: zohoDateTime(state.epochMs), by: admin ? state.userLookup(admin) : null };
}

function formatProfile(state: CrmState, profile: Lookup, full: boolean): Record<string, unknown> {
  const { time, by } = systemStamp(state);
  const admin = profile.name === "Administrator";
  return {
    id: profile.id,
    name: profile.name,
    display_label: profile.name,
    description: admin ? "This profile will have all the permissions." : "This profile will have all the permissions except administrative privileges.",
    category: true,
    custom: false,
    created_time: time,
    modified_time: time,
    created_by: null,
    modified_by: by,
    ...(full
      ? {
          permissions_details: [
            { id: `${profile.id}01`, name: "Crm_Implied_Api_Access", display_label: "API Access", module: null, enabled: true },
            ...state.modules.flatMap((m) =>
              (["View", "Create", "Edit", "Delete"] as const).map((action, i) => ({
                id: `${m.id}${profile.id.slice(-2)}${i}`,
                name: `${m.api_name}_${action}`,
                display_label: `${action} ${m.plural}`,
                module: m.api_name,
                enabled: admin || action !== "Delete",
              })),
            ),
          ],
          sections: [{ name: "modules", categories: state.modules.map((m) => ({ display_label: m.plural, module: m.api_name, name: m.api_name })) }],
        }
      : {}),
  };
}

export const getProfiles: CrmHandler = (req, ctx) => {
  if (notModified(req, ctx.state.epochMs)) return { status: 304 };
  return { status: 200, body: { profiles: ctx.state.profiles.map((p) => formatProfile(ctx.state, p, false)) } };
};

export const getProfile: CrmHandler = (req, ctx) => {
  const profile = ctx.state.profiles.find((p) => p.id === req.params.id);
  if (!profile) return errors.invalidId(3);
  if (notModified(req, ctx.state.epochMs)) return { status: 304 };
  return { status: 200, body: { profiles: [formatProfile(ctx.state, profile, true)] } };
};

function formatRole(state: CrmState, role: Lookup, index: number): Record<string, unknown> {
  const parent = index === 0 ? null : state.roles[0]!;
  return {
    id: role.id,
    name: role.name,
    display_label: role.name,
    description: index === 0 ? "The top of the hierarchy" : `Reports to ${parent!.name}`,
    reporting_to: parent ? { name: parent.name, id: parent.id } : null,
    admin_user: index === 0,
    share_with_peers: true,
    forecast_manager: null,
  };
}

export const getRoles: CrmHandler = (_req, ctx) => ({ status: 200, body: { roles: ctx.state.roles.map((r, i) => formatRole(ctx.state, r, i)) } });

export const getRole: CrmHandler = (req, ctx) => {
  const index = ctx.state.roles.findIndex((r) => r.id === req.params.id);
  if (index === -1) return errors.invalidId(3);
  return { status: 200, body: { roles: [formatRole(ctx.state, ctx.state.roles[index]!, index)] } };
};

export const TERRITORIES_AREA = "territories";

/** The territory tree: a root and two regions, managed by the seeded admin. */
function territories(state: CrmState): Array<Record<string, unknown>> {
  return area(state, TERRITORIES_AREA, () => {
    const ids = settingsIds(state);
    const { time, by } = systemStamp(state);
    const root = ids.next();
    const base = {
      manager: by,
      permission_type: "read_only",
      account_rule_criteria: null,
      deal_rule_criteria: null,
      created_time: time,
      modified_time: time,
      created_by: by,
      modified_by: by,
    };
    return [
      { id: root, name: "Zylker", description: "The whole organization", parent_id: null, criteria: null, ...base },
      {
        id: ids.next(),
        name: "North America",
        description: "US and Canada",
        parent_id: root,
        criteria: { comparator: "in", field: { api_name: "Country" }, value: ["United States", "Canada"] },
        ...base,
      },
      {
        id: ids.next(),
        name: "Europe",
        description: "EU and UK",
        parent_id: root,
        criteria: { comparator: "in", field: { api_name: "Country" }, value: ["Germany", "Portugal", "United Kingdom"] },
        ...base,
      },
    ];
  });
}

export const getTerritories: CrmHandler = (_req, ctx) => ({ status: 200, body: { territories: territories(ctx.state) } });

export const getTerritory: CrmHandler = (req, ctx) => {
  const territory = territories(ctx.state).find((t) => t.id === req.params.id);
  return territory ? { status: 200, body: { territories: [territory] } } : errors.invalidId(3);
};

// ---------------------------------------------------------------- variables and variable groups

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

// ---------------------------------------------------------------- module settings

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

const views = { key: "custom_views", type: "array" } as const;
const variables = { key: "variables", type: "array" } as const;

export const SETTINGS_ROUTES: readonly CrmRoute[] = [
  {
    method: "PUT",
    path: "/crm/v2/settings/modules/{module}",
    operationId: "updateModuleByAPIName",
    scope: "settings",
    access: "UPDATE",
    body: { key: "modules", type: "array" },
    handler: updateModuleByAPIName,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/custom_views",
    operationId: "getCustomViews",
    scope: "settings",
    access: "READ",
    module: "custom_views",
    handler: getCustomViews,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/custom_views/{id}",
    operationId: "getCustomView",
    scope: "settings",
    access: "READ",
    module: "custom_views",
    handler: getCustomView,
  },
  {
    method: "PUT",
    path: "/crm/v2/settings/custom_views/{id}",
    operationId: "updateCustomView",
    scope: "settings",
    access: "UPDATE",
    module: "custom_views",
    body: views,
    handler: updateCustomView,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/related_lists",
    operationId: "getRelatedLists",
    scope: "settings",
    access: "READ",
    module: "related_lists",
    handler: getRelatedLists,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/related_lists/{id}",
    operationId: "getRelatedList",
    scope: "settings",
    access: "READ",
    module: "related_lists",
    handler: getRelatedList,
  },
  { method: "GET", path: "/crm/v2/settings/profiles", operationId: "getProfiles", scope: "settings", access: "READ", module: "profiles", handler: getProfiles },
  {
    method: "GET",
    path: "/crm/v2/settings/profiles/{id}",
    operationId: "getProfile",
    scope: "settings",
    access: "READ",
    module: "profiles",
    handler: getProfile,
  },
  { method: "GET", path: "/crm/v2/settings/roles", operationId: "getRoles", scope: "settings", access: "READ", module: "roles", handler: getRoles },
  { method: "GET", path: "/crm/v2/settings/roles/{id}", operationId: "getRole", scope: "settings", access: "READ", module: "roles", handler: getRole },
  {
    method: "GET",
    path: "/crm/v2/settings/territories",
    operationId: "getTerritories",
    scope: "settings",
    access: "READ",
    module: "territories",
    handler: getTerritories,
  },
  {
    method: "GET",
    path: "/crm/v2/settings/territories/{id}",
    operationId: "getTerritory",
    scope: "settings",
    access: "READ",
    module: "territories",
    handler: getTerritory,
  },
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
