/**
 * `zcrm-typed/sync`: mirror Zoho CRM modules into SQL (MySQL/MariaDB, PostgreSQL, SQLite through
 * TypeORM) and keep them current — bulk initial load, incremental pulls, deletions, checkpoints in
 * the same transactions as the rows, leases for many workers.
 */
export { syncModules, type SyncModulesOptions } from "./sync-modules.js";
export type { ModuleSummary, SyncEvent, SyncMode, SyncSummary, WatchEvent, WatchRunReason } from "./progress.js";
export { watchModules, type WatchHandle, type WatchModulesOptions } from "./watch.js";
export type { WatchClient } from "./watch-channel.js";
export type { SyncClient } from "./sync-context.js";
export { columnsFor, OWN_COLUMNS, type ColumnDef, type ColumnKind } from "./columns.js";
