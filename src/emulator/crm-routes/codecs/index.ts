/**
 * Every area of `CrmState.areas` with its codec: what `persistPath` keeps besides records, users
 * and tokens. A new area needs an entry here (the persistence suite checks that none is missing).
 */
import type { AreaCodec } from "../../area-codec.js";
import { CORE_PARTS, areaPart, type StatePart } from "../../state-parts.js";
import { bulkReadCodec } from "./bulk-read.js";
import { bulkWriteCodec } from "./bulk-write.js";
import { customFieldsCodec } from "./custom-fields.js";
import { filesCodec } from "./files.js";
import { currenciesCodec, orgPhotoCodec, taxesCodec } from "./org-settings.js";
import { recordsExtraCodec } from "./records-extra.js";
import { customViewsCodec, relatedListsCodec, settingsIdsCodec, territoriesCodec, variablesCodec } from "./settings.js";
import { watchCodec } from "./watch.js";

export const AREA_CODECS: readonly AreaCodec[] = [
  settingsIdsCodec,
  recordsExtraCodec,
  bulkReadCodec,
  bulkWriteCodec,
  watchCodec,
  filesCodec,
  orgPhotoCodec,
  currenciesCodec,
  taxesCodec,
  customViewsCodec,
  relatedListsCodec,
  territoriesCodec,
  variablesCodec,
  customFieldsCodec,
];

/** Core values first (the clock, before areas re-arm timers from it), then the areas. */
export const STATE_PARTS: readonly StatePart[] = [...CORE_PARTS, ...AREA_CODECS.map(areaPart)];
