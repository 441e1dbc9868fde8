/** "Created/modified by the system at the org's epoch": the stamp of seeded settings. */
import { zohoDateTime } from "../../clock.js";
import type { CrmState } from "../../crm-state.js";
import type { Lookup } from "../../types.js";

export function systemStamp(state: CrmState): { time: string; by: Lookup | null } {
  const admin = state.users()[0];
  return { time: zohoDateTime(state.epochMs), by: admin ? state.userLookup(admin) : null };
}
