import type { CrmState } from "../../crm-state.js";
import type { CrmHandler, CrmRoute } from "../../router.js";
import type { Lookup } from "../../types.js";
import { errors } from "../../zoho-errors.js";

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

export const ROLE_ROUTES: readonly CrmRoute[] = [
  { method: "GET", path: "/crm/v2/settings/roles", operationId: "getRoles", scope: "settings", access: "READ", module: "roles", handler: getRoles },
  { method: "GET", path: "/crm/v2/settings/roles/{id}", operationId: "getRole", scope: "settings", access: "READ", module: "roles", handler: getRole },
];
