import type { CrmState } from "../../crm-state.js";
import type { CrmHandler, CrmRoute } from "../../router.js";
import { errors } from "../../zoho-errors.js";
import { area, settingsIds } from "../areas.js";
import { systemStamp } from "./system-stamp.js";

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
        criteria: { comparator: "in", field: "Country", value: ["United States", "Canada"] },
        ...base,
      },
      {
        id: ids.next(),
        name: "Europe",
        description: "EU and UK",
        parent_id: root,
        criteria: { comparator: "in", field: "Country", value: ["Germany", "Portugal", "United Kingdom"] },
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

export const TERRITORY_ROUTES: readonly CrmRoute[] = [
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
];
