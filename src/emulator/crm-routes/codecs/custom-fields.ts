/** Codec of runtime custom fields: restoring puts each back on its module (once). */
import { areaCodec } from "../../area-codec.js";
import { CUSTOM_FIELDS_AREA, type CustomFieldsArea } from "../../custom-fields.js";

export const customFieldsCodec = areaCodec<CustomFieldsArea, CustomFieldsArea>({
  name: CUSTOM_FIELDS_AREA,
  snapshot: (added) => added,
  restore: (json, state) => {
    for (const { module, field } of json) {
      const def = state.module(module);
      if (def && !def.fields.some((f) => f.api_name === field.api_name)) def.fields.push(field);
    }
    return [...json];
  },
});
