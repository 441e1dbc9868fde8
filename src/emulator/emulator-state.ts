/**
 * `emulator.state`: a window on the emulator's data for tests and scripts — records as the API
 * would return them, users, the clock, and token controls.
 */
import type { Clock } from "./clock.js";
import type { CrmState } from "./crm-state.js";
import { addField, type CustomFieldInput } from "./custom-fields.js";
import { formatRecord } from "./record-format.js";
import type { TokenRegistry } from "./token-registry.js";
import type { DeletedEntry, EmulatorUser } from "./types.js";

export class EmulatorState {
  /** The CRM data (modules, users, records, recycle bin). */
  readonly crm: CrmState;
  /** The OAuth side (grant codes, refresh and access tokens). */
  readonly tokens: TokenRegistry;
  readonly clock: Clock;

  constructor(crm: CrmState, tokens: TokenRegistry) {
    this.crm = crm;
    this.tokens = tokens;
    this.clock = crm.clock;
  }

  /** The records of a module as `GET /crm/v2/{module}/{id}` returns them (converted leads included). */
  records(module: string): Array<Record<string, unknown>> {
    const def = this.crm.module(module);
    if (!def) throw new Error(`unknown module ${module}`);
    return this.crm.records(def.api_name).map((r) => formatRecord(def, r));
  }

  record(module: string, id: string): Record<string, unknown> | undefined {
    const def = this.crm.module(module);
    const record = def ? this.crm.record(def.api_name, id) : undefined;
    return def && record ? formatRecord(def, record) : undefined;
  }

  count(module: string): number {
    return this.crm.records(module).length;
  }

  deleted(module: string): DeletedEntry[] {
    return this.crm.deleted(module);
  }

  users(): EmulatorUser[] {
    return this.crm.users();
  }

  /**
   * Adds a custom field to a module now (settings/fields lists it, records take and return it,
   * bulk-read CSVs have its column); returns it as settings/fields shows it. Throws a RangeError
   * for an unknown module, a taken or malformed api_name, or a bad data_type.
   */
  addField(module: string, field: CustomFieldInput): Record<string, unknown> {
    return addField(this.crm, module, field);
  }

  /** Moves the emulator's clock forward: tokens expire, refresh windows roll. */
  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  /** Every live access token expires now; the next API call with one gets 401 INVALID_TOKEN. */
  expireAccessTokens(): void {
    this.tokens.expireAccessTokens();
  }
}
