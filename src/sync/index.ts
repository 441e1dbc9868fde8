/**
 * `zcrm-typed/sync`: mirror Zoho CRM modules into SQL (MySQL/MariaDB, PostgreSQL, SQLite through
 * TypeORM) and keep them current — bulk initial load, incremental pulls, deletions, checkpoints in
 * the same transactions as the rows, leases for many workers.
 */
export { syncModules, type SyncModulesOptions } from "./sync-modules.js";
export type { ModuleSummary, SyncEvent, SyncMode, SyncSummary } from "./progress.js";
export type { SyncClient } from "./sync-context.js";
export { columnsFor, OWN_COLUMNS, type ColumnDef, type ColumnKind } from "./columns.js";
