import type { CrmState } from "../../crm-state.js";
import type { CrmHandler, CrmRoute } from "../../router.js";
import type { Lookup } from "../../types.js";
import { errors } from "../../zoho-errors.js";
import { notModified } from "../common.js";
import { systemStamp } from "./system-stamp.js";

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

export const PROFILE_ROUTES: readonly CrmRoute[] = [
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
];
