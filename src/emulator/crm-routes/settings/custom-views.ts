import type { CrmState } from "../../crm-state.js";
import { fieldOf, type ModuleDef } from "../../module-metadata.js";
import type { CrmHandler, CrmRoute, HandlerContext } from "../../router.js";
import type { CrmRequest, Lookup, Reply, StoredRecord } from "../../types.js";
import { apiError, errors } from "../../zoho-errors.js";
import { area, itemsOf, settingsIds, success } from "../areas.js";
import { isReply, moduleQuery, pageReply, pagingOf } from "../common.js";

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

const views = { key: "custom_views", type: "array" } as const;

export const CUSTOM_VIEW_ROUTES: readonly CrmRoute[] = [
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
];
