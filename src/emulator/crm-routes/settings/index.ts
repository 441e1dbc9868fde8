/** The settings resources' routes, one file per resource. */
import { CUSTOM_VIEW_ROUTES } from "./custom-views.js";
import { RELATED_LIST_ROUTES } from "./related-lists.js";
import { PROFILE_ROUTES } from "./profiles.js";
import { ROLE_ROUTES } from "./roles.js";
import { TERRITORY_ROUTES } from "./territories.js";
import { VARIABLE_ROUTES } from "./variables.js";
import { MODULE_SETTINGS_ROUTES } from "./module-settings.js";

export const SETTINGS_ROUTES = [
  ...CUSTOM_VIEW_ROUTES,
  ...RELATED_LIST_ROUTES,
  ...PROFILE_ROUTES,
  ...ROLE_ROUTES,
  ...TERRITORY_ROUTES,
  ...VARIABLE_ROUTES,
  ...MODULE_SETTINGS_ROUTES,
] as const;
