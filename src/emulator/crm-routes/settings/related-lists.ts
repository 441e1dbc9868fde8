import type { CrmState } from "../../crm-state.js";
import type { CrmHandler, CrmRoute } from "../../router.js";
import { errors } from "../../zoho-errors.js";
import { area, settingsIds } from "../areas.js";
import { isReply, moduleQuery } from "../common.js";

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

export const RELATED_LIST_ROUTES: readonly CrmRoute[] = [
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
];
