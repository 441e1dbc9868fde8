/**
 * The Zoho CRM v2 + Zoho Accounts emulator: a local, stateful server for tests, demos and offline
 * development, validated against the project's OpenAPI spec, with fault injection.
 *
 *   const emulator = await startEmulator({ port: 0 });
 *   const crm = createZohoCRM({ clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.url });
 *   await crm.auth.exchangeGrantToken(emulator.mintGrantCode());
 */
export { startEmulator, type Emulator, type MintGrantOptions } from "./emulator.js";
export {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  DEFAULT_USER_EMAIL,
  MAX_WRITE_RECORDS,
  MAX_PAGE_SIZE,
  REFRESH_LIMIT,
  REFRESH_WINDOW_MS,
} from "./constants.js";
export { FAULT_KINDS, TOKEN_FAULT_KINDS, FaultController, type FaultKind, type TokenFaultKind, type FailNextOptions, type FaultMatch } from "./faults.js";
export type { EmulatorStats } from "./stats.js";
export type { ValidationFailure } from "./spec-validator.js";
export { EmulatorState } from "./emulator-state.js";
export type { CustomFieldInput } from "./custom-fields.js";
export type { EmulatorOptions, EmulatorUser, StoredRecord, DeletedEntry } from "./types.js";
