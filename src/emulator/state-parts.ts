/**
 * The pieces of state the area store snapshots besides records, users and tokens: every area of
 * `CrmState.areas` (through its codec) and the small core values that change in place — the clock
 * offset, the record id counter, the org object and module labels.
 */
import type { AreaCodec } from "./area-codec.js";
import type { CrmState } from "./crm-state.js";

export interface StatePart {
  name: string;
  /** Set for parts that are areas: snapshotted only after something touched them. */
  area?: string;
  /** JSON-able data, or undefined when there is nothing to keep. */
  snapshot(state: CrmState): unknown;
  restore(json: unknown, state: CrmState): void;
}

export function areaPart(codec: AreaCodec): StatePart {
  return {
    name: codec.name,
    area: codec.name,
    snapshot: (state) => {
      const value = state.areas.peek(codec.name);
      return value === undefined ? undefined : codec.snapshot(value);
    },
    restore: (json, state) => void state.areas.set(codec.name, codec.restore(json, state)),
  };
}

type Labels = Record<string, { singular: string; plural: string }>;

export const CORE_PARTS: readonly StatePart[] = [
  {
    name: "$clock",
    snapshot: (state) => state.clock.snapshot(),
    restore: (json, state) => state.clock.restore(json),
  },
  // Attachments, tags, contact roles and jobs draw ids from the record counter too.
  {
    name: "$ids",
    snapshot: (state) => state.ids.counter,
    restore: (json, state) => {
      state.ids.counter = Number(json);
    },
  },
  { name: "$org", snapshot: (state) => state.org, restore: (json, state) => void Object.assign(state.org, json) },
  {
    name: "$modules",
    snapshot: (state) => Object.fromEntries(state.modules.map((m) => [m.api_name, { singular: m.singular, plural: m.plural }])),
    restore: (json, state) => {
      for (const [name, labels] of Object.entries(json as Labels)) Object.assign(state.module(name) ?? {}, labels);
    },
  },
];
