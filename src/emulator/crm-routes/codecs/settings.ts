/** Codecs of the settings areas: the settings id counter, custom views, related lists, territories, variables (groups by id). */
import { areaCodec } from "../../area-codec.js";
import { IdGenerator } from "../../id-generator.js";
import { SETTINGS_IDS_AREA } from "../areas.js";
import { CUSTOM_VIEWS_AREA, type CustomViewDef } from "../settings/custom-views.js";
import { RELATED_LISTS_AREA, type RelatedListDef } from "../settings/related-lists.js";
import { TERRITORIES_AREA } from "../settings/territories.js";
import { VARIABLES_AREA, type VariableDef, type VariableGroupDef, type VariablesArea } from "../settings/variables.js";

export const settingsIdsCodec = areaCodec<IdGenerator, { counter: number }>({
  name: SETTINGS_IDS_AREA,
  snapshot: (ids) => ({ counter: ids.counter }),
  restore: (json, state) => new IdGenerator(state.ids.prefix, json.counter),
});

/** Areas that are plain JSON already (seeded lazily with settings ids, so kept to keep those ids). */
const plain = <T>(name: string) => areaCodec<T, T>({ name, snapshot: (value) => value, restore: (json) => json });

export const customViewsCodec = plain<CustomViewDef[]>(CUSTOM_VIEWS_AREA);
export const relatedListsCodec = plain<RelatedListDef[]>(RELATED_LISTS_AREA);
export const territoriesCodec = plain<Array<Record<string, unknown>>>(TERRITORIES_AREA);

type VariableJson = Omit<VariableDef, "group"> & { groupId: string };

export const variablesCodec = areaCodec<VariablesArea, { groups: VariableGroupDef[]; variables: VariableJson[] }>({
  name: VARIABLES_AREA,
  snapshot: (area) => ({ groups: area.groups, variables: area.variables.map(({ group, ...v }) => ({ ...v, groupId: group.id })) }),
  restore: (json) => {
    // Variables point at their group object (handlers compare groups by identity).
    const groups = new Map(json.groups.map((g) => [g.id, g]));
    const variables = json.variables.flatMap(({ groupId, ...v }) => {
      const group = groups.get(groupId);
      return group ? [{ ...v, group }] : [];
    });
    return { groups: json.groups, variables };
  },
});
